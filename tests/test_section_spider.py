"""Navigation on the fixture site's listing, feed and sitemap pages, callback by callback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import FIXTURE_SITE
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.extensions.state import incremental_of, state_of
from newscrawl.processors.datetimes import parse_datetime
from newscrawl.spiders.section import positive_int
from newscrawl.state import Emitted


def response(cls, url: str, file: str, meta=None):
    return cls(url=url, body=(FIXTURE_SITE / file).read_bytes(), request=Request(url, meta=meta or {}))


def article_urls(requests) -> list[str]:
    return [r.url for r in requests if r.callback.__name__ == "parse_article"]


def requested(spider, url: str, source: str, lastmod: str | None = None) -> list[Request]:
    """The requests the spider makes for one listed article (none when it skips it)."""
    [site] = spider.sites
    entry = spider.article_entry(url, source, site, check_section=source == "sitemap", lastmod=parse_datetime(lastmod))
    return spider.queue([entry], site)


def pending_urls(spider) -> set[str]:
    return {entry.url for entry in state_of(spider.crawler).pending("asia")}


@pytest.fixture
def spider(make_crawler):
    return make_crawler().spider


def test_listing_queues_its_articles_and_the_next_page(spider):
    requests = list(spider.parse_listing(response(HtmlResponse, "https://sputnikglobe.com/asia/", "sections/asia.html"), page=1))
    assert len(article_urls(requests)) == 6
    [next_page] = [r for r in requests if r.callback.__name__ == "parse_listing"]
    assert next_page.url.startswith("https://sputnikglobe.com/services/asia/more.html?id=")
    assert next_page.cb_kwargs == {"page": 2}


def test_listing_stops_at_max_pages(make_crawler):
    spider = make_crawler({"max_pages": "1"}).spider
    requests = list(spider.parse_listing(response(HtmlResponse, "https://sputnikglobe.com/asia/", "sections/asia.html"), page=1))
    assert [r for r in requests if r.callback.__name__ == "parse_listing"] == []


def test_last_load_more_step_ends_pagination(spider):
    url = "https://sputnikglobe.com/services/asia/more.html?id=1121136354&date=20261125T112000"
    requests = list(spider.parse_listing(response(HtmlResponse, url, "services/asia/more-2.html"), page=3))
    assert requests and all(r.callback.__name__ == "parse_article" for r in requests)


def test_since_skips_old_listing_items_and_stops_pagination(make_crawler):
    crawler = make_crawler({"since": "2026-11-27"})
    page = response(HtmlResponse, "https://sputnikglobe.com/asia/", "sections/asia.html")
    requests = list(crawler.spider.parse_listing(page, page=1))
    assert 0 < len(article_urls(requests)) < 6
    assert crawler.stats.get_value("newscrawl/skipped/older_than_since") == 6 - len(article_urls(requests))


def test_feed_links_lose_their_tracking_parameters(spider):
    page = response(XmlResponse, "https://sputnikglobe.com/export/rss2/asia/index.xml", "feeds/asia.xml")
    urls = article_urls(spider.parse_feed(page))
    assert len(urls) == 8
    assert not [u for u in urls if "utm_" in u]


def test_sitemap_index_leads_to_the_newest_days(make_crawler):
    spider = make_crawler(NEWSCRAWL_SITEMAP_DAYS=2).spider
    page = response(XmlResponse, "https://sputnikglobe.com/sitemap_article_index.xml", "sitemaps/article_index.xml")
    assert [r.url.split("date_start=")[1][:8] for r in spider.parse_sitemap(page)] == ["20261127", "20261126"]


def test_new_sitemap_articles_are_requested_at_once_whatever_pagination_does_and_prove_their_section(spider):
    # the daily sitemaps are the only source of some articles: they must not wait for "load more" to fail
    url = "https://sputnikglobe.com/sitemap_article.xml?date_start=20261126&date_end=20261126"
    requests = list(spider.parse_sitemap(response(XmlResponse, url, "sitemaps/article-20261126.xml")))
    assert len(requests) >= 5 and all(r.meta["newscrawl_check_section"] for r in requests)
    assert pending_urls(spider) == {r.url for r in requests}, "noted in the state before they are requested"


def test_what_a_source_listed_is_pending_until_written_and_a_new_run_requests_it_first(make_crawler):
    first = make_crawler().spider
    page = response(HtmlResponse, "https://sputnikglobe.com/asia/", "sections/asia.html")
    requests = list(first.parse_listing(page, page=1))
    [load_more] = [r for r in requests if r.callback.__name__ == "parse_listing"]
    assert pending_urls(first) == {r.url for r in requests}
    written = article_urls(requests)[0]
    incremental_of(first.crawler).written({"url": written, "fetched_url": written, "version": 1})
    # the run ends here (a signal, `limit`, a crash): the next one starts with what is left
    second = make_crawler().spider
    leftover = [entry.url for entry in incremental_of(second.crawler).leftover()]
    assert set(leftover) == {r.url for r in requests} - {written}
    [again] = [entry for entry in incremental_of(second.crawler).leftover() if entry.url == load_more.url]
    assert (again.kind, again.page) == ("listing", 2)
    assert second.request_for(again).cb_kwargs == {"page": 2}


def test_a_written_article_is_fetched_again_only_when_the_sitemap_says_it_changed(spider):
    url = "https://sputnikglobe.com/20261126/sri-lanka-signs-deal-to-expand-colombo-ports-east-container-terminal-1121144755.html"
    state_of(spider.crawler).record(
        Emitted("asia", url, "sputnik:1121144755", "sha256:x", "2026-11-26T15:30:00+00:00", 1, "", "2026-11-26T16:00:00+00:00")
    )
    assert requested(spider, url, "listing") == []
    assert requested(spider, url, "sitemap", lastmod="2026-11-26T18:30:00+03:00") == []
    [again] = requested(spider, url, "sitemap", lastmod="2026-11-26T19:00:00+03:00")
    assert again.url == url and again.meta["newscrawl_check_section"]
    assert spider.crawler.stats.get_value("newscrawl/skipped/already_written") == 2


def test_article_of_another_section_from_a_sitemap_is_skipped_and_counted(spider):
    url = "https://sputnikglobe.com/20261126/german-rail-workers-launch-24-hour-strike-over-pay-1121142310.html"
    page = response(HtmlResponse, url, "articles/berlin-rail-strike.html", meta={"newscrawl_check_section": True})
    assert list(spider.parse_article(page)) == []
    assert spider.crawler.stats.get_value("newscrawl/skipped/other_section") == 1


def test_failed_article_fetch_is_counted_by_reason(spider):
    url = "https://sputnikglobe.com/20261126/gone-1121000000.html"
    failure = Failure(HttpError(HtmlResponse(url=url, status=404, request=Request(url))))
    failure.request = Request(url)
    assert list(spider.article_failed(failure)) == []
    assert spider.crawler.stats.get_value("newscrawl/dropped/fetch_failed/http_404") == 1


@pytest.mark.parametrize("value", ["0", "-3", "many", "1.5"])
def test_bad_whole_number_arguments_fail_loudly(value):
    with pytest.raises(ValueError, match="max_pages"):
        positive_int(value, "max_pages")


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("3", 3)])
def test_whole_number_arguments(value, expected):
    assert positive_int(value, "max_pages") == expected


def test_a_page_rejected_lately_is_skipped_until_a_sitemap_says_it_changed(spider):
    url = "https://sputnikglobe.com/20261125/video-drone-footage-shows-first-snow-blanketing-seouls-historic-palaces-1121139866.html"
    incremental_of(spider.crawler).rejected(url, "missing_body")
    assert requested(spider, url, "listing") == []
    assert spider.crawler.stats.get_value("newscrawl/skipped/rejected_before") == 1
    [again] = requested(spider, url, "sitemap", lastmod="2099-01-01T00:00:00+00:00")
    assert again.url == url


def test_an_old_rejection_is_tried_again(spider):
    url = "https://sputnikglobe.com/20261125/video-1121139866.html"
    two_days_ago = (datetime.now(UTC) - timedelta(hours=48)).isoformat()
    state_of(spider.crawler).reject("asia", url, "missing_body", two_days_ago)
    assert len(requested(spider, url, "listing")) == 1


def test_another_sections_page_stays_rejected_while_its_sitemap_entry_is_unchanged(spider):
    url = "https://sputnikglobe.com/20261126/german-rail-workers-launch-24-hour-strike-over-pay-1121142310.html"
    two_days_ago = (datetime.now(UTC) - timedelta(hours=48)).isoformat()
    state_of(spider.crawler).reject("asia", url, "other_section", two_days_ago)
    assert requested(spider, url, "sitemap", lastmod="2026-11-26T12:00:00+03:00") == []
    assert len(requested(spider, url, "listing")) == 1, "without a lastmod, a rejection lasts NEWSCRAWL_REJECTED_HOURS"


def test_a_page_that_keeps_answering_404_is_given_up_after_a_few_runs_a_network_error_never(make_crawler):
    url = "https://sputnikglobe.com/20261126/gone-1121000000.html"
    for _run in range(3):
        spider = make_crawler().spider
        requested(spider, url, "listing")
        for _reason, error in (("http_404", HttpError(HtmlResponse(url=url, status=404, request=Request(url)))),
                              ("TimeoutError", TimeoutError("stalled"))):
            failure = Failure(error)
            failure.request = Request(url, meta={"newscrawl_listed_url": url})
            list(spider.article_failed(failure))
    assert pending_urls(spider) == set()
    assert state_of(spider.crawler).rejection("asia", url).reason == "http_404"


# -- the live platform's discovery (../shared/research/sputnik-structure.md, last addendum) -----------------------

MONTHLY_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://sputnikglobe.com/sitemap_article.xml?date_start=20261101&amp;date_end=20261130</loc>
<lastmod>2026-11-30T09:00:00+03:00</lastmod></sitemap>
<sitemap><loc>https://sputnikglobe.com/sitemap_article.xml?date_start=20261001&amp;date_end=20261031</loc>
<lastmod>2026-10-31T23:50:00+03:00</lastmod></sitemap>
</sitemapindex>"""


def test_a_monthly_sitemap_is_read_as_the_days_the_crawl_wants(make_crawler):
    spider = make_crawler(NEWSCRAWL_SITEMAP_DAYS=2).spider
    url = "https://sputnikglobe.com/sitemap_article_index.xml"
    page = XmlResponse(url=url, body=MONTHLY_INDEX, request=Request(url))
    days = [r.url.split("date_start=")[1] for r in spider.parse_sitemap(page)]
    today = datetime.now(timezone(timedelta(hours=3))).date()  # Moscow: the site's days
    wanted = [(today - timedelta(days=n)).strftime("%Y%m%d") for n in range(2)]
    # one-day URLs of the newest month only, never the whole month's thousands of entries
    assert days == [f"{day}&date_end={day}" for day in wanted if day.startswith("202611")]


def failed(url: str, status: int = 404) -> Failure:
    answer = HtmlResponse(url=url, status=status, body=b"", request=Request(url))
    return Failure(HttpError(answer))


def test_a_section_feed_that_fails_gives_way_to_the_site_feed_section_checked_once(spider):
    first = failed("https://sputnikglobe.com/export/rss2/asia/index.xml")
    first.request = Request("https://sputnikglobe.com/export/rss2/asia/index.xml")
    [fallback] = list(spider.section_feed_failed(first))
    assert fallback.url == "https://sputnikglobe.com/export/rss2/archive/index.xml"
    assert fallback.cb_kwargs == {"check_section": True}
    assert list(spider.section_feed_failed(first)) == [], "once a run"
    assert spider.crawler.stats.get_value("newscrawl/pages/source_failed") == 2


def test_a_load_more_control_without_a_next_url_is_warned_about(spider, caplog):
    body = (FIXTURE_SITE / "sections" / "asia.html").read_text(encoding="utf-8").replace("data-url=", "data-gone=")
    url = "https://sputnikglobe.com/asia/"
    page = HtmlResponse(url=url, body=body.encode(), encoding="utf-8", request=Request(url))
    requests = list(spider.parse_listing(page, page=1))
    assert not [r for r in requests if r.callback.__name__ == "parse_listing"]
    assert spider.crawler.stats.get_value("newscrawl/pages/listing_more_without_url") == 1
    assert "no next page URL" in caplog.text


class Page:
    def __init__(self, url, section):
        self.url, self.section = url, section


@pytest.mark.parametrize(
    ("section", "verdict"),
    [(None, None), ("", None), ("world", False), ("asia", True)],
)
def test_a_page_proves_its_section_by_what_it_declares_or_is_unproven(spider, section, verdict):
    [site] = spider.sites
    url = "https://sputnikglobe.com/20261127/a-1121150342.html"
    assert spider.section_verdict(site, Page(url, section), None) is verdict
