"""`scrapy crawl section -a url=https://www.example.com/asia/`: any news section by its URL, on a site without rules.

The same engine as the region spiders (state, pending URLs, exit codes, scale-out); only discovery differs: the
section page's article links told apart from its navigation, its next pages, the feeds it declares and the
sitemaps robots.txt declares (newscrawl/discovery/), and the generic extraction. An article from a feed or a
sitemap is kept only on evidence that it is in the section (its URL path, its declared section); with no
evidence either way it is dropped as `section_unproven`, counted and logged, never guessed in.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import scrapy

from newscrawl import discovery
from newscrawl.discovery import urlshape
from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites import site_for_url
from newscrawl.sites.rules import Site
from newscrawl.spiders.section import (
    SITE,
    SectionSpider,
    ends_quietly_if_storage_failed,
)
from newscrawl.state import Pending


class AnySectionSpider(SectionSpider):
    """One news section of any site, by its URL."""

    name = "section"

    def __init__(self, *args, url=None, **kwargs):
        super().__init__(*args, **kwargs)
        section_url = canonicalize_url(url)
        if not section_url:
            raise ValueError(f"url must be the section page's web address, e.g. https://www.example.com/asia/; got {url!r}")
        self.section_url: str = section_url
        # each section is a spider of its own: its output folder, run lock, state and summary
        self.name = section_name(self.section_url)

    @classmethod
    def run_name(cls, arguments: dict[str, str]) -> str:
        """Each section's runs go by a name of their own, so that two sections' cron jobs do not lock each other
        out; without a usable url, the spider's (it refuses to start anyway)."""
        section_url = canonicalize_url(arguments.get("url"))
        return section_name(section_url) if section_url else cls.name

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        site = site_for_url(spider.section_url)
        spider.use_sites({site: (spider.section_url,)})
        if not site.hosts:  # a site without rules: its own host (and subdomains) is all there is to crawl
            spider.allowed_domains = [urlshape.site_of(spider.section_url)]  # subdomains included
        return spider

    def discovery_requests(self, site: Site) -> list[scrapy.Request]:
        """The section page (its links, next pages and feeds), and robots.txt for the sitemaps."""
        robots = scrapy.Request(urljoin(self.section_url, "/robots.txt"), callback=self.parse_robots,
                                errback=self.source_failed)
        return [self.request_for(Pending(self.name, self.section_url, "listing", page=1), site), robots]

    @ends_quietly_if_storage_failed
    def parse_listing(self, response, page: int):
        """Queue the section page's article links and its next page, then read the feeds it declares."""
        yield from super().parse_listing(response, page)
        if page == 1:
            site = self.site_of(response)
            for feed in discovery.feeds(response, response.url):
                # a feed under the section's path is the section's own; any other (the site's) is checked
                own = discovery.in_section(feed, self.section_url)
                yield scrapy.Request(feed, callback=self.parse_feed, errback=self.source_failed,
                                     cb_kwargs={"check_section": not own}, meta={SITE: site.key})

    def listing_entries(self, response, site: Site, page: int) -> list[Pending | None]:
        """The section page's article links, told apart from its navigation, and its next page."""
        links = discovery.article_links(response, self.section_url)
        if not links:
            self.logger.warning("No article links found on the section page %s", response.url)
        listed = [self.article_entry(url, "listing", site) for url in links]
        unwritten = sum(1 for entry in listed if entry)
        next_url = next(iter(discovery.next_pages(response, response.url)), None)
        if next_url and self.walk_on(page, len(links), unwritten, response.url):
            listed.append(Pending(self.name, next_url, "listing", "listing", page=page + 1))
        return listed

    def follows_sitemap(self, url: str, site: Site) -> bool:
        """Every sitemap robots.txt declares: a site without rules names none of them."""
        return True

    def wants_sitemap_entry(self, url: str | None, site: Site) -> bool:
        """A sitemap lists the whole site: only the URLs the section's path holds are worth a request."""
        return bool(url) and bool(discovery.in_section(url, self.section_url))

    def section_verdict(self, site: Site, article, response) -> bool | None:
        """In the section on the evidence of its URL path or its declared section; None without evidence."""
        return discovery.in_section(article.url or response.url, self.section_url, declared_section=article.section)


def section_name(section_url: str) -> str:
    """The name a section's runs go by: "section_theguardian.com_world-asia-pacific".

    >>> section_name("https://www.example.com/news/asia/?page=1")
    'section_example.com_news-asia'
    """
    parts = urlsplit(section_url)
    path = re.sub(r"[^a-z0-9]+", "-", parts.path.lower()).strip("-") or "home"
    return f"section_{urlshape.site_of(section_url)}_{path}"
