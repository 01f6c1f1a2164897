"""`scrapy crawl ccnews` over a CC-NEWS style WARC that the tests build: pages of several hosts and sections.

The WARC holds every fixture article page at the URL the fixture site serves it, beside pages of two other
hosts, Sputnik's Asia listing page, a non-HTML answer and a 404 at article URLs, and a tracking-parameter
copy of one article, as a news crawl archive does. The records must be the ones the live crawl writes.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURE_SITE, project_settings, shared, shared_folder
from scrapy.utils.test import get_crawler
from test_crawl_offline import default_crawl, expected_asia_urls, isolated, scrapy  # noqa: F401 (a fixture)
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.sites import sputnik
from newscrawl.spiders.ccnews import CCNewsSpider, article_url
from scripts.regenerate_expected import article_pages

HTML = "text/html; charset=utf-8"
VIETNAM = (
    "https://sputnikglobe.com/20261126/"
    "vietnams-rice-exports-set-to-hit-record-high-despite-monsoon-floods-1121145528.html"
)
OTHER_PAGES = [
    # (url, status, content type, body): what a news crawl archive holds beside the site's articles
    ("https://www.example-news.org/2026/11/27/markets-rally-on-rate-hopes.html", 200, HTML,
     b"<html><head><title>Markets rally</title></head><body><article><p>Stocks rose.</p></article></body></html>"),
    ("https://news.example.com/asia/20261127/typhoon-nears-coast-1121150999.html", 200, HTML,
     b"<html><head><title>Typhoon</title></head><body><article><p>A typhoon neared.</p></article></body></html>"),
    ("https://sputnikglobe.com/asia/", 200, HTML, (FIXTURE_SITE / "sections" / "asia.html").read_bytes()),
    ("https://sputnikglobe.com/20261127/quake-drill-in-pictures-1121150555.html", 200, "image/jpeg",
     b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256))),
    ("https://sputnikglobe.com/20261127/a-story-taken-down-1121150777.html", 404, HTML,
     b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"),
    (VIETNAM + "?utm_source=rss&utm_medium=rss&utm_campaign=asia", 200, HTML,
     (FIXTURE_SITE / "articles" / "vietnam-rice-exports.html").read_bytes()),
]
ARCHIVE_NAME = "CC-NEWS-20261128000000-00001.warc.gz"
SKIPPED = {"other_host": 2, "not_article_url": 1, "http_404": 1, "not_html": 1, "other_section": 3}
NOT_READ = ("other_host", "not_article_url", "http_404", "not_html")
"""Reasons decided before the page is read as an article."""


def fixture_pages() -> list[tuple[str, int, str, bytes]]:
    """Every saved article page of the fixture site at the URL its expected record was extracted from."""
    return [(url, 200, HTML, path.read_bytes()) for path, url in sorted(article_pages(FIXTURE_SITE).items())]


def write_ccnews_warc(path: Path, pages: list[tuple[str, int, str, bytes]]) -> list[int]:
    """Write a CC-NEWS style WARC (warcinfo, then a request and a response record a page, each its own gzip
    member); return the offset where each page's records end."""
    ends = []
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newscrawl tests", "isPartOf": "CC-NEWS"}))
        for url, status, content_type, body in pages:
            request = StatusAndHeaders(f"GET {urlsplit(url).path} HTTP/1.1", [("Host", urlsplit(url).hostname)],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            reason = "OK" if status == 200 else "Not Found"
            response = StatusAndHeaders(f"{status} {reason}", [("Content-Type", content_type),
                                                               ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=response))
            ends.append(file.tell())
    return ends


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, list[int]]:
    """The archive, alone in its folder, written once per test run for every xdist worker (tests only read it)."""

    def write(folder: Path) -> list[int]:
        return write_ccnews_warc(folder / ARCHIVE_NAME, fixture_pages() + OTHER_PAGES)

    ends = shared(tmp_path_factory, "ccnews-archive", write)
    return shared_folder(tmp_path_factory, "ccnews-archive") / ARCHIVE_NAME, ends


def crawl_ccnews(tmp_path: Path, warc: str, *extra: str) -> tuple[list[dict], dict, str]:
    """Run `scrapy crawl ccnews` into tmp_path; return the records, the run summary and the log."""
    run = scrapy("crawl", "ccnews", "-a", f"warc={warc}", "-a", "region=asia", *isolated(tmp_path), *extra)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Warning" not in run.stderr, "a deprecation today is a broken crawl after the next upgrade"
    output = tmp_path / "ccnews.jsonl"
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    # this run's summary: the newest (a run never overwrites an earlier run's summary)
    newest = max(tmp_path.glob("ccnews*.summary.json"), key=lambda path: path.stat().st_mtime_ns)
    summary = json.loads(newest.read_text(encoding="utf-8"))
    return [json.loads(line) for line in lines], summary, run.stderr


@pytest.fixture(scope="module")
def ccnews_crawl(archive, tmp_path_factory) -> tuple[list[dict], dict, str]:
    """The crawl of the archive, made once per test run for every xdist worker."""
    records, summary, log = shared(tmp_path_factory, "ccnews-crawl", lambda folder: crawl_ccnews(folder, str(archive[0])))
    return records, summary, log


def comparable(record: dict) -> dict:
    """A record less what depends on when and from where it was read."""
    return {k: v for k, v in record.items() if k != "crawled_at" and not k.startswith("warc_")}


@pytest.mark.subprocess
def test_the_records_match_the_expected_json_field_by_field(ccnews_crawl):
    records, _, _ = ccnews_crawl
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())
    expected = {}
    for path in article_pages(FIXTURE_SITE):
        record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        expected[record["url"]] = comparable(record)
    for record in map(comparable, records):
        assert list(record) == list(expected[record["url"]]), "the record's keys and their order"
        for field, value in expected[record["url"]].items():
            assert record[field] == value, f"{record['url']}: field {field!r}"


@pytest.mark.subprocess
def test_the_records_are_those_of_the_offline_asia_crawl(ccnews_crawl, default_crawl):  # noqa: F811
    records, _ = default_crawl
    live = {r["url"]: comparable(r) for r in records}
    assert {r["url"]: comparable(r) for r in ccnews_crawl[0]} == live


@pytest.mark.subprocess
def test_each_record_names_the_archived_response_it_was_read_from(ccnews_crawl, archive):
    records, _, _ = ccnews_crawl
    assert {r["warc_file"] for r in records} == {archive[0].name}
    assert all(r["warc_record_id"].startswith("<urn:uuid:") for r in records)
    assert len({r["warc_record_id"] for r in records}) == len(records)


@pytest.mark.subprocess
def test_records_passed_over_are_counted_by_reason(ccnews_crawl):
    _, summary, _ = ccnews_crawl
    assert {reason: summary["skipped"].get(reason) for reason in SKIPPED} == SKIPPED
    assert summary["dropped"] == {"missing_body": 1, "duplicate_url": 1}
    responses = len(fixture_pages()) + len(OTHER_PAGES)
    assert summary["pages"]["warc_record"] == responses, "request and warcinfo records are no pages"
    read = responses - sum(SKIPPED[reason] for reason in NOT_READ)
    assert summary["pages"]["article"] == summary["articles"]["discovered"] == read
    assert summary["http_status"] == {}, "nothing was downloaded"
    assert summary["health"]["problems"] == []


@pytest.mark.subprocess
def test_a_url_is_read_as_it_downloads(archive, tmp_path):
    path, ends = archive
    data = path.read_bytes()
    output = tmp_path / "ccnews.jsonl.part"
    # the first three pages hold two Asia articles; the rest is sent only once the crawl has written one
    server = HeldBackWarc(data, split=ends[2], written=lambda: output.exists() and output.stat().st_size > 0)
    try:
        records, summary, _ = crawl_ccnews(tmp_path, f"{server.origin}/crawl-data/CC-NEWS/{path.name}")
    finally:
        server.stop()
    assert server.streamed, "no record was written before the download ended"
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())
    assert summary["pages"]["warc_record"] == len(fixture_pages()) + len(OTHER_PAGES)


@pytest.mark.subprocess
def test_a_second_run_over_the_folder_writes_nothing_and_succeeds(archive, tmp_path):
    folder = str(archive[0].parent)
    first, _, _ = crawl_ccnews(tmp_path, folder)
    assert len(first) == len(expected_asia_urls())
    (tmp_path / "ccnews.jsonl").rename(tmp_path / "first.jsonl")
    second, summary, log = crawl_ccnews(tmp_path, folder)
    assert second == [] and "Nothing new to write" in log
    assert summary["articles"]["unchanged"] == len(first)


@pytest.mark.subprocess
def test_an_unreadable_source_is_counted_and_the_others_are_read(archive, tmp_path):
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(archive[0].read_bytes()[: archive[1][4] + 100])  # cut inside a record
    records, summary, log = crawl_ccnews(tmp_path, f"{broken},{archive[0]}")
    assert summary["pages"]["source_failed"] == 1 and "broken.warc.gz unreadable" in log
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"region": "asia"}, "warc is required"),
        ({"warc": "nowhere.warc.gz", "region": "asia"}, "no WARC file"),
        ({"warc": "WARC", "region": None}, "region must name one or more of africa, americas, asia"),
        ({"warc": "WARC", "region": "mars"}, "got 'mars'"),
        ({"warc": "WARC", "region": "ccnews"}, "got 'ccnews'"),
    ],
)
def test_a_bad_argument_fails_before_reading(archive, arguments, message):
    arguments = {k: str(archive[0]) if v == "WARC" else v for k, v in arguments.items()}
    crawler = get_crawler(CCNewsSpider, project_settings())
    with pytest.raises(ValueError, match=message):
        CCNewsSpider.from_crawler(crawler, **arguments)


def test_the_region_spiders_give_the_site_and_sections(archive):
    crawler = get_crawler(CCNewsSpider, project_settings())
    spider = CCNewsSpider.from_crawler(crawler, warc=str(archive[0]), region="asia, world")
    assert (spider.site, spider.sections) == (sputnik.SITE, {"sputnik": ("asia", "world")})


@pytest.mark.parametrize(
    "url, status, expected",
    [
        (None, 200, (None, "other_host")),
        ("", 200, (None, "other_host")),
        ("not a url", 200, (None, "other_host")),
        ("https://sputnikglobe.com.example.org/20261127/a-1121150342.html", 200, (None, "other_host")),
        ("ftp://sputnikglobe.com/20261127/a-1121150342.html", 200, (None, "bad_url")),
        ("https://sputnikglobe.com/", 200, (None, "not_article_url")),
        ("https://sputnikglobe.com/20261127/a-1121150342.html", 301, (None, "http_301")),
        ("https://sputniknews.com/asia/201911201077356339-tyga/", 200,
         ("https://sputniknews.com/asia/201911201077356339-tyga/", None)),
        ("HTTPS://SputnikGlobe.com/20261127/a-1121150342.html?utm_source=rss#top", 204,
         ("https://sputnikglobe.com/20261127/a-1121150342.html", None)),
    ],
)
def test_article_url(url, status, expected):
    assert article_url(url, status, sputnik.SITE) == expected


class HeldBackWarc(ThreadingHTTPServer):
    """Serves one WARC on 127.0.0.1, holding back all after `split` bytes until `written()` says the crawl has
    written a record (or a minute has passed); `streamed` tells which came first."""

    daemon_threads = True

    def __init__(self, data: bytes, split: int, written):
        super().__init__(("127.0.0.1", 0), HeldBackHandler)
        self.data, self.split, self.written = data, split, written
        self.streamed = False
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class HeldBackHandler(BaseHTTPRequestHandler):
    server: HeldBackWarc

    def do_GET(self):
        data, split = self.server.data, self.server.split
        self.send_response(200)
        self.send_header("Content-Type", "application/warc")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:split])
        self.wfile.flush()
        deadline = time.monotonic() + 60
        while not self.server.written() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.server.streamed = self.server.written()
        self.wfile.write(data[split:])

    def log_message(self, format, *args):
        pass
