"""Which one-day sitemaps a monthly sitemap index child becomes: the days of the crawl's window, never after the
day the index says the child last changed (it lists nothing published later), never before the window."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import XmlResponse

INDEX = "https://sputnikglobe.com/sitemap_article_index.xml"


def index_of(*children: tuple[str, str, str]) -> bytes:
    items = "".join(
        f"<sitemap><loc>https://sputnikglobe.com/sitemap_article.xml?date_start={start}&amp;date_end={end}</loc>"
        f"<lastmod>{lastmod}</lastmod></sitemap>" for start, end, lastmod in children)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'.encode()


def days_asked(spider, body: bytes) -> list[str]:
    page = XmlResponse(url=INDEX, body=body, request=Request(INDEX))
    return [request.url.split("date_start=")[1].split("&")[0] for request in spider.parse_sitemap(page)]


def test_the_days_end_on_the_day_the_child_last_changed(make_crawler):
    spider = make_crawler(spider_kwargs={"since": "2026-11-25T00:00:00+03:00"}).spider
    body = index_of(("20261101", "20261130", "2026-11-27T10:15:00+03:00"))
    assert days_asked(spider, body) == ["20261127", "20261126", "20261125"], "not the 28th to today: none exist"


def test_a_month_that_ended_before_the_window_gives_no_day(make_crawler):
    spider = make_crawler(spider_kwargs={"since": "2026-11-25T00:00:00+03:00"}).spider
    body = index_of(("20261101", "20261130", "2026-11-27T10:15:00+03:00"),
                    ("20261001", "20261031", "2026-10-31T23:50:00+03:00"))
    assert days_asked(spider, body) == ["20261127", "20261126", "20261125"]


def test_a_child_without_lastmod_ends_today_and_one_with_junk_lastmod_too(make_crawler):
    spider = make_crawler(NEWSCRAWL_SITEMAP_DAYS=1).spider
    for lastmod in ("", "yesterday-ish"):
        body = index_of(("20000101", "20991231", lastmod))
        [day] = days_asked(spider, body)
        assert day >= "20261130", "today in the site's zone (the run's clock), not a day before"
