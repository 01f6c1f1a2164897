"""Cron-safe runs through the real `scrapy crawl`: incremental output, versions, kills, locks, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT, next_second
from test_crawl_offline import expected_asia_urls

pytestmark = pytest.mark.subprocess

UPDATED_URL = (
    "https://sputnikglobe.com/20261127/"
    "tokyo-stages-largest-ever-earthquake-drill-as-experts-warn-of-megaquake-risk-1121150342.html"
)


def crawl_args(workdir: Path, site: Path = FIXTURE_SITE, *extra: str) -> list[str]:
    """A `scrapy crawl asia` command line against a fixture site, with output, state and lock in workdir."""
    return [
        sys.executable, "-m", "scrapy", "crawl", "asia",
        "-s", f"NEWSCRAWL_REPLAY={site}",
        "-s", f"NEWSCRAWL_OUTPUT={workdir / 'data' / '%(name)s' / '%(time)s.jsonl'}",
        "-s", f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}",
        "-s", f"NEWSCRAWL_LOCK={workdir / '%(name)s.lock'}",
        *extra,
    ]


def run_crawl(workdir: Path, site: Path = FIXTURE_SITE, *extra: str) -> subprocess.CompletedProcess:
    """Run the crawl to its end, named (output files are named by their start second) after the runs before it in
    workdir: every one of them has ended before this call."""
    if any((workdir / "data" / "asia").glob("*")):
        next_second()
    return subprocess.run(crawl_args(workdir, site, *extra), cwd=ROOT, capture_output=True, text=True, timeout=300)


def finished_records(workdir: Path) -> list[dict]:
    """Every record of every finished output file, in file order."""
    files = sorted((workdir / "data" / "asia").glob("*.jsonl"))
    return [json.loads(line) for file in files for line in file.read_text(encoding="utf-8").splitlines()]


def summaries(workdir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((workdir / "data" / "asia").glob("*.summary.json"))]


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    return site


def test_second_run_writes_nothing_new_fetches_a_few_pages_and_succeeds(tmp_path):
    first, second = run_crawl(tmp_path), run_crawl(tmp_path)
    assert (first.returncode, second.returncode) == (0, 0), second.stderr[-2000:]
    records = finished_records(tmp_path)
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())
    assert "Nothing new to write" in second.stderr
    report = summaries(tmp_path)[-1]
    assert report["articles"]["written"] == 0 and report["health"]["problems"] == []
    assert report["pages"].get("article", 0) == 0
    assert sum(report["http_status"].values()) <= 8, "an unchanged section costs a handful of requests"


def test_a_changed_article_is_written_once_more_as_version_2(tmp_path):
    site = copy_site(tmp_path)
    assert run_crawl(tmp_path, site).returncode == 0
    page = site / "articles" / "tokyo-quake-drill.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace('"dateModified": "2026-11-27T17:55:00+03:00"', '"dateModified": "2026-11-27T19:30:00+03:00"')
    page.write_text(html, encoding="utf-8")
    sitemap = site / "sitemaps" / "article-20261127.xml"
    xml = sitemap.read_text(encoding="utf-8")
    loc = f"<loc>{UPDATED_URL}</loc><lastmod>2026-11-27T17:55:00+03:00</lastmod>"
    assert loc in xml, "the fixture's sitemap entry for the updated article"
    sitemap.write_text(xml.replace(loc, loc.replace("17:55", "19:30")), encoding="utf-8")

    second = run_crawl(tmp_path, site)
    assert second.returncode == 0, second.stderr[-2000:]
    records = finished_records(tmp_path)
    versions = Counter((r["url"], r["version"]) for r in records)
    assert [key for key, n in versions.items() if n > 1] == []
    [update] = [r for r in records if r["version"] == 2]
    assert update["url"] == UPDATED_URL and update["modified"] == "2026-11-27T16:30:00+00:00"
    assert summaries(tmp_path)[-1]["articles"]["updated"] == 1
    assert len(records) == len(expected_asia_urls()) + 1


def test_a_killed_run_loses_and_duplicates_nothing(tmp_path):
    slow = subprocess.Popen(
        crawl_args(tmp_path, FIXTURE_SITE, "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS=1"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    partial = []
    while time.monotonic() < deadline and slow.poll() is None:
        partial = list((tmp_path / "data" / "asia").glob("*.part"))
        if partial and len(partial[0].read_bytes().splitlines()) >= 3:
            break
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=30)
    assert partial, "the killed run had started writing"

    rerun = run_crawl(tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "Recovered" in rerun.stderr
    assert not list((tmp_path / "data" / "asia").glob("*.part"))
    records = finished_records(tmp_path)
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())


def test_a_second_concurrent_run_exits_at_once_with_its_own_code(tmp_path):
    slow = subprocess.Popen(
        crawl_args(tmp_path, FIXTURE_SITE, "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS=1"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "asia.lock").exists() or not (tmp_path / "asia.lock").read_text():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        started = time.monotonic()
        second = subprocess.run(crawl_args(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 75
        assert "another run is in progress" in second.stderr and f"pid {slow.pid}" in second.stderr
        assert time.monotonic() - started < 15
    finally:
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=30)
    # the killed run's lock is stale: the next run takes it over
    third = run_crawl(tmp_path)
    assert third.returncode == 0, third.stderr[-2000:]
    assert re.search(rf"taking over the lock left by .*pid {slow.pid}", third.stderr)


def test_a_long_crawl_resumes_with_jobdir(tmp_path):
    jobdir = ["-s", f"JOBDIR={tmp_path / 'job'}"]
    first = run_crawl(tmp_path, FIXTURE_SITE, *jobdir, "-s", "CLOSESPIDER_PAGECOUNT=8", "-s", "CONCURRENT_REQUESTS=1")
    assert first.returncode in (0, 7), first.stderr[-2000:]
    resumed = run_crawl(tmp_path, FIXTURE_SITE, *jobdir)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    records = finished_records(tmp_path)
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())


def rewrite_manifest(site: Path, change) -> None:
    manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    for entry in manifest["responses"]:
        change(entry)
    (site / "site.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_blocked_crawl_exits_6(tmp_path):
    site = copy_site(tmp_path)
    rewrite_manifest(site, lambda entry: entry.update(status=403) if "robots" not in entry["url"] else None)
    run = run_crawl(tmp_path, site)
    assert run.returncode == 6 and "blocked" in run.stderr


def test_a_crawl_that_finds_no_articles_exits_3(tmp_path):
    site = copy_site(tmp_path)
    # a redesign: every article page is there but has no article in it
    for page in (site / "articles").glob("*.html"):
        page.write_text("<html><head><title>Sputnik</title></head><body><p>Page</p></body></html>", encoding="utf-8")
    run = run_crawl(tmp_path, site)
    assert run.returncode == 3 and "no articles" in run.stderr
    assert not list((tmp_path / "data" / "asia").glob("*.jsonl")), "no empty file is left behind"


def test_a_coverage_drop_against_earlier_runs_exits_4(tmp_path):
    assert run_crawl(tmp_path).returncode == 0
    site = copy_site(tmp_path)
    for page in (site / "articles").glob("*.html"):
        # a redesign renamed the tag markup: the articles come through, their tags do not
        html = page.read_text(encoding="utf-8")
        for marker, renamed in (("article__tags-item", "topic"), ("article:tag", "topic"), ('"keywords"', '"topics"')):
            html = html.replace(marker, renamed)
        page.write_text(html, encoding="utf-8")
    for state in tmp_path.glob("state.sqlite*"):
        state.unlink()  # a fresh state: every article is written again
    run = run_crawl(tmp_path, site)
    assert run.returncode == 4
    assert re.search(r"health +coverage fell: tags \d+% -> 0%$", run.stderr, re.MULTILINE), "only the tags fell"


def test_a_page_without_an_article_is_not_fetched_again_and_does_not_stop_the_early_stop(tmp_path):
    site = copy_site(tmp_path)
    video = site / "articles" / "tokyo-quake-drill.html"  # the newest story on the section's first page
    video.write_text("<html><head><title>Video - Sputnik International</title></head><body></body></html>", encoding="utf-8")
    first = run_crawl(tmp_path, site)
    assert first.returncode == 0 and f"Dropped {UPDATED_URL}: missing_body" in first.stderr
    second = run_crawl(tmp_path, site)
    assert second.returncode == 0, second.stderr[-2000:]
    report = summaries(tmp_path)[-1]
    assert report["skipped"].get("rejected_before", 0) >= 1 and report["pages"].get("article", 0) == 0
    assert "every article on it was written (or rejected) before" in second.stderr


def test_a_redesign_still_gives_full_records_through_the_fallback_and_a_loud_warning(tmp_path):
    site = copy_site(tmp_path)
    for page in (site / "articles").glob("*.html"):
        # the body container and text blocks renamed: the site rules find no body any more
        html = page.read_text(encoding="utf-8").replace("article__body", "article__content")
        page.write_text(html.replace("b-article__text", "b-article__content"), encoding="utf-8")
    run = run_crawl(tmp_path, site)
    assert run.returncode == 0, run.stderr[-2000:]
    records = finished_records(tmp_path)
    assert sorted(r["url"] for r in records) == sorted(expected_asia_urls())
    assert {r["extraction"] for r in records} == {"fallback"}
    [seed] = [r for r in records if r["article_id"] == "1075461232"]
    assert seed["body"].startswith("Washington is trying") and seed["body"].endswith("Huawei has refuted the accusations.")
    assert seed["dateline"]["place"] == "Beijing" and seed["quotes"][0]["speaker"] == "Lu Kang"
    assert "layout rules found no body" in run.stderr and "Has the site changed its markup?" in run.stderr
    assert summaries(tmp_path)[-1]["extraction"] == {"fallback": len(records)}


def test_a_run_killed_after_its_last_line_is_finished_by_the_next_which_is_healthy_with_nothing_new(tmp_path):
    # SIGKILL between the last record and the rename: every article is in the .part, none in the state
    assert run_crawl(tmp_path / "first").returncode == 0
    [written] = (tmp_path / "first" / "data" / "asia").glob("*.jsonl")
    folder = tmp_path / "data" / "asia"
    folder.mkdir(parents=True)
    written.rename(folder / f"{written.name}.part")
    rerun = run_crawl(tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"Recovered {len(expected_asia_urls())} articles" in rerun.stderr and "Nothing new to write" in rerun.stderr
    assert sorted(r["url"] for r in finished_records(tmp_path)) == sorted(expected_asia_urls())
