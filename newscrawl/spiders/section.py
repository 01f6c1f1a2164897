"""Navigation of a site's sections: listing pages and "load more", the section feed, the daily sitemaps.

This module only finds article URLs; `newscrawl.extraction` reads the article pages. Whether a URL is fetched,
and what becomes of it, is the incremental service's to decide and remember (`newscrawl.state.incremental`):
every URL a source lists is requested until it is written or rejected, whatever order the sources answer in
and however the run ends. The state's pending URLs are also the run's queue: at most NEWSCRAWL_QUEUE_SIZE of them
are requests in Scrapy's scheduler at a time, and the next ones are read from the state, in its order, as it
empties, so a sitemap of a hundred thousand URLs costs no more memory than one of a thousand. The base spider has
no name, so Scrapy lists only the region spiders built on it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap

from newscrawl.discovery.dated_sitemaps import date_range, day_urls
from newscrawl.discovery.sources import sitemaps_from_robots
from newscrawl.extensions.state import incremental_of
from newscrawl.extraction.article import extract_article
from newscrawl.processors.datetimes import parse_datetime, parse_since
from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites import site_for_url, site_key, sites_named
from newscrawl.sites.rules import Site
from newscrawl.state import Pending, PendingKey, utc_text
from newscrawl.state.incremental import WRITTEN_THIS_RUN, StorageFailed

LISTED_URL = "newscrawl_listed_url"
"""Request meta: the URL as a source listed it, kept through redirects (the key of its pending entry)."""
SITE = "newscrawl_site"
"""Request meta: the key of the site whose source listed the URL."""
QUEUED = "newscrawl_queued"
"""Request meta: a request of a pending URL, counted against NEWSCRAWL_QUEUE_SIZE until it is done."""


def ends_quietly_if_storage_failed(callback):
    """Let a callback end without another traceback when the state failed: that stopped the run, logged once."""

    @wraps(callback)
    def quiet(*args, **kwargs):
        try:
            yield from callback(*args, **kwargs) or ()
        except StorageFailed:
            return

    return quiet


class SectionSpider(scrapy.Spider):
    """Crawl one region's sections of the enabled sites (`-a sites=`, else NEWSCRAWL_SITES); a region spider
    only names its region: each site declares its sections for it (`Site.regions`)."""

    region: str = ""
    # set by from_crawler from the settings (and by use_sites), as Scrapy builds a spider
    sites: tuple[Site, ...] = ()
    sections: dict[str, tuple[str, ...]]
    sitemap_days: int
    queue_size: int
    started: str
    cursor: PendingKey | None
    outstanding: int
    fallen_back: set[str]

    def __init__(self, *args, sites=None, max_pages=None, since=None, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites_argument = sites
        self.max_pages = positive_int(max_pages, "max_pages") or 0  # 0: NEWSCRAWL_MAX_PAGES
        self.limit = positive_int(limit, "limit")
        self.since = parse_since(since, datetime.now(UTC))

    @classmethod
    def run_name(cls, arguments: dict[str, str]) -> str:
        """The name the runs given these `-a` arguments go by (their run lock, output, state): the spider's."""
        return cls.name

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_pages = spider.max_pages or crawler.settings.getint("NEWSCRAWL_MAX_PAGES")
        spider.sitemap_days = crawler.settings.getint("NEWSCRAWL_SITEMAP_DAYS")
        # scaled out, the scheduler's queue is in Redis, shared by the workers: every listed URL goes to it at once
        scaled_out = bool(crawler.settings.get("NEWSCRAWL_REDIS_URL"))
        spider.queue_size = 0 if scaled_out else max(crawler.settings.getint("NEWSCRAWL_QUEUE_SIZE"), 0)
        spider.started = utc_text(datetime.now(UTC))  # pending URLs listed before: earlier runs' leftovers
        spider.cursor = None  # the last pending URL read from the state (`refill`)
        spider.outstanding = 0  # requests of pending URLs handed out and not done yet
        spider.fallen_back = set()  # sites whose fallback feeds this run reads (a section feed failed)
        crawler.signals.connect(spider.refill_when_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        if spider.region:
            names = spider.sites_argument or crawler.settings.get("NEWSCRAWL_SITES")
            spider.use_sites({site: site.regions[spider.region] for site in sites_named(names, spider.region)})
        return spider

    def use_sites(self, sections: dict[Site, tuple[str, ...]]) -> None:
        """Crawl these sites, each for these section slugs."""
        self.sites = tuple(sections)
        self.sections = {site.key: slugs for site, slugs in sections.items()}
        self.allowed_domains = [host for site in self.sites for host in site.hosts]

    def site_of(self, request_or_response) -> Site:
        """The site a request was made for (its source's site), else the one serving its URL."""
        key = request_or_response.meta.get(SITE)
        return next((site for site in self.sites if site.key == key), None) or site_for_url(request_or_response.url)

    @property
    def incremental(self):
        return incremental_of(self.crawler)

    async def start(self):
        # first what earlier runs listed and did not finish (cut short by a signal, `limit`, a crash)
        try:
            first = self.leftover_requests()
        except StorageFailed:
            return
        for request in first:
            yield request
        for site in self.sites:
            for request in self.discovery_requests(site):
                request.meta[SITE] = site.key
                yield request

    def leftover_requests(self) -> list[scrapy.Request]:
        """The requests of the URLs earlier runs listed and did not finish: the first of them in the state's order
        (the oldest pending URLs), as many as the queue holds; all of them with NEWSCRAWL_QUEUE_SIZE 0."""
        if not self.incremental:
            return []
        if self.queue_size:
            return self.refill(self.queue_size)
        # a URL of a site this run does not crawl stays pending for a run that does
        leftover = [entry for entry in self.incremental.leftover() if site_for_url(entry.url) in self.sites]
        if leftover:
            self.logger.info("Requesting %d URLs that earlier runs listed and did not finish", len(leftover))
        for entry in leftover:
            self.count(f"discovered/leftover_{entry.kind}")
        return [self.request_for(entry) for entry in leftover]

    def refill(self, room: int) -> list[scrapy.Request]:
        """Read the next pending URLs from the state, after the last ones read, as many as there is room for in
        the queue; return their requests. Each pending URL is read once a run: one that fails stays pending for
        the next run, not requested again in this one."""
        requests: list[scrapy.Request] = []
        leftover = 0
        while len(requests) < room:
            wanted = room - len(requests)
            entries = self.incremental.next_pending(self.cursor, wanted)
            if entries:
                self.cursor = entries[-1].key
            for entry in entries:
                if site_for_url(entry.url) not in self.sites:
                    continue  # a URL of a site this run does not crawl stays pending for a run that does
                if entry.since < self.started:
                    leftover += 1
                    self.count(f"discovered/leftover_{entry.kind}")
                requests.append(self.queued(self.request_for(entry)))
            if len(entries) < wanted:
                break  # none left
        if leftover:
            self.logger.info("Requesting %d URLs that earlier runs listed and did not finish", leftover)
        return requests

    def queued(self, request: scrapy.Request) -> scrapy.Request:
        """Count a request of a pending URL against the queue's size until it is done."""
        request.meta[QUEUED] = True
        self.outstanding += 1
        return request

    def dequeued(self, meta: dict) -> None:
        """A request of a pending URL is done (answered, failed or dropped): room for another."""
        if meta.get(QUEUED):
            self.outstanding -= 1

    def request_dropped(self, request: scrapy.Request) -> None:
        self.dequeued(request.meta)

    def refill_when_idle(self) -> None:
        """Everything requested is done: request the next pending URLs, and keep the spider open for them; when
        none are left, the crawl ends."""
        if not (self.queue_size and self.incremental):
            return
        self.outstanding = 0  # idle: every request handed out is done, however it ended
        try:
            requests = self.refill(self.queue_size)
        except StorageFailed:
            return  # the failure is stopping the run
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def discovery_requests(self, site: Site) -> list[scrapy.Request]:
        """A site's sources for the run's sections: listing pages, section and site-wide feeds, and robots.txt
        for the sitemaps (they list every section's articles, with lastmod: new articles, and updates)."""
        found, requests = site.discovery, []
        for section in self.sections[site.key]:
            if found.section_url and found.listing:
                listing = Pending(self.name, found.section_url.format(section=section), "listing", page=1)
                requests.append(self.request_for(listing, site))
            for feed in found.section_feeds:
                requests.append(scrapy.Request(feed.format(section=section), callback=self.parse_feed,
                                               errback=self.section_feed_failed))
        for feed in found.site_feeds:
            requests.append(scrapy.Request(feed, callback=self.parse_feed, errback=self.source_failed,
                                           cb_kwargs={"check_section": True}))
        if found.robots_url:
            requests.append(scrapy.Request(found.robots_url, callback=self.parse_robots, errback=self.source_failed))
        return requests

    def request_for(self, entry: Pending, site: Site | None = None) -> scrapy.Request:
        """The request of a listed URL (of `site`, else of the site serving it): an article page, or a listing
        page at its position in the section."""
        meta: dict[str, object] = {LISTED_URL: entry.url, SITE: (site or site_for_url(entry.url)).key}
        if entry.kind == "listing":
            return scrapy.Request(
                entry.url, callback=self.parse_listing, errback=self.pagination_failed, meta=meta,
                cb_kwargs={"page": entry.page or 1},
            )
        meta["newscrawl_source"] = entry.source
        meta["newscrawl_check_section"] = entry.check_section
        return scrapy.Request(entry.url, callback=self.parse_article, errback=self.article_failed, meta=meta)

    @ends_quietly_if_storage_failed
    def parse_listing(self, response, page: int):
        """Queue the listed articles, then the next "load more" page while it can hold wanted articles."""
        self.count("pages/listing")
        self.dequeued(response.meta)
        site = self.site_of(response)
        yield from self.queue(self.listing_entries(response, site, page), site)
        if page > 1 and self.incremental:
            self.incremental.done(response.meta.get(LISTED_URL, response.url))

    def listing_entries(self, response, site: Site, page: int) -> list[Pending | None]:
        """The pending entries of a listing page: its articles, by the site's listing rules, and its next page."""
        listing = site.discovery.listing
        if listing is None:
            return []
        listed: list[Pending | None] = []
        fresh = unwritten = 0
        for entry in response.css(listing.items):
            when = parse_datetime(entry.css(listing.date).get(), site.timezone)
            if self.too_old(when):
                self.count("skipped/older_than_since")
                continue
            fresh += 1
            url = self.canonical(response.urljoin(entry.css(listing.link).get() or ""), "listing", site)
            if url and not self.skip_reason(url, site):
                unwritten += 1
            listed.append(self.article_entry(url, "listing", site))
        next_url = next((url for css in listing.more if (url := response.css(css).get())), None)
        if not next_url and listing.more_marker and response.css(listing.more_marker):
            # a "load more" control that names no next page: the markup changed, or the section ends here
            self.count("pages/listing_more_without_url")
            self.logger.warning("%s shows a \"load more\" control but no next page URL: pagination stops here; "
                                "the feed and sitemaps still list the section's articles", response.url)
        if next_url and self.walk_on(page, fresh, unwritten, response.url):
            listed.append(Pending(self.name, response.urljoin(next_url), "listing", "listing", page=page + 1))
        return listed

    def walk_on(self, page: int, fresh: int, unwritten: int, url: str) -> bool:
        """Tell whether to follow "load more" past this page: while it can hold articles still wanted."""
        if page >= self.max_pages or (self.since and not fresh):
            self.logger.info("Stopping pagination at page %d of %s (max_pages/since)", page, url)
            return False
        if fresh and not unwritten:
            # safe after an interrupted run too: the pages it had not read are pending, and requested again
            self.logger.info(
                "Stopping pagination at page %d of %s: every article on it was written (or rejected) before", page, url
            )
            return False
        return True

    @ends_quietly_if_storage_failed
    def parse_feed(self, response, check_section: bool = False):
        """Queue the articles of an RSS or Atom feed (of the whole site: each page must show the section)."""
        self.count("pages/feed")
        site = self.site_of(response)
        response.selector.remove_namespaces()
        listed = []
        for entry in response.xpath("//item | //entry"):
            link = entry.xpath("link/text()").get() or entry.xpath("link/@href").get()
            when = parse_datetime(entry.xpath("pubDate/text() | updated/text()").get(), site.timezone)
            if self.too_old(when):
                self.count("skipped/older_than_since")
                continue
            url = self.canonical((link or "").strip(), "feed", site)
            listed.append(self.article_entry(url, "feed", site, check_section=check_section))
        yield from self.queue(listed, site)

    @ends_quietly_if_storage_failed
    def pagination_failed(self, failure):
        """Log a listing page that cannot be had: robots.txt forbids it (as sputnikglobe.com does), or an error.
        The feed and the sitemaps are read in any case."""
        forbidden = failure.check(IgnoreRequest)
        reason = "forbidden by robots.txt" if forbidden else failure_reason(failure)
        self.logger.log(
            logging.INFO if forbidden else logging.WARNING,
            "Listing page %s unavailable (%s); its articles are found through the feed and sitemaps",
            failure.request.url, reason,
        )
        self.count("pages/listing_unavailable")
        self.dequeued(failure.request.meta)
        listed = failure.request.meta.get(LISTED_URL, failure.request.url)
        if not self.incremental:
            return
        if forbidden:
            self.incremental.done(listed)
        else:
            self.incremental.failed(listed, reason)
        yield from ()

    def parse_robots(self, response):
        """Follow the article sitemaps that robots.txt declares, news sitemaps first."""
        site = self.site_of(response)
        for ref in sorted(sitemaps_from_robots(response.body, response.url), key=lambda ref: not ref.news):
            if self.follows_sitemap(ref.url, site):
                yield scrapy.Request(ref.url, callback=self.parse_sitemap, errback=self.source_failed,
                                     meta={SITE: response.meta.get(SITE)})

    def follows_sitemap(self, url: str, site: Site) -> bool:
        """Tell a sitemap of articles from robots.txt's other sitemaps, by the site's rule."""
        follow = site.discovery.sitemap_follow
        return bool(follow and follow.search(url))

    def wants_sitemap_entry(self, url: str | None, site: Site) -> bool:
        """Tell an article URL of a sitemap, by the site's URL patterns."""
        return site.is_article_url(url)

    @ends_quietly_if_storage_failed
    def parse_sitemap(self, response):
        """Walk a sitemap index to its newest daily sitemaps; in a daily one, queue the articles not written
        yet (their page must show the section: sitemaps list every section) and the updates of written ones."""
        self.count("pages/sitemap")
        # made by a plain method, so that the parsed sitemap and its entries are freed before they are yielded
        yield from self.sitemap_requests(response, self.site_of(response))

    def sitemap_requests(self, response, site: Site) -> list[scrapy.Request]:
        """The requests a sitemap leads to: its newest daily sitemaps (an index), or its articles to fetch."""
        sitemap = Sitemap(response.body)
        entries = sorted(sitemap, key=lambda e: e.get("lastmod", ""), reverse=True)
        if sitemap.type == "sitemapindex":
            days = [e for e in entries if not self.too_old(parse_datetime(e.get("lastmod"), site.timezone))]
            days = days if self.since else days[: self.sitemap_days]
            urls = [url for entry in days for url in self.day_sitemaps(entry["loc"], site, entry.get("lastmod"))]
            return [scrapy.Request(url, callback=self.parse_sitemap, errback=self.source_failed,
                                   meta={SITE: site.key}) for url in dict.fromkeys(urls)]
        listed = []
        for entry in entries:
            url = self.canonical(entry.get("loc"), "sitemap", site)
            if not self.wants_sitemap_entry(url, site):
                continue
            lastmod = parse_datetime(entry.get("lastmod"), site.timezone)
            if self.too_old(lastmod):
                self.count("skipped/older_than_since")
            else:
                listed.append(self.article_entry(url, "sitemap", site, check_section=True, lastmod=lastmod))
        return self.queue(listed, site)

    def canonical(self, url: str | None, source: str, site: Site) -> str | None:
        """Return a link without tracking parameters, so variants meet once; count a link that is no URL."""
        canonical = canonicalize_url(url, extra_tracking_params=site.tracking_params)
        if not canonical:
            self.count("skipped/bad_url")
            self.logger.warning("Skipping a %s link that is not a web URL: %r", source, url)
        return canonical

    def skip_reason(self, url: str, site: Site, lastmod: datetime | None = None) -> str | None:
        """Ask the incremental service whether a listed article need not be fetched."""
        service = self.incremental
        return service.skip_reason(url, site.article_id(url), lastmod) if service else None

    def article_entry(
        self, url: str | None, source: str, site: Site, check_section: bool = False, lastmod: datetime | None = None
    ) -> Pending | None:
        """Return the pending entry of a listed article to fetch, or None (no URL; written or rejected before,
        and unchanged since), counted."""
        if not url:
            return None
        skip = self.skip_reason(url, site, lastmod)
        if skip == WRITTEN_THIS_RUN:
            return None  # listed again by another source: the same story, already in this run's file
        if skip:
            self.count(f"skipped/{skip}")
            return None
        self.count(f"discovered/{source}")
        self.count(f"sites/{site.key or site_key(url)}/discovered")
        return Pending(self.name, url, "article", source, check_section=check_section)

    def queue(self, listed: list[Pending | None], site: Site) -> list[scrapy.Request]:
        """Note a source's URLs as pending in the state, in one step, then return the requests to make now: as
        many pending URLs, in the state's order, as the queue has room for (the rest are read from the state as
        it empties: `refill`); every listed URL at once without a state or with NEWSCRAWL_QUEUE_SIZE 0."""
        entries = [entry for entry in listed if entry]
        if not (entries and self.incremental):
            return [self.request_for(entry, site) for entry in entries]
        added = self.incremental.pending(entries)
        if not self.queue_size:
            return [self.request_for(entry, site) for entry in entries]
        # a new URL placed before the last one read (listed in that same second, or the clock went back) would
        # not be read from the state in this run: it is requested at once
        behind = [entry for entry in added if self.cursor and entry.key <= self.cursor]
        requests = [self.queued(self.request_for(entry, site)) for entry in behind]
        return requests + self.refill(self.queue_size - self.outstanding)

    @ends_quietly_if_storage_failed
    def parse_article(self, response):
        """Yield the page's article record, unless it is of another section or older than `since`."""
        if self.limit and self.crawler.stats.get_value("newscrawl/written", 0) >= self.limit:
            # the writer enforces the exact count; this stops the crawl from fetching more (the rest stays pending)
            raise CloseSpider("limit")
        self.count("pages/article")
        self.dequeued(response.meta)
        service = self.incremental
        if service:
            service.fetched(response.meta.get(LISTED_URL, response.url), response.url)
        site = self.site_of(response)
        # a selector of its own: `response.selector` is cached on the response and refers back to it, a cycle
        # that only Python's full collections free, so that in a fast crawl read pages, with their parsed trees
        # (memory the collector does not see), piled up by the hundreds before one came
        article = extract_article(scrapy.Selector(response), response.url, site=site)
        # where the page's response is archived, when a WARC is recorded or replayed (newscrawl.warc)
        article.warc_file = response.meta.get("newscrawl_warc_file")
        article.warc_record_id = response.meta.get("newscrawl_warc_record_id")
        self.count(f"layout/{article.layout}")
        if article.extraction == "fallback" and article.layout != "generic":
            self.logger.warning(
                "The %s layout rules found no body on %s; the generic extractor was used. Has the site changed "
                "its markup?", article.layout, response.url,
            )
        if article.canonical_refused:
            refused = article.canonical_refused
            self.count(f"canonical_refused/{refused['reason']}")
            self.logger.warning(
                "Not trusting the canonical URL %s declared by %s (%s): the record keeps the fetched URL",
                refused["url"], response.url, refused["reason"].replace("_", " "),
            )
        verdict = self.section_verdict(site, article, response) if response.meta.get("newscrawl_check_section") else True
        if verdict is None:
            # no evidence either way (the page names no section, its URL none of ours): not guessed in
            self.count("skipped/section_unproven")
            if service:
                service.rejected(response.url, "section_unproven")
            self.logger.warning("Skipping %s: nothing on the page shows which section it is in", response.url)
            return
        if not verdict:
            self.count("skipped/other_section")
            if service:
                service.rejected(response.url, "other_section")
            self.logger.debug("Skipping %s: section %r is not one of %s", response.url, article.section,
                              self.sections.get(site.key, ()))
            return
        if self.too_old(parse_datetime(article.published)):
            self.count("skipped/older_than_since")
            if service:
                service.settled({"url": article.url, "fetched_url": response.url})
            return
        yield article

    @ends_quietly_if_storage_failed
    def article_failed(self, failure):
        """Count and log an article page that could not be fetched, so none is lost silently; it stays pending
        for the next run (a page that keeps failing with an HTTP error is given up after a few runs)."""
        reason = failure_reason(failure)
        self.count(f"dropped/fetch_failed/{reason}")
        self.dequeued(failure.request.meta)
        # name the URL the spider asked for, not the last hop of a redirect chain
        url = failure.request.meta.get(LISTED_URL) or failure.request.meta.get("redirect_urls", [failure.request.url])[0]
        self.logger.warning("Article %s not fetched: %s (%s)", url, reason, failure.value)
        if self.incremental and self.incremental.failed(url, reason):
            self.logger.warning("Giving up on %s after repeated failures (%s)", url, reason)
        yield from ()

    def source_failed(self, failure):
        """Count and log a feed, robots.txt or sitemap that could not be fetched."""
        self.count("pages/source_failed")
        self.logger.warning("Discovery source %s unavailable: %s", failure.request.url, failure_reason(failure))

    def section_feed_failed(self, failure):
        """A section feed that cannot be had (ria.ru's answer 404): counted, and the site's own feeds, whose
        articles are section-checked, are read in its place (once a run)."""
        self.source_failed(failure)
        site = self.site_of(failure.request)
        if site.key in self.fallen_back:
            return
        self.fallen_back.add(site.key)
        for feed in site.discovery.fallback_feeds:
            self.count("discovered/fallback_feed")
            self.logger.info("Reading the site feed %s in place of the section feed %s", feed, failure.request.url)
            yield scrapy.Request(feed, callback=self.parse_feed, errback=self.source_failed,
                                 cb_kwargs={"check_section": True}, meta={SITE: site.key})

    def day_sitemaps(self, url: str, site: Site, lastmod: str | None = None) -> list[str]:
        """A sitemap index's child as the one-day sitemaps the crawl wants, where its URL names its days (the
        live platform's children are monthly), else the child itself. The days end today, or on the day the
        index says the child last changed: it lists nothing published after that."""
        params = site.discovery.sitemap_day_params
        covered = date_range(url, params)
        if not covered or covered[0] == covered[1]:
            return [url]  # a day's sitemap already: the index's newest ones were chosen by their lastmod
        zone = ZoneInfo(site.timezone)
        today = datetime.now(UTC).astimezone(zone).date()
        oldest = self.since.astimezone(zone).date() if self.since else today - timedelta(days=self.sitemap_days - 1)
        changed = parse_datetime(lastmod, site.timezone)
        newest = min(today, changed.astimezone(zone).date()) if changed else today
        return day_urls(url, params, newest, self.sitemap_days, oldest)

    def section_verdict(self, site: Site, article, response) -> bool | None:
        """Whether a page of a section-checked source (a sitemap, a site-wide feed) is in one of the run's
        sections, on the evidence the site declares (`Discovery.section_evidence`): "declared", the section the
        page names; "url", a section slug as a segment of its URL path. True on any evidence for, False on
        evidence only against, None with none at all."""
        sections = self.sections.get(site.key, ())
        votes: list[bool | None] = []
        for evidence in site.discovery.section_evidence:
            if evidence == "declared" and article.section:
                votes.append(article.section in sections)
            elif evidence == "url":
                path = "/" + urlsplit(article.url or response.url).path.strip("/") + "/"
                votes.append(True if any(f"/{slug.strip('/')}/" in path for slug in sections) else None)
        if True in votes:
            return True
        return False if False in votes else None

    def too_old(self, when: datetime | None) -> bool:
        """Tell whether a known date falls before the `since` window."""
        return bool(self.since and when and when < self.since)

    def count(self, key: str) -> None:
        """Increase a newscrawl stats counter."""
        self.crawler.stats.inc_value(f"newscrawl/{key}")


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
