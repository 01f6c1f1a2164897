"""Common Crawl news input: a region's articles read from CC-NEWS style WARC files instead of the live site.

    scrapy crawl ccnews -a region=asia -a warc=CC-NEWS-20261127.warc.gz
    scrapy crawl ccnews -a region=asia -a warc=https://data.commoncrawl.org/crawl-data/CC-NEWS/…/….warc.gz,more/

The sources are streamed record by record (a URL is read as it downloads, never whole) in a worker thread, so
the engine stays responsive. A response record is kept when it is an article page of the region's site (host
and URL pattern) answered 2xx in HTML; the section spider's own article path then reads it, with the section
check always on (CC-NEWS holds every section), so records, versions, deduplication, state and exit codes are
those of `scrapy crawl <region>`. Everything passed over is counted under `newscrawl/skipped/<reason>`.
"""

from __future__ import annotations

import queue
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Headers, HtmlResponse
from scrapy.responsetypes import responsetypes
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newscrawl.middlewares.encoding import EncodingRepairMiddleware
from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites import sites_named
from newscrawl.sites.rules import Site
from newscrawl.spiders.section import SectionSpider
from newscrawl.warc.archive import WarcResponse, iter_warc_responses, read_responses, warc_files

REPORT_SECONDS = 0.5
"""The reader thread reports at least this often, so counts advance and the engine can stop the crawl in a long
stretch of other sites' records."""


class CCNewsSpider(SectionSpider):
    """A region's articles from CC-NEWS style WARC files (files, folders or http(s) URLs); never the live site."""

    name = "ccnews"
    site: Site
    """The region's one site (`from_crawler`)."""

    def __init__(self, *args, warc=None, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.warc = split_list(warc)
        if not self.warc:
            raise ValueError("warc is required: WARC files, folders or http(s) URLs, separated by commas")
        empty = [source for source in self.warc if not is_url(source) and not warc_files(source)]
        if empty:
            raise ValueError(f"warc: no WARC file (.warc, .warc.gz) at {', '.join(empty)}")
        self.regions = region

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site, sections = region_of(crawler.settings, spider.regions, spider.sites_argument)
        spider.use_sites({spider.site: sections})
        return spider

    async def start(self):
        """Read the sources in turn, in a thread, yielding the records of the site's article pages found in them."""
        # a live page goes through this downloader middleware; a WARC page is no download, so it is called here
        self.encoding_repair = EncodingRepairMiddleware.from_crawler(self.crawler)
        settings = self.crawler.settings
        reader = Reader()
        try:
            for source in self.warc:
                records = warc_responses(source, settings.getfloat("DOWNLOAD_TIMEOUT"), settings["USER_AGENT"])
                done = False
                while not done:
                    try:
                        page, counts, done = await maybe_deferred_to_future(reader.call(next_page, records, self.site))
                    except Exception as error:  # not a WARC, cut short, unreachable: the records read so far stand
                        self.count("pages/source_failed")
                        self.logger.error("WARC source %s unreadable: %s: %s", source, type(error).__name__, error)
                        break
                    for key, number in counts.items():
                        self.crawler.stats.inc_value(f"newscrawl/{key}", number)
                    if page:
                        for article in self.parse_record(page):
                            yield article
        finally:
            reader.stop()

    def parse_record(self, page: WarcResponse):
        """Yield the article record of one of the site's WARC pages, through the section spider's article path."""
        headers = Headers(page.headers)
        if not is_html(headers, page.url, page.body):
            self.count("skipped/not_html")
            return
        self.count("discovered/warc")
        request = scrapy.Request(
            page.url,
            meta={"newscrawl_source": "warc", "newscrawl_check_section": True,
                  "newscrawl_warc_file": page.warc_file, "newscrawl_warc_record_id": page.record_id},
        )
        response = HtmlResponse(page.url, status=page.status, headers=headers, body=page.body, request=request)
        yield from self.parse_article(self.encoding_repair.process_response(request, response))


def region_of(settings, regions: str | None, sites: str | None = None) -> tuple[Site, tuple[str, ...]]:
    """Return the site (`sites`, else NEWSCRAWL_SITES: one) and its section slugs for the named region spiders
    (`scrapy list`), e.g. asia -> (Sputnik, ("asia",))."""
    loader = get_spider_loader(settings)
    known = {name for name in loader.list() if is_region(loader.load(name))}
    wanted = split_list(regions)
    unknown = [name for name in wanted if name not in known]
    if not wanted or unknown:
        raise ValueError(f"region must name one or more of {', '.join(sorted(known))}; got {regions!r}")
    chosen = {site for name in wanted for site in sites_named(sites or settings.get("NEWSCRAWL_SITES"), name)}
    if len(chosen) > 1:
        raise ValueError(f"sites: {', '.join(sorted(site.key for site in chosen))}: ccnews reads one site at a "
                         "time (-a sites=<one>)")
    site = chosen.pop()
    return site, tuple(dict.fromkeys(slug for name in wanted for slug in site.regions[name]))


def is_region(spidercls) -> bool:
    """Tell a region spider: a section spider that names its region."""
    return issubclass(spidercls, SectionSpider) and bool(spidercls.region)


def next_page(records: Iterator[WarcResponse], site: Site) -> tuple[WarcResponse | None, Counter, bool]:
    """Read on to the next of the site's article pages, or for a moment at most; count the records passed over.

    Returns the page at its canonical URL (None when the moment passed first), the counts and whether the
    records are exhausted. It runs in a worker thread, so it touches no Scrapy state; a page found is handed
    over at once, not held while the next records download.
    """
    counts: Counter[str] = Counter()
    deadline = time.monotonic() + REPORT_SECONDS
    for record in records:
        counts["pages/warc_record"] += 1
        url, reason = article_url(record.url, record.status, site)
        if url:
            return record._replace(url=url), counts, False
        counts[f"skipped/{reason}"] += 1
        if time.monotonic() > deadline:
            return None, counts, False
    return None, counts, True


def article_url(url: str | None, status: int, site: Site) -> tuple[str | None, str | None]:
    """Return the canonical URL of a response that is one of the site's article pages, else None and the reason.

    >>> from newscrawl.sites import sputnik
    >>> article_url("https://example.org/2026/11/27/story.html", 200, sputnik.SITE)
    (None, 'other_host')
    >>> article_url("https://sputnikglobe.com/asia/", 200, sputnik.SITE)
    (None, 'not_article_url')
    >>> article_url("https://sputnikglobe.com/20261127/a-1121150342.html", 404, sputnik.SITE)
    (None, 'http_404')
    >>> article_url("https://www.SputnikGlobe.com/20261127/a-1121150342.html?in=t", 200, sputnik.SITE)
    ('https://www.sputnikglobe.com/20261127/a-1121150342.html', None)
    """
    # the host first: almost every record of a news crawl archive is another site's, and this test is cheap
    host = (urlsplit(url or "").hostname or "").lower()
    if not any(host == known or host.endswith("." + known) for known in site.hosts):
        return None, "other_host"
    canonical = canonicalize_url(url, extra_tracking_params=site.tracking_params)
    if not canonical:
        return None, "bad_url"
    if not site.is_article_url(canonical):
        return None, "not_article_url"
    if not 200 <= status < 300:
        return None, f"http_{status}"
    return canonical, None


def is_html(headers: Headers, url: str, body: bytes) -> bool:
    """Tell an HTML page by its Content-Type, or, without one, as Scrapy guesses from its URL and body."""
    content_type = headers.get("Content-Type")
    kind = responsetypes.from_content_type(content_type) if content_type else responsetypes.from_args(url=url, body=body)
    return issubclass(kind, HtmlResponse)


class Reader:
    """A daemon thread for the blocking reads. Twisted's thread pool is joined when the crawl ends, so a read
    stalled there would hold the process up to DOWNLOAD_TIMEOUT after Ctrl-C; a daemon thread is left behind."""

    def __init__(self):
        self.calls: queue.SimpleQueue[tuple[Deferred[Any], Callable[..., Any], tuple] | None] = queue.SimpleQueue()
        threading.Thread(target=self.work, name="ccnews-reader", daemon=True).start()

    def call(self, function, *args) -> Deferred:
        """Run a call in the thread; the Deferred fires in the reactor's thread with its outcome."""
        outcome: Deferred[Any] = Deferred()
        self.calls.put((outcome, function, args))
        return outcome

    def stop(self) -> None:
        self.calls.put(None)

    def work(self) -> None:
        from twisted.internet import reactor

        while call := self.calls.get():
            outcome, function, args = call
            try:
                result = function(*args)
            except Exception:
                result = Failure()
            reactor.callFromThread(settle, outcome, result)


def settle(outcome: Deferred, result) -> None:
    """Fire a Deferred with a result or failure, unless the crawl ended and cancelled the wait meanwhile."""
    if not outcome.called:
        (outcome.errback if isinstance(result, Failure) else outcome.callback)(result)


def warc_responses(source: str, timeout: float, user_agent: str) -> Iterator[WarcResponse]:
    """Stream the response records of one source: a WARC file or folder, or an http(s) URL read as it downloads."""
    if not is_url(source):
        yield from iter_warc_responses(source)
        return
    request = urllib.request.Request(source, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(request, timeout=timeout) as download:
        yield from read_responses(Arrived(download), Path(urlsplit(source).path).name or source)


class Arrived:
    """A download read as it arrives: warcio asks for 16 KB blocks, and a plain read would wait for each to fill."""

    def __init__(self, download):
        self.download = download

    def read(self, size: int = -1) -> bytes:
        return self.download.read1(size) if size and size > 0 else self.download.read()


def split_list(value: str | None) -> list[str]:
    """Split a comma-separated argument, dropping blanks.

    >>> split_list(" a.warc.gz, ,b/ "), split_list(None)
    (['a.warc.gz', 'b/'], [])
    """
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def is_url(source: str) -> bool:
    """Tell an http(s) URL from a local path."""
    return urlsplit(source).scheme in ("http", "https")
