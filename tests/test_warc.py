"""WARC recording and replay: the real `scrapy crawl asia` records the fixture site, then re-extracts it from WARC."""

from __future__ import annotations

import asyncio
import fcntl
import gzip
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, shared
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, Response
from test_crawl_offline import expected_asia_urls, isolated, scrapy
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.replay import WarcReplayDownloadHandler
from newscrawl.warc.archive import iter_warc_responses, warc_files
from newscrawl.warc.recorder import WarcRecorderMiddleware

REDIRECTED = (  # the fixture answers 301 to sputnikglobe.com
    "https://sputniknews.com/asia/"
    "201911201077356339-in-footsteps-of-katy-perry--dua-lipa-kylie-jenners-rapper-ex-tyga-set-for-first-gig-in-mumbai/"
)
SEED = (
    "https://sputnikglobe.com/20190530/"
    "us-trying-all-possible-means-to-blame-huawei-without-giving-evidence---china-1075461232.html"
)


def crawl(workdir: Path, replay: Path, *extra: str) -> tuple[list[dict], str]:
    """Run `scrapy crawl asia` offline from a fixture site or WARC files, output and state in workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    run = scrapy("crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={replay}", *isolated(workdir), *extra)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Warning" not in run.stderr, "a deprecation today is a broken crawl after the next upgrade"
    lines = (workdir / "asia.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines], run.stderr


def records_in(file: Path) -> list:
    """Every record of a WARC file with its payload read, as (type, WARC headers, HTTP headers, payload)."""
    with open(file, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.raw_stream.read()) for r in ArchiveIterator(stream)]


def without_crawl_details(record: dict) -> dict:
    """A record without the fields that differ between two runs over the same pages."""
    return {k: v for k, v in record.items() if k not in ("crawled_at", "warc_file", "warc_record_id")}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """The fixture site crawled with recording on, in WARC files of about 40 kB: (records, WARC folder, log); made
    once per test run for every xdist worker (tests only read the WARC files)."""

    def record(workdir: Path) -> tuple[list[dict], str, str]:
        warc = workdir / "warc"
        records, log = crawl(
            workdir, FIXTURE_SITE, "-s", f"NEWSCRAWL_WARC_DIR={warc / '%(name)s'}", "-s", "NEWSCRAWL_WARC_MAX_BYTES=40000"
        )
        return records, str(warc / "asia"), log

    records, folder, log = shared(tmp_path_factory, "warc-recorded", record)
    return records, Path(folder), log


@pytest.fixture(scope="module")
def replayed(recorded, tmp_path_factory):
    """The same crawl replayed from the recorded WARC folder, with a fresh state: (records, log)."""
    records, log = shared(tmp_path_factory, "warc-replayed", lambda workdir: crawl(workdir, recorded[1]))
    return records, log


@pytest.mark.subprocess
def test_replaying_the_warc_gives_the_live_records(recorded, replayed):
    live = {r["url"]: r for r in recorded[0]}
    again = {r["url"]: r for r in replayed[0]}
    assert set(live) == expected_asia_urls() and len(live) == len(recorded[0])
    assert set(again) == set(live) and len(again) == len(replayed[0])
    for url, record in live.items():
        assert without_crawl_details(again[url]) == without_crawl_details(record), url
        # a replayed record names the archived response it was read from: the one the live record names
        pointer = ("warc_file", "warc_record_id")
        assert [again[url][key] for key in pointer] == [record[key] for key in pointer]


@pytest.mark.subprocess
def test_every_warc_file_passes_warcio_check(recorded):
    files = sorted(recorded[1].iterdir())
    assert len(files) > 1, "40 kB files: the crawl rotated"
    check = subprocess.run(
        [sys.executable, "-c", "from warcio.cli import main; main()", "check", "-v", *map(str, files)],
        capture_output=True, text=True, timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    records = sum(len(records_in(file)) for file in files)
    assert check.stdout.count("digest pass") == records, "every record carries a digest, and it was checked"


@pytest.mark.subprocess
def test_no_open_file_is_left_and_each_file_opens_with_warcinfo(recorded):
    files = sorted(recorded[1].iterdir())
    assert [f.name for f in files if not f.name.endswith(".warc.gz")] == []
    for serial, file in enumerate(files):
        assert file.name.endswith(f"-{serial:05d}.warc.gz") and file.name.startswith("asia-")
        kind, headers, _, info = records_in(file)[0]
        assert kind == "warcinfo" and headers.get_header("WARC-Filename") == file.name
        assert b"isPartOf: asia" in info and b"software: newscrawl" in info


@pytest.mark.subprocess
def test_every_response_is_recorded_with_its_request(recorded):
    records = [record for file in sorted(recorded[1].iterdir()) for record in records_in(file)]
    responses = {h.get_header("WARC-Record-ID"): (h, http) for kind, h, http, _ in records if kind == "response"}
    requests = [(h, http) for kind, h, http, _ in records if kind == "request"]
    assert len(requests) == len(responses)
    for headers, http in requests:
        answered, _ = responses[headers.get_header("WARC-Concurrent-To")]
        assert answered.get_header("WARC-Target-URI") == headers.get_header("WARC-Target-URI")
        assert http.get_header("User-Agent").startswith("newscrawl/") and http.get_header("Host")
    recorded_urls = {h.get_header("WARC-Target-URI"): http.get_statuscode() for h, http in responses.values()}
    assert recorded_urls["https://sputnikglobe.com/robots.txt"] == "200"
    assert recorded_urls["https://sputnikglobe.com/export/rss2/asia/index.xml"] == "200"
    assert recorded_urls["https://sputnikglobe.com/sitemap_article_index.xml"] == "200"
    assert recorded_urls[REDIRECTED] == "301", "a redirect is recorded as such"
    assert recorded_urls[SEED] == "200"


@pytest.mark.subprocess
def test_each_article_record_points_to_its_response_record(recorded):
    records, folder, _ = recorded
    archived = {(r.warc_file, r.record_id): r for r in iter_warc_responses(folder)}
    for record in records:
        response = archived[(record["warc_file"], record["warc_record_id"])]
        assert (response.url, response.status) == (record["fetched_url"], 200), record["url"]
    redirected = [r for r in records if r["fetched_url"] == REDIRECTED.replace("sputniknews", "sputnikglobe")]
    assert redirected, "the fixture has an article reached through a 301: its record names the 200, not the 301"


@pytest.mark.subprocess
def test_rotation_at_a_tiny_size_gives_one_response_a_file(tmp_path):
    warc = tmp_path / "warc"
    records, log = crawl(tmp_path, FIXTURE_SITE, "-s", f"NEWSCRAWL_WARC_DIR={warc}", "-s", "NEWSCRAWL_WARC_MAX_BYTES=1")
    files = sorted(warc.iterdir())
    assert [f.name.rsplit("-", 1)[1] for f in files] == [f"{n:05d}.warc.gz" for n in range(len(files))]
    kinds = [[kind for kind, *_ in records_in(file)] for file in files]
    assert kinds == [["warcinfo", "response", "request"]] * len(files)
    assert len({r["warc_file"] for r in records}) == len(records)
    assert f"in {len(files)} WARC file(s)" in log


@pytest.fixture
def warc_handler(recorded, make_crawler):
    return WarcReplayDownloadHandler.from_crawler(make_crawler(NEWSCRAWL_REPLAY=str(recorded[1])))


def fetch(handler, url: str):
    return asyncio.run(handler.download_request(Request(url)))


@pytest.mark.subprocess
def test_warc_replay_answers_an_unknown_url_with_a_404(warc_handler):
    response = fetch(warc_handler, "https://sputnikglobe.com/no/such/page.html")
    assert response.status == 404 and isinstance(response, HtmlResponse)
    assert "newscrawl_warc_record_id" not in response.meta


@pytest.mark.subprocess
def test_warc_replay_serves_the_recorded_status_headers_and_body(warc_handler):
    redirect = fetch(warc_handler, REDIRECTED)
    assert redirect.status == 301
    assert redirect.headers["Location"].decode() == REDIRECTED.replace("sputniknews", "sputnikglobe")
    page = fetch(warc_handler, SEED)
    assert page.status == 200 and isinstance(page, HtmlResponse)
    assert page.body == (FIXTURE_SITE / "articles" / "huawei-evidence.html").read_bytes()
    assert page.meta["newscrawl_warc_record_id"].startswith("<urn:uuid:") and page.meta["newscrawl_warc_file"]


def test_replay_refuses_a_folder_with_only_unfinished_warc_files(make_crawler, tmp_path):
    (tmp_path / "asia-20261128000000-00000.warc.gz.open").write_bytes(b"")
    assert warc_files(tmp_path) == []
    with pytest.raises(UsageError, match="WARC"):
        make_crawler(NEWSCRAWL_REPLAY=str(tmp_path))


def recorder(make_crawler, folder: Path) -> tuple:
    """A recorder built the way Scrapy builds it, its spider opened: (recorder, crawler)."""
    crawler = make_crawler(NEWSCRAWL_WARC_DIR=str(folder))
    middleware = WarcRecorderMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    return middleware, crawler


def test_a_compressed_response_is_archived_as_sent_and_read_back_as_the_crawler_reads_it(make_crawler, tmp_path):
    middleware, crawler = recorder(make_crawler, tmp_path)
    page = b"<html><body><p>Tokyo held a drill.</p></body></html>"
    request = Request("https://sputnikglobe.com/asia/", headers={"Accept-Encoding": "gzip"})
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}
    response = Response(request.url, headers=headers, body=gzip.compress(page), request=request)
    assert middleware.process_response(request, response) is response
    middleware.spider_closed(crawler.spider)

    [file] = warc_files(tmp_path)
    [(_, _, http, raw)] = [record for record in records_in(file) if record[0] == "response"]
    assert gzip.decompress(raw) == page and http.get_header("Content-Encoding") == "gzip"
    assert http.get_header("Transfer-Encoding") is None, "Scrapy's body is de-chunked already"
    [read] = iter_warc_responses(tmp_path)
    assert read.body == page and read.status == 200 and ("Content-Encoding", "gzip") not in read.headers
    assert (read.warc_file, read.record_id) == (file.name, request.meta["newscrawl_warc_record_id"])


def test_a_killed_runs_open_file_is_cut_to_whole_records_and_finished(make_crawler, tmp_path):
    torn = tmp_path / "asia-20261127000000-00000.warc.gz.open"
    with open(torn, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        for n in range(3):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = f"<p>page {n}</p>".encode()
            url = f"https://sputnikglobe.com/{n}.html"
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body), http_headers=http)
            )
    torn.write_bytes(torn.read_bytes()[:-10])  # the last record's gzip member is cut short
    busy = tmp_path / "asia-20261128000000-00000.warc.gz.open"
    busy.write_bytes(b"")
    with open(busy, "rb") as live:
        fcntl.flock(live, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a run still writing it
        recorder(make_crawler, tmp_path)

    finished = tmp_path / "asia-20261127000000-00000.warc.gz"
    assert not torn.exists() and busy.exists()
    assert [r.url for r in iter_warc_responses(finished)] == [f"https://sputnikglobe.com/{n}.html" for n in (0, 1)]
