"""The real `scrapy crawl` against the bundled fixture site, as a user runs it offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT, shared
from jsonschema import Draft202012Validator

from newscrawl.pipelines.validation import load_schema

pytestmark = pytest.mark.subprocess

SEED_URL = (
    "https://sputnikglobe.com/20190530/"
    "us-trying-all-possible-means-to-blame-huawei-without-giving-evidence---china-1075461232.html"
)


def scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run a scrapy command of the project in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def isolated(tmp_path: Path) -> list[str]:
    """Settings that keep a run's output, state and lock inside tmp_path."""
    return [
        "-s", f"NEWSCRAWL_OUTPUT={tmp_path / '%(name)s.jsonl'}",
        "-s", f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}",
        "-s", f"NEWSCRAWL_LOCK={tmp_path / '%(name)s.lock'}",
    ]


def crawl(tmp_path: Path, *extra: str) -> tuple[list[dict], str]:
    """Crawl `asia` offline into tmp_path; return the records and the log."""
    output = tmp_path / "asia.jsonl"
    run = scrapy("crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}", *isolated(tmp_path), *extra)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Warning" not in run.stderr, "a deprecation today is a broken crawl after the next upgrade"
    lines = output.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines], run.stderr


def expected_asia_urls() -> set[str]:
    """URLs of the fixture's Asia articles that should be written, from the hand-written checks."""
    checks = [json.loads(p.read_text(encoding="utf-8")) for p in FIXTURE_SITE.glob("articles/*.checks.json")]
    return {c["url"] for c in checks if c.get("section") == "asia" and not c.get("expect_dropped")}


@pytest.fixture(scope="module")
def default_crawl(tmp_path_factory) -> tuple[list[dict], str]:
    """One offline crawl of `asia` with the default settings, made once per test run for every module and xdist
    worker that asks (its output stays in `shared_folder(tmp_path_factory, "default-crawl")`)."""
    records, log = shared(tmp_path_factory, "default-crawl", crawl)
    return records, log


def test_every_record_matches_the_schema(default_crawl):
    records, _ = default_crawl
    validator = Draft202012Validator(load_schema())
    for record in records:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, f"{record['url']}: {errors}"


def test_every_asia_article_is_written_exactly_once(default_crawl):
    records, _ = default_crawl
    urls = Counter(r["url"] for r in records)
    ids = Counter(r["article_id"] for r in records)
    assert [u for u, n in urls.items() if n > 1] == [] and [i for i, n in ids.items() if n > 1] == []
    assert set(urls) == expected_asia_urls()
    assert {r["section"] for r in records} == {"asia"}


def test_the_seed_article_record(default_crawl):
    records, _ = default_crawl
    [seed] = [r for r in records if r["url"] == SEED_URL]
    assert seed["headline"] == "US Trying 'All Possible Means' to Blame Huawei Without Giving Evidence - China"
    assert (seed["dateline"]["place"], seed["dateline"]["agency"]) == ("Beijing", "Sputnik")
    [quote] = [q for q in seed["quotes"] if q["text"].startswith("We would very much like the US")]
    assert quote["speaker"] == "Lu Kang"
    titles = {r["title"] for r in seed["related"]}
    assert "Apple Expected to Lose Huge Share of China's Market in Major Win for Huawei" in titles
    assert "Huawei Pushes Ahead With Trademarks for Own OS in Europe Amid US Crackdown" in titles
    lead_image = seed["images"][0]
    assert lead_image["credit"] == "© AP Photo / Dake Kang"
    assert lead_image["caption"].startswith("In this March 13, 2018, photo, the logo of Huawei")
    assert seed["body"].startswith("Washington is trying by all possible means")
    for furniture in ("Subscribe", "Newsfeed", "To participate in the discussion", "Chats", "READ MORE",
                      "Huawei Pushes Ahead", "Dake Kang", "Заголовок открываемого материала", "loader"):
        assert furniture not in seed["body"]


def test_robots_forbidden_pagination_leaves_the_feed_and_sitemaps(default_crawl):
    _, log = default_crawl
    assert "unavailable (forbidden by robots.txt); its articles are found through the feed and sitemaps" in log
    assert "newscrawl/pages/sitemap" in log or "pages/sitemap" in log


def test_dropped_and_skipped_pages_are_counted_and_named(default_crawl):
    _, log = default_crawl
    assert "Dropped https://" in log and "missing_body" in log
    assert "skipped/other_section" in log


def test_load_more_pagination_when_robots_allows_it(tmp_path):
    records, log = crawl(tmp_path, "-s", "ROBOTSTXT_OBEY=False")
    assert "forbidden by robots.txt" not in log
    listed = {r["url"] for r in records}
    assert SEED_URL in listed, "the seed is on the last load-more step"


def test_max_pages_and_limit_arguments_and_an_extra_output(tmp_path):
    extra = tmp_path / "extra.jsonl"
    records, log = crawl(tmp_path, "-s", "ROBOTSTXT_OBEY=False", "-a", "max_pages=1", "-a", "limit=3", "-O", str(extra))
    assert len(records) == 3
    assert "Stopping pagination at page 1" in log
    assert [json.loads(line) for line in extra.read_text(encoding="utf-8").splitlines()] == records


def test_since_keeps_only_newer_articles(tmp_path):
    records, _ = crawl(tmp_path, "-a", "since=2026-11-26")
    assert records and all(r["published"] >= "2026-11-26" for r in records)


def test_a_bad_argument_fails_loudly(tmp_path):
    run = scrapy("crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}", *isolated(tmp_path), "-a", "since=yesterday-ish")
    assert run.returncode != 0 and "yesterday-ish" in run.stderr


def test_scrapy_list_shows_the_regions_the_section_spider_and_ccnews():
    run = scrapy("list")
    assert run.stdout.split() == [
        "africa", "americas", "asia", "ccnews", "europe", "middle_east", "russia", "section", "world",
    ]


def test_scrapy_extract_prints_the_crawlers_record():
    page = FIXTURE_SITE / "articles" / "huawei-evidence.html"
    run = scrapy("extract", str(page), "--url", SEED_URL)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["url"] == SEED_URL and record["dateline"]["place"] == "Beijing"


def test_scrapy_extract_manifest_prints_one_line_per_page_in_order(tmp_path):
    pages = sorted((FIXTURE_SITE / "articles").glob("*.html"))[:3]
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("".join(json.dumps({"url": f"https://example.org/{p.stem}", "path": str(p)}) + "\n" for p in pages))
    run = scrapy("extract", "--manifest", str(manifest))
    assert run.returncode == 0, run.stderr
    assert [json.loads(line)["fetched_url"] for line in run.stdout.splitlines()] == [
        f"https://example.org/{p.stem}" for p in pages
    ]


def test_a_wrong_fixture_folder_fails_before_crawling(tmp_path):
    run = scrapy("crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={tmp_path / 'nowhere'}", *isolated(tmp_path))
    assert run.returncode != 0 and "no fixture site (site.json)" in run.stderr
    assert not (tmp_path / "asia.jsonl").exists()


def test_offline_crawl_works_from_a_subfolder_of_the_project(tmp_path):
    output = tmp_path / "asia.jsonl"
    run = scrapy("crawl", "asia", "-s", "NEWSCRAWL_REPLAY=fixtures/sputnik", *isolated(tmp_path), cwd=ROOT / "newscrawl")
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(output.read_text(encoding="utf-8").splitlines()) == len(expected_asia_urls())


def test_offline_records_and_state_stay_apart_from_live_ones(tmp_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(list((tmp_path / "data" / "replay" / "asia").glob("*.jsonl"))) == 1
    assert (tmp_path / "data" / "replay" / "state.sqlite").exists()
    assert not (tmp_path / "data" / "state.sqlite").exists() and not (tmp_path / "data" / "asia").exists()
