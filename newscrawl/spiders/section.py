"""Navigation of a site's sections: listing pages and "load more", the section feed, the daily sitemaps.

This module only finds article URLs; `newscrawl.extraction` reads the article pages. The base spider has no
name, so Scrapy lists only the region spiders built on it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newscrawl.extensions.state import reject, state_of
from newscrawl.extraction.article import extract_article
from newscrawl.processors.dates import parse_datetime, parse_since
from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites import sputnik
from newscrawl.sites.rules import Site


class SectionSpider(scrapy.Spider):
    """Crawl the sections of one site; subclasses set `name`, `sections` and, for another site, `site`."""

    site: Site = sputnik.SITE
    sections: tuple[str, ...] = ()

    def __init__(self, *args, max_pages=None, since=None, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_pages = positive_int(max_pages, "max_pages")
        self.limit = positive_int(limit, "limit")
        self.since = parse_since(since, datetime.now(timezone.utc))
        self.allowed_domains = list(self.site.hosts)
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_pages = spider.max_pages or crawler.settings.getint("NEWSCRAWL_MAX_PAGES")
        spider.sitemap_days = crawler.settings.getint("NEWSCRAWL_SITEMAP_DAYS")
        # scaled out, the worker that finds pagination unavailable may not be the one reading the sitemaps
        spider.sitemaps_discover = bool(crawler.settings.get("NEWSCRAWL_REDIS_URL"))
        spider.rejected_hours = crawler.settings.getfloat("NEWSCRAWL_REJECTED_HOURS")
        return spider

    async def start(self):
        for section in self.sections:
            yield scrapy.Request(
                self.site.section_url.format(section=section),
                callback=self.parse_listing,
                errback=self.pagination_failed,
                cb_kwargs={"page": 1},
            )
            yield scrapy.Request(
                self.site.feed_url.format(section=section), callback=self.parse_feed, errback=self.source_failed
            )
        # sitemaps carry lastmod: the way to notice updates of articles already written
        yield scrapy.Request(self.site.robots_url, callback=self.parse_robots, errback=self.source_failed)

    def parse_listing(self, response, page: int):
        """Queue the listed articles, then the next "load more" page while it can hold wanted articles."""
        self.count("pages/listing")
        listing = self.site.listing
        fresh = unwritten = 0
        for entry in response.css(listing.items):
            when = parse_datetime(entry.css(listing.date).get(), self.site.timezone)
            if self.too_old(when):
                self.count("skipped/older_than_since")
                continue
            fresh += 1
            url = self.canonical(response.urljoin(entry.css(listing.link).get() or ""), "listing")
            if url and not (self.already_written(url) or self.rejected_lately(url)):
                unwritten += 1
            yield from self.article_request(url, "listing")
        next_url = next((url for css in listing.more if (url := response.css(css).get())), None)
        if not next_url:
            return
        if page >= self.max_pages or (self.since and not fresh):
            self.logger.info("Stopping pagination at page %d of %s (max_pages/since)", page, response.url)
            return
        if fresh and not unwritten:
            self.logger.info(
                "Stopping pagination at page %d of %s: every article on it was written (or rejected) before",
                page, response.url,
            )
            return
        yield response.follow(
            next_url, callback=self.parse_listing, errback=self.pagination_failed, cb_kwargs={"page": page + 1}
        )

    def parse_feed(self, response):
        """Queue the articles of an RSS or Atom feed."""
        self.count("pages/feed")
        response.selector.remove_namespaces()
        for entry in response.xpath("//item | //entry"):
            link = entry.xpath("link/text()").get() or entry.xpath("link/@href").get()
            when = parse_datetime(entry.xpath("pubDate/text() | updated/text()").get(), self.site.timezone)
            if self.too_old(when):
                self.count("skipped/older_than_since")
                continue
            yield from self.article_request(self.canonical((link or "").strip(), "feed"), "feed")

    def pagination_failed(self, failure):
        """Discover through the sitemaps when a listing page cannot be had (robots.txt forbids it, or an error)."""
        forbidden = failure.check(IgnoreRequest)  # robots.txt: expected on sites that disallow "load more"
        self.logger.log(
            logging.INFO if forbidden else logging.WARNING,
            "Listing page %s unavailable (%s); discovering through sitemaps",
            failure.request.url,
            "forbidden by robots.txt" if forbidden else failure_reason(failure),
        )
        self.count("pages/listing_unavailable")
        self.run_state["discover_in_sitemaps"] = True
        for url in self.run_state.pop("sitemap_pending", []):
            yield from self.article_request(url, "sitemap", check_section=True)

    def parse_robots(self, response):
        """Follow the article sitemaps that robots.txt declares."""
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if self.site.sitemap_follow and self.site.sitemap_follow.search(url):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.source_failed)

    def parse_sitemap(self, response):
        """Walk a sitemap index to its newest daily sitemaps; in a daily one, queue updates and, when
        pagination is unavailable, articles not yet written."""
        self.count("pages/sitemap")
        sitemap = Sitemap(response.body)
        entries = sorted(sitemap, key=lambda e: e.get("lastmod", ""), reverse=True)
        if sitemap.type == "sitemapindex":
            days = [e for e in entries if not self.too_old(parse_datetime(e.get("lastmod"), self.site.timezone))]
            for entry in days if self.since else days[: self.sitemap_days]:
                yield scrapy.Request(entry["loc"], callback=self.parse_sitemap, errback=self.source_failed)
            return
        for entry in entries:
            url = self.canonical(entry.get("loc"), "sitemap")
            if not self.site.is_article_url(url):
                continue
            if self.too_old(parse_datetime(entry.get("lastmod"), self.site.timezone)):
                self.count("skipped/older_than_since")
            elif self.already_written(url) or self.sitemaps_discover or self.run_state.get("discover_in_sitemaps"):
                # daily sitemaps list every section: a new article's page has to show it is one of ours
                yield from self.article_request(url, "sitemap", check_section=True, lastmod=entry.get("lastmod"))
            else:
                self.run_state.setdefault("sitemap_pending", []).append(url)

    @property
    def run_state(self) -> dict:
        """What this crawl learned that a JOBDIR resume must remember (Scrapy persists `spider.state`):
        whether to discover new articles in the sitemaps, and the ones found there before it knew."""
        if not hasattr(self, "state"):
            self.state = {}
        return self.state

    def canonical(self, url: str | None, source: str) -> str | None:
        """Return a link without tracking parameters, so variants meet once; count a link that is no URL."""
        canonical = canonicalize_url(url, extra_tracking_params=self.site.tracking_params)
        if not canonical:
            self.count("skipped/bad_url")
            self.logger.warning("Skipping a %s link that is not a web URL: %r", source, url)
        return canonical

    def already_written(self, url: str):
        """Return the state entry of an article an earlier run of this spider wrote, by URL or article id."""
        store = state_of(self.crawler)
        entry = store.find(self.name, url=url, article_id=self.site.article_id(url)) if store else None
        # what this run wrote itself is the duplicate filter's business, not a skip to count
        return entry if entry and entry.last_seen < self.started_at else None

    def rejected_lately(self, url: str):
        """Return this spider's recent rejection of a page (not ours, no article in it), if any."""
        store = state_of(self.crawler)
        since = datetime.now(timezone.utc) - timedelta(hours=self.rejected_hours)
        return store.rejection(self.name, url, since.isoformat()) if store else None

    def article_request(self, url: str | None, source: str, check_section: bool = False, lastmod: str | None = None):
        """Yield the request for an article, unless it was written or rejected before and has not changed since."""
        if not url:
            return
        changed = parse_datetime(lastmod, self.site.timezone)
        written = self.already_written(url)
        if written and not changed_since(written.modified or written.last_seen, changed):
            self.count("skipped/already_written")
            return
        rejected = None if written else self.rejected_lately(url)
        if rejected and not changed_since(rejected.at, changed):
            self.count("skipped/rejected_before")
            return
        self.count(f"discovered/{source}")
        yield scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"newscrawl_source": source, "newscrawl_check_section": check_section and not written},
        )

    def parse_article(self, response):
        """Yield the page's article record, unless it is of another section or older than `since`."""
        if self.limit and self.crawler.stats.get_value("newscrawl/written", 0) >= self.limit:
            # the writer enforces the exact count; this stops the crawl from fetching more
            raise CloseSpider("limit")
        self.count("pages/article")
        article = extract_article(response.selector, response.url, site=self.site)
        # where the page's response is archived, when a WARC is recorded or replayed (newscrawl.warc)
        article.warc_file = response.meta.get("newscrawl_warc_file")
        article.warc_record_id = response.meta.get("newscrawl_warc_record_id")
        self.count(f"layout/{article.layout}")
        if article.extraction == "fallback" and article.layout != "generic":
            self.logger.warning(
                "The %s layout rules found no body on %s; the generic extractor was used. Has the site changed "
                "its markup?", article.layout, response.url,
            )
        if response.meta.get("newscrawl_check_section") and article.section not in self.sections:
            self.count("skipped/other_section")
            reject(self.crawler, response.url, "other_section")
            self.logger.debug("Skipping %s: section %r is not one of %s", response.url, article.section, self.sections)
            return
        if self.too_old(parse_datetime(article.published)):
            self.count("skipped/older_than_since")
            return
        yield article

    def article_failed(self, failure):
        """Count and log an article page that could not be fetched, so none is lost silently."""
        reason = failure_reason(failure)
        self.count(f"dropped/fetch_failed/{reason}")
        # name the URL the spider asked for, not the last hop of a redirect chain
        url = failure.request.meta.get("redirect_urls", [failure.request.url])[0]
        self.logger.warning("Article %s not fetched: %s (%s)", url, reason, failure.value)

    def source_failed(self, failure):
        """Count and log a feed, robots.txt or sitemap that could not be fetched."""
        self.count("pages/source_failed")
        self.logger.warning("Discovery source %s unavailable: %s", failure.request.url, failure_reason(failure))

    def too_old(self, when: datetime | None) -> bool:
        """Tell whether a known date falls before the `since` window."""
        return bool(self.since and when and when < self.since)

    def count(self, key: str) -> None:
        """Increase a newscrawl stats counter."""
        self.crawler.stats.inc_value(f"newscrawl/{key}")


def changed_since(seen: str | None, lastmod: datetime | None) -> bool:
    """Tell whether a sitemap's lastmod is later than the version of the page this spider saw."""
    reference = parse_datetime(seen)
    return bool(lastmod and reference and lastmod > reference)


def failure_reason(failure) -> str:
    """Name why a request failed: "http_404" for an HTTP status, else the exception's class."""
    return f"http_{failure.value.response.status}" if failure.check(HttpError) else failure.type.__name__


def positive_int(value, name: str) -> int | None:
    """Read an optional positive whole-number spider argument, failing loudly on junk."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return number
