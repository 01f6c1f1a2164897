"""`scrapy crawl section -a url=…`: any news section by its URL, with the region spiders' engine.

The offline crawls use the Guardian fixture (real article pages; its Asia-Pacific front rebuilt from the real
technology front's template), read here with the generic discovery instead of the Guardian's site rules. The
unit tests read the real NPR science section page of the WCXB dev split (tests/discovery/README.md), a site
newscrawl has no rules for.
"""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import ROOT, project_settings
from scrapy.extension import ExtensionManager
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from test_crawl_offline import isolated, scrapy
from test_fixture_crawls import article_urls

from newscrawl import discovery
from newscrawl.extensions.state import state_of
from newscrawl.spiders.any_section import AnySectionSpider

GUARDIAN_ASIA = "https://www.theguardian.com/world/asia-pacific"
NPR_SCIENCE = "https://www.npr.org/sections/science/"


def records(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def crawl_section(tmp_path, url: str = GUARDIAN_ASIA, *extra: str):
    return scrapy("crawl", "section", "-a", f"url={url}", "-s", "NEWSCRAWL_REPLAY=fixtures/guardian",
                  *isolated(tmp_path), *extra)


@pytest.mark.subprocess
def test_a_section_by_url_writes_its_articles_once_then_nothing_new(tmp_path):
    first = crawl_section(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    output = tmp_path / "section_theguardian.com_world-asia-pacific.jsonl"
    written = records(output)
    urls = [record["url"] for record in written]
    # the front's two story cards, and the section feed's (a feed under the section's path is the section's)
    assert len(urls) == len(set(urls)) == 3, urls
    assert set(urls) <= article_urls(ROOT / "fixtures" / "guardian")
    assert all(record["body"] and record["published"] for record in written)
    output.unlink()
    second = crawl_section(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert records(output) == [], "a second run finds nothing new"


@pytest.mark.subprocess
@pytest.mark.parametrize("url", ["", "asia", "ftp://example.com/asia/", "javascript:alert(1)"])
def test_a_url_that_is_no_web_page_is_a_one_line_error(tmp_path, url):
    run = crawl_section(tmp_path, url)
    assert run.returncode == 1
    assert "url must be the section page's web address" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.fixture
def npr_spider(tmp_path):
    """A `section` spider for NPR's science section, built as `scrapy crawl` builds it, its state in tmp_path."""
    crawler = get_crawler(AnySectionSpider, project_settings(NEWSCRAWL_STATE=str(tmp_path / "state.sqlite")))
    crawler.extensions = ExtensionManager.from_crawler(crawler)
    crawler.spider = AnySectionSpider.from_crawler(crawler, url=NPR_SCIENCE)
    yield crawler.spider
    state_of(crawler).close()


def npr_page() -> HtmlResponse:
    body = gzip.decompress((ROOT / "tests" / "discovery" / "3011.html.gz").read_bytes())
    return HtmlResponse(NPR_SCIENCE, body=body, encoding="utf-8", request=Request(NPR_SCIENCE))


def test_a_site_without_rules_is_crawled_on_its_own_host_only(npr_spider):
    assert npr_spider.allowed_domains == ["npr.org"]
    assert npr_spider.sites[0].key == "" and not npr_spider.sites[0].hosts


def test_the_section_page_queues_its_stories_and_not_its_navigation(npr_spider):
    page = npr_page()
    requested = [r.url for r in npr_spider.parse_listing(page, page=1) if r.callback == npr_spider.parse_article]
    assert sorted(requested) == sorted(discovery.article_links(page, NPR_SCIENCE)) and len(requested) >= 15
    assert not [url for url in requested if "/transcripts/" in url or url.endswith(".mp3")]


def test_an_article_is_kept_on_evidence_and_dropped_without_any(npr_spider):
    class Record:
        def __init__(self, url, section):
            self.url, self.section = url, section

    page = npr_page()
    assert npr_spider.section_verdict(npr_spider.sites[0], Record(NPR_SCIENCE + "2026/03/06/x", None), page) is True
    assert npr_spider.section_verdict(npr_spider.sites[0], Record("https://www.npr.org/2026/x", "Politics"), page) is False
    assert npr_spider.section_verdict(npr_spider.sites[0], Record("https://www.npr.org/2026/x", None), page) is None
