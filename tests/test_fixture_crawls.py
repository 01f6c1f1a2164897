"""The real `scrapy crawl` offline over every fixture site: each site.json says which region spider crawls it and
how many records that crawl writes ({"crawl": {"spider": "asia", "site": "guardian", "written": 3}})."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURE_SITES, ROOT
from test_crawl_offline import isolated, scrapy

from newscrawl.extensions.report import summary_path
from scripts.regenerate_expected import article_pages

UTC_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$")


def crawl_of(site_dir: Path) -> dict:
    return json.loads((site_dir / "site.json").read_text(encoding="utf-8"))["crawl"]


def article_urls(site_dir: Path) -> set[str]:
    """The URLs of a fixture's article pages: where site.json serves them, and their canonical URLs (hand checks)."""
    pages = article_pages(site_dir)
    checks = (path.with_name(path.stem + ".checks.json") for path in pages)
    return set(pages.values()) | {json.loads(path.read_text(encoding="utf-8"))["url"] for path in checks}


@pytest.mark.subprocess
@pytest.mark.parametrize("site_dir", FIXTURE_SITES, ids=lambda path: path.name)
def test_the_offline_crawl_of_a_fixture_site_writes_its_articles(site_dir, tmp_path):
    crawl = crawl_of(site_dir)
    run = scrapy("crawl", crawl["spider"], "-a", f"sites={crawl['site']}",
                 "-s", f"NEWSCRAWL_REPLAY=fixtures/{site_dir.name}", *isolated(tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    output = tmp_path / f"{crawl['spider']}.jsonl"
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] if output.exists() else []
    assert len(records) == crawl["written"], [r["url"] for r in records]
    summary = json.loads(summary_path(str(output)).read_text(encoding="utf-8"))
    assert summary["sites"][crawl["site"]]["written"] == crawl["written"], "the summary counts the site's articles"
    assert len({r["url"] for r in records}) == len(records), "each article once"
    known = article_urls(site_dir)
    for record in records:
        assert record["url"] in known, f"{record['url']} is none of the fixture's articles"
        assert record["body"] and record["body"].strip(), record["url"]
        assert record["published"] and UTC_OFFSET.search(record["published"]), (record["url"], record["published"])


def test_every_fixture_site_declares_its_crawl():
    for site_dir in FIXTURE_SITES:
        crawl = crawl_of(site_dir)
        assert set(crawl) == {"spider", "site", "written"} and crawl["written"] > 0, site_dir.name
        assert (ROOT / "newscrawl" / "spiders" / f"{crawl['spider']}.py").is_file(), crawl["spider"]
