"""Faults a live site throws at the crawler, injected by a real HTTP server on 127.0.0.1 (tests/fault_server.py).

Each crawl test runs the real `scrapy crawl asia` against that server through NEWSCRAWL_RESOLVE, with one fault on
one article, and checks what a user would: a fault a retry can cure costs nothing (the article is written as in a
clean run, and the server saw the retry); any other loses that article only, counted by its reason in the stats and
named in the log. The pure pieces (Retry-After, backoff, mojibake detection, origins) have tables of their own.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT, shared
from fault_server import FaultServer
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

from newscrawl.middlewares.encoding import EncodingRepairMiddleware, misread, repaired_encoding
from newscrawl.middlewares.retry import backoff, retry_after_seconds
from newscrawl.resolve import origins, rebased

TOKYO = (  # on the section's first page: fetched early, while most of the crawl is still to come
    "https://sputnikglobe.com/20261127/"
    "tokyo-stages-largest-ever-earthquake-drill-as-experts-warn-of-megaquake-risk-1121150342.html"
)
SEED = (  # non-ASCII in its record: the dateline's dash, the photo credit's ©
    "https://sputnikglobe.com/20190530/"
    "us-trying-all-possible-means-to-blame-huawei-without-giving-evidence---china-1075461232.html"
)
# every fixture page fits; a page padded past it does not
MAXSIZE = max(p.stat().st_size for p in FIXTURE_SITE.rglob("*") if p.is_file() and p.suffix != ".json") + 10_000


@dataclass
class Run:
    """What a crawl left: its records by URL, its log, its numeric stats."""

    records: dict[str, dict]
    log: str
    stats: dict[str, float]
    hosts: set[str] = field(default_factory=set)
    """The hosts the server was asked for (X-Forwarded-Host)."""


def crawl(server: FaultServer, tmp_path: Path, *extra: str) -> Run:
    """Crawl `asia` from the fault server into tmp_path, fast and without robots.txt; return records, log, stats."""
    resolve = json.dumps({"sputnikglobe.com": server.origin, "sputniknews.com": server.origin})
    settings = {
        "NEWSCRAWL_RESOLVE": resolve,
        "NEWSCRAWL_OUTPUT": tmp_path / "asia.jsonl",
        "NEWSCRAWL_STATE": tmp_path / "state.sqlite",
        "NEWSCRAWL_LOCK": tmp_path / "asia.lock",
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
    }
    args = [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "asia", *args, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    output = tmp_path / "asia.jsonl"
    lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
    records = {record["url"]: record for record in map(json.loads, lines)}
    return Run(records, run.stderr, stats_in(run.stderr), {hit.host for hit in server.hits})


def stats_in(log: str) -> dict[str, float]:
    """The numeric stats of Scrapy's end-of-run dump."""
    dump = log.partition("Dumping Scrapy stats:")[2]
    return {key: float(value) for key, value in re.findall(r"'([^']+)': (\d+(?:\.\d+)?)[,}]", dump)}


def log_lines_naming(run: Run, url: str) -> list[str]:
    """The log lines (before the stats dump) that name a URL."""
    return [line for line in run.log.partition("Dumping Scrapy stats:")[0].splitlines() if url in line]


def total(stats: dict, prefix: str) -> float:
    """Add up the stats under a prefix."""
    return sum(value for key, value in stats.items() if key.startswith(prefix))


def assert_completed(run: Run) -> None:
    """The run went to its end without an exception anywhere (exit codes are the report's business)."""
    assert "Spider closed (finished)" in run.log, run.log[-3000:]
    assert "Traceback" not in run.log and not total(run.stats, "spider_exceptions"), run.log[-3000:]
    assert "DeprecationWarning" not in run.log


def assert_written_as_in_a_clean_run(run: Run, clean: Run, url: str) -> None:
    """Nothing was lost, and the faulted article's record is the clean run's."""
    assert_completed(run)
    assert set(run.records) == set(clean.records)
    assert without_time(run.records[url]) == without_time(clean.records[url])


def assert_lost_and_counted(run: Run, clean: Run, url: str, stat_prefix: str = "newscrawl/dropped/") -> None:
    """Only this article is missing; its loss is one more count under `stat_prefix` and a log line names it."""
    assert_completed(run)
    assert set(run.records) == set(clean.records) - {url}
    assert total(run.stats, stat_prefix) == total(clean.stats, stat_prefix) + 1, f"no {stat_prefix}* count for {url}"
    assert any("not fetched" in line or "Dropped" in line for line in log_lines_naming(run, url)), (
        f"no log line names {url} as lost"
    )


def without_time(record: dict) -> dict:
    """A record without its crawl time, the one field two runs never share."""
    return {key: value for key, value in record.items() if key != "crawled_at"}


@pytest.fixture
def server():
    server = FaultServer(FIXTURE_SITE).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Run:
    """The same crawl with no fault: what every faulted run is compared with (made once per test run, for every
    xdist worker)."""

    def crawl_clean(folder: Path) -> dict:
        server = FaultServer(FIXTURE_SITE).start()
        try:
            run = crawl(server, folder)
        finally:
            server.stop()
        return {"records": run.records, "log": run.log, "stats": run.stats, "hosts": sorted(run.hosts)}

    made = shared(tmp_path_factory, "faults-clean", crawl_clean)
    return Run(made["records"], made["log"], made["stats"], set(made["hosts"]))


@pytest.mark.subprocess
def test_the_clean_run_keeps_the_real_urls(clean):
    assert_completed(clean)
    assert TOKYO in clean.records and SEED in clean.records and len(clean.records) >= 10
    for record in clean.records.values():
        assert record["fetched_url"].startswith("https://sputnikglobe.com/"), record["fetched_url"]
    assert "127.0.0.1" not in json.dumps(list(clean.records.values()))
    # the old host's 301 went to the server as sputniknews.com and was followed to sputnikglobe.com
    assert clean.hosts == {"sputnikglobe.com", "sputniknews.com"}


# Retried: the article is written as in a clean run, and the server saw the retry.


@pytest.mark.subprocess
def test_429_waits_its_retry_after_and_holds_back_the_whole_site(server, tmp_path, clean):
    path = server.inject(TOKYO, "status", times=2, code=429, retry_after="1")
    run = crawl(server, tmp_path)
    assert_written_as_in_a_clean_run(run, clean, TOKYO)
    hits = server.requests_for(path)
    assert [hit.fault for hit in hits] == ["status", "status", None]
    # Only lower bounds from the server's own clock, so a loaded machine cannot fail them: the crawler read each
    # 429 after the server received its request, and waited a second from then.
    for faulted, retried in itertools.pairwise(hits):
        assert retried.arrived >= faulted.arrived + 1.0, "Retry-After: 1 not honored"
    assert run.stats["newscrawl/retry_after/waited"] == 2 and run.stats["newscrawl/retry_after/seconds"] == 2
    # The whole site waited with the retry: pages of sputnikglobe.com the crawl found while the first wait ran
    # (the daily sitemaps, a redirect) were asked for only once it was over; had the retry waited alone, they
    # would have gone at once, leaving nothing but the retry for the site a second after the 429. Requests
    # already on their way when the 429 came back arrive whenever a loaded machine lets them: no bound on those.
    # A redirect from sputniknews.com stays in that site's slot (Scrapy keeps the slot on redirects): not counted.
    redirected = {hit.path for hit in server.hits if hit.host == "sputniknews.com"}
    same_site = [hit for hit in server.hits if hit.host == "sputnikglobe.com" and hit.path not in {path, *redirected}]
    assert [hit for hit in same_site if hit.arrived >= hits[0].arrived + 1.0], "the site's other requests did not wait"


@pytest.mark.subprocess
def test_503_without_retry_after_backs_off_one_second_then_retries(server, tmp_path, clean):
    path = server.inject(TOKYO, "status", code=503)
    run = crawl(server, tmp_path)
    assert_written_as_in_a_clean_run(run, clean, TOKYO)
    first, retried = server.requests_for(path)
    assert retried.arrived - first.arrived >= 1.0  # a lower bound only: load can delay the retry, never hasten it
    assert run.stats["newscrawl/retry_after/waited"] == 1


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "fault, settings, reason",
    [
        pytest.param(
            {"kind": "stall", "seconds": 2}, ["-s", "DOWNLOAD_TIMEOUT=1"], "DownloadTimeoutError", id="timeout"
        ),
        pytest.param({"kind": "reset"}, [], "DownloadFailedError", id="connection-reset"),
        pytest.param({"kind": "truncate"}, [], "ResponseDataLossError", id="truncated-body"),
    ],
)
def test_a_transient_network_fault_is_retried(server, tmp_path, clean, fault, settings, reason):
    path = server.inject(TOKYO, **fault)
    run = crawl(server, tmp_path, *settings)
    assert_written_as_in_a_clean_run(run, clean, TOKYO)
    assert [hit.fault for hit in server.requests_for(path)] == [fault["kind"], None]
    assert run.stats.get(f"retry/reason_count/scrapy.exceptions.{reason}", 0) >= 1


# Not retried, or retried in vain: that article only is lost, counted by reason, named in the log.


@pytest.mark.subprocess
def test_a_retry_after_beyond_the_maximum_is_not_waited_for(server, tmp_path, clean):
    path = server.inject(TOKYO, "status", times=None, code=429, retry_after="3600")
    run = crawl(server, tmp_path)
    assert_lost_and_counted(run, clean, TOKYO, "newscrawl/dropped/fetch_failed/http_429")
    assert server.counts()[path] == 1
    assert run.stats["newscrawl/retry_after/too_long"] == 1
    assert any("NEWSCRAWL_RETRY_AFTER_MAX" in line for line in log_lines_naming(run, TOKYO))


@pytest.mark.subprocess
def test_a_503_that_outlasts_the_retries_is_dropped(server, tmp_path, clean):
    path = server.inject(TOKYO, "status", times=None, code=503)
    run = crawl(server, tmp_path, "-s", "RETRY_TIMES=1")
    assert_lost_and_counted(run, clean, TOKYO, "newscrawl/dropped/fetch_failed/http_503")
    assert len(server.requests_for(path)) == 2


@pytest.mark.subprocess
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_an_oversized_page_is_cut_off_and_dropped(server, tmp_path, clean, declared):
    path = server.inject(TOKYO, "oversized", size=2 * MAXSIZE, declared=declared)
    run = crawl(server, tmp_path, "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}")
    assert_lost_and_counted(run, clean, TOKYO, "newscrawl/dropped/fetch_failed/DownloadCancelledError")
    assert len(server.requests_for(path)) == 1


@pytest.mark.subprocess
def test_an_empty_200_page_is_dropped_by_validation(server, tmp_path, clean):
    server.inject(TOKYO, "empty")
    run = crawl(server, tmp_path)
    assert_lost_and_counted(run, clean, TOKYO, "newscrawl/dropped/missing_")


@pytest.mark.subprocess
def test_a_redirect_chain_longer_than_redirect_max_times_is_dropped(server, tmp_path, clean):
    path = server.inject(TOKYO, "redirect_chain", times=None)
    run = crawl(server, tmp_path, "-s", "REDIRECT_MAX_TIMES=3")
    assert_lost_and_counted(run, clean, TOKYO, "newscrawl/dropped/fetch_failed/")
    assert len(server.requests_for(path)) == 4


@pytest.mark.subprocess
def test_a_redirect_to_itself_is_dropped_and_counted(server, tmp_path, clean):
    path = server.inject(TOKYO, "redirect", times=None)
    run = crawl(server, tmp_path)
    assert len(server.requests_for(path)) <= 11, "the loop was not cut"
    assert_lost_and_counted(run, clean, TOKYO)


@pytest.mark.subprocess
def test_an_offsite_redirect_is_not_followed_and_is_counted(server, tmp_path, clean):
    server.inject(TOKYO, "redirect", times=None, location="https://example.invalid/x")
    run = crawl(server, tmp_path)
    # never fetched, not even looked up in DNS: no request more than the clean run, no download error
    assert not total(run.stats, "downloader/exception_type_count/")
    assert run.stats["downloader/request_count"] == clean.stats["downloader/request_count"]
    assert_lost_and_counted(run, clean, TOKYO)


# Read anyway: the article is written as in a clean run.


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "fault, repaired",
    [
        pytest.param({"encoding": "cp1251", "header": "utf-8", "meta": "windows-1251"}, True, id="cp1251-sent-as-utf8"),
        pytest.param({"encoding": "utf-8", "header": "iso-8859-1"}, True, id="utf8-sent-as-latin1"),
        pytest.param(
            {"encoding": "cp1251", "header": "windows-1251", "meta": "windows-1251"}, False, id="cp1251-declared-right"
        ),
    ],
)
def test_a_page_in_another_or_a_misdeclared_charset_is_read_right(server, tmp_path, clean, fault, repaired):
    server.inject(SEED, "charset", **fault)
    run = crawl(server, tmp_path)
    assert_written_as_in_a_clean_run(run, clean, SEED)
    assert run.stats.get("newscrawl/repaired/encoding", 0) == repaired
    assert any("Repaired the encoding" in line for line in log_lines_naming(run, SEED)) == repaired


@pytest.mark.subprocess
def test_malformed_html_still_gives_the_article(server, tmp_path, clean):
    server.inject(SEED, "malformed")
    run = crawl(server, tmp_path)
    assert_completed(run)
    assert set(run.records) == set(clean.records)
    record, expected = run.records[SEED], clean.records[SEED]
    assert record["headline"] == expected["headline"] and record["published"] == expected["published"]
    first_paragraph = expected["body"].split("\n\n")[0]
    assert record["body"].startswith(first_paragraph) and len(record["body"]) < len(expected["body"])


# The pure pieces.

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value, seconds",
    [
        (None, None),
        ("", None),
        (b"", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("١٢", None),  # Arabic-Indic digits are not delta-seconds
        ("0", 0.0),
        ("120", 120.0),
        (b" 120 ", 120.0),
        ("Sat, 28 Nov 2026 11:59:00 GMT", 0.0),  # in the past: go now
        ("Sat, 28 Nov 2026 12:02:00 GMT", 120.0),
        ("Sat, 28 Nov 2026 15:02:00 +0300", 120.0),
    ],
)
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize("retries, seconds", [(0, 1.0), (1, 2.0), (2, 4.0), (8, 256.0), (9, 300.0), (10**6, 300.0)])
def test_backoff_doubles_up_to_the_cap(retries, seconds):
    assert backoff(retries, 300) == seconds


CP1251 = "Москва – столица".encode("cp1251")
UTF8 = "São Paulo – capital".encode()


@pytest.mark.parametrize(
    "body, declared, own, repaired",
    [
        (b"", None, None, None),
        (b"", "utf-8", "utf-8", None),
        (CP1251, None, "windows-1251", None),  # no header charset: Scrapy reads the body's own already
        (CP1251, "utf-8", None, None),  # nothing better known
        (CP1251, "utf-8", "x-no-such-codec", None),
        (b"plain ASCII", "cp1252", "utf-8", None),  # reads the same in both
        (CP1251, "utf-8", "windows-1251", "windows-1251"),  # U+FFFD without the repair
        (UTF8, "iso-8859-1", "utf-8", "utf-8"),  # mojibake without the repair
        (CP1251, "windows-1251", "windows-1251", None),  # declared right
        (CP1251, "windows-1251", "cp1251", None),  # the same codec by another name
        (UTF8, "utf-8", "windows-1251", None),  # a stale <meta>: the header fits, keep it
        (CP1251, "windows-1251", "utf-8", None),  # the same, the other way round
        (UTF8, "iso-8859-1", "iso-8859-1", None),  # header and body agree: not second-guessed
    ],
)
def test_repaired_encoding(body, declared, own, repaired):
    assert repaired_encoding(body, declared, own) == repaired


@pytest.mark.parametrize(
    "body, encoding, wrong",
    [(b"", "utf-8", False), (b"ascii", "utf-16", False), (UTF8, "utf-8", False), (UTF8, "cp1252", True),
     (CP1251, "utf-8", True), (CP1251, "cp1251", False), (CP1251, "x-no-such-codec", True)],
)
def test_misread(body, encoding, wrong):
    assert misread(body, encoding) is wrong


def html(body_text: str, encoding: str, header: str, meta: str | None = None) -> HtmlResponse:
    page = f"<html><head>{f'<meta charset={meta}>' if meta else ''}</head><body><p>{body_text}</p></body></html>"
    headers = {"Content-Type": f"text/html; charset={header}"}
    return HtmlResponse("https://sputnikglobe.com/a.html", body=page.encode(encoding), headers=headers)


def test_scrapy_reads_utf8_sent_as_latin1_as_mojibake_without_any_error():
    response = html("São Paulo", "utf-8", "iso-8859-1", meta="utf-8")
    assert "SÃ£o Paulo" in response.text and "\ufffd" not in response.text


def test_the_encoding_middleware(make_crawler):
    crawler = make_crawler()
    middleware = EncodingRepairMiddleware.from_crawler(crawler)
    right = html("Москва", "cp1251", "windows-1251", meta="windows-1251")
    assert middleware.process_response(right.request, right) is right and "Москва" in right.text
    # with no <meta>, detection needs a sentence or so to tell cp1251 apart
    text = "Москва – столица России, крупнейший по численности населения город страны и её политический центр."
    for wrong in (html(text, "cp1251", "utf-8", meta="windows-1251"), html(text, "cp1251", "utf-8")):
        assert text not in wrong.text
        assert text in middleware.process_response(wrong.request, wrong).text
    assert crawler.stats.get_value("newscrawl/repaired/encoding") == 2


@pytest.mark.parametrize(
    "origin",
    ["", "127.0.0.1:8123", "ftp://127.0.0.1", "http://", "http://127.0.0.1:8123/mirror", "http://127.0.0.1/?x=1"],
)
def test_a_resolve_target_that_is_no_origin_is_refused(origin):
    with pytest.raises(UsageError, match="NEWSCRAWL_RESOLVE"):
        origins({"sputnikglobe.com": origin})


def test_resolve_settings_from_the_command_line(make_crawler):
    crawler = make_crawler(NEWSCRAWL_RESOLVE='{"SputnikGlobe.com": "http://127.0.0.1:8123/"}')
    assert crawler.settings.getdict("DOWNLOAD_HANDLERS")["https"] == "newscrawl.resolve.ResolvingDownloadHandler"
    assert origins(crawler.settings.getdict("NEWSCRAWL_RESOLVE")) == {"sputnikglobe.com": ("http", "127.0.0.1:8123")}
    assert rebased("https://sputnikglobe.com/a/?b=1", ("http", "127.0.0.1:8123")) == "http://127.0.0.1:8123/a/?b=1"
    unmapped = make_crawler().settings.getdict("DOWNLOAD_HANDLERS")
    assert "newscrawl.resolve.ResolvingDownloadHandler" not in unmapped.values()


def test_resolve_and_replay_together_are_refused(make_crawler):
    with pytest.raises(UsageError, match="NEWSCRAWL_REPLAY"):
        make_crawler(NEWSCRAWL_RESOLVE={"sputnikglobe.com": "http://127.0.0.1:1"}, NEWSCRAWL_REPLAY=str(FIXTURE_SITE))
