"""Shared test helpers: paths of the fixture sites and a crawler built the way Scrapy builds one."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.extension import ExtensionManager
from scrapy.utils.test import get_crawler

from newscrawl.extensions.state import state_of
from newscrawl.items import Article
from newscrawl.spiders.asia import AsiaSpider

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "fixtures" / "sputnik"
FIXTURE_SITES = sorted(path.parent for path in (ROOT / "fixtures").glob("*/site.json"))
"""Every fixture site folder (fixtures/<site>/ with its site.json manifest)."""


def project_settings(**overrides) -> dict:
    """Return the project's settings module as a dict, with overrides."""
    from newscrawl import settings

    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return {**values, **overrides}


@pytest.fixture
def make_crawler(tmp_path):
    """Build a crawler with the project settings, its extensions (the state store in tmp_path) and an `asia`
    spider attached, as `scrapy crawl` would."""
    crawlers = []

    def build(spider_kwargs=None, **settings):
        settings.setdefault("NEWSCRAWL_STATE", str(tmp_path / "state.sqlite"))
        crawler = get_crawler(AsiaSpider, project_settings(**settings))
        crawler.extensions = ExtensionManager.from_crawler(crawler)
        crawler.spider = AsiaSpider.from_crawler(crawler, **(spider_kwargs or {}))
        crawlers.append(crawler)
        return crawler

    yield build
    for crawler in crawlers:
        state_of(crawler).close()


def article(**fields) -> Article:
    """A valid article record; tests override the fields they are about."""
    values = {
        "url": "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html",
        "fetched_url": "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html",
        "article_id": "1121000001",
        "publisher": "Sputnik International",
        "section": "asia",
        "headline": "Tokyo Holds Drill",
        "body": "Tokyo held a drill on Friday.",
        "published": "2026-11-27T06:00:00+00:00",
        "published_raw": "2026-11-27T09:00:00+03:00",
        "published_source": "jsonld",
        "extraction": "rules",
        "language": "en",
        "layout": "ria",
        "content_hash": "sha256:" + "a" * 64,
        "crawled_at": "2026-11-28T10:00:00+00:00",
    }
    values.update(fields)
    return Article(**values)
