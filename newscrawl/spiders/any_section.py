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
from scrapy.utils.sitemap import Sitemap

from newscrawl import discovery
from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites import site_for_url
from newscrawl.sites.rules import Site
from newscrawl.spiders.section import SITE, SectionSpider, ends_quietly_if_storage_failed
from newscrawl.state import Pending


class AnySectionSpider(SectionSpider):
    """One news section of any site, by its URL."""

    name = "section"

    def __init__(self, *args, url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_url = canonicalize_url(url)
        if not self.section_url:
            raise ValueError(f"url must be the section page's web address, e.g. https://www.example.com/asia/; got {url!r}")
        # each section is a spider of its own: its output folder, run lock, state and summary
        self.name = run_name(self.section_url)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        site = site_for_url(spider.section_url)
        spider.use_sites({site: (spider.section_url,)})
        if not site.hosts:  # a site without rules: its own host (and subdomains) is all there is to crawl
            spider.allowed_domains = [discovery_host(spider.section_url)]
        return spider

    def discovery_requests(self, site: Site) -> list[scrapy.Request]:
        """The section page (its links, next pages and feeds), and robots.txt for the sitemaps."""
        robots = scrapy.Request(urljoin(self.section_url, "/robots.txt"), callback=self.parse_any_robots,
                                errback=self.source_failed)
        return [self.request_for(Pending(self.name, self.section_url, "listing", page=1), site), robots]

    @ends_quietly_if_storage_failed
    def parse_listing(self, response, page: int):
        """Queue the section page's article links, its declared feeds and its next page."""
        self.count("pages/listing")
        site = self.site_of(response)
        links = discovery.article_links(response, self.section_url)
        if not links:
            self.logger.warning("No article links found on the section page %s", response.url)
        listed = [self.article_entry(url, "listing", site) for url in links]
        unwritten = sum(1 for entry in listed if entry)
        next_url = next(iter(discovery.next_pages(response, response.url)), None)
        if next_url and self.walk_on(page, len(links), unwritten, response.url):
            listed.append(Pending(self.name, next_url, "listing", "listing", page=page + 1))
        yield from self.queue(listed, site)
        if page == 1:
            for feed in discovery.feeds(response, response.url):
                # a feed under the section's path is the section's own; any other (the site's) is checked
                own = discovery.in_section(feed, self.section_url)
                yield scrapy.Request(feed, callback=self.parse_feed, errback=self.source_failed,
                                     cb_kwargs={"check_section": not own}, meta={SITE: site.key})
        if page > 1 and self.incremental:
            self.incremental.done(response.meta.get("newscrawl_listed_url", response.url))

    def parse_any_robots(self, response):
        """Follow every sitemap robots.txt declares (news sitemaps first): their articles are section-checked."""
        found = discovery.sitemaps_from_robots(response.body, response.url)
        for ref in sorted(found, key=lambda ref: not ref.news):
            yield scrapy.Request(ref.url, callback=self.parse_any_sitemap, errback=self.source_failed,
                                 meta={SITE: response.meta.get(SITE)})

    @ends_quietly_if_storage_failed
    def parse_any_sitemap(self, response):
        """A sitemap of a site without URL patterns: the entries whose URL lies under the section's path."""
        self.count("pages/sitemap")
        site = self.site_of(response)
        sitemap = Sitemap(response.body)
        if sitemap.type == "sitemapindex":
            entries = sorted(sitemap, key=lambda e: e.get("lastmod", ""), reverse=True)[: self.sitemap_days]
            for entry in entries:
                yield scrapy.Request(entry["loc"], callback=self.parse_any_sitemap, errback=self.source_failed,
                                     meta={SITE: site.key})
            return
        listed = []
        for entry in sitemap:
            url = self.canonical(entry.get("loc"), "sitemap", site)
            # a sitemap lists the whole site: only the URLs the section's path holds are worth a request
            if url and discovery.in_section(url, self.section_url):
                listed.append(self.article_entry(url, "sitemap", site, check_section=True))
        yield from self.queue(listed, site)

    def section_verdict(self, site: Site, article, response) -> bool | None:
        """In the section on the evidence of its URL path or its declared section; None without evidence."""
        return discovery.in_section(article.url or response.url, self.section_url, declared_section=article.section)


def run_name(section_url: str) -> str:
    """The name a section's runs go by: "section_theguardian.com_world-asia-pacific".

    >>> run_name("https://www.example.com/news/asia/?page=1")
    'section_example.com_news-asia'
    """
    parts = urlsplit(section_url)
    path = re.sub(r"[^a-z0-9]+", "-", parts.path.lower()).strip("-") or "home"
    return f"section_{discovery_host(section_url)}_{path}"


def discovery_host(url: str) -> str:
    """The host of a URL without "www.", so that Scrapy's offsite check allows its subdomains."""
    return (urlsplit(url).hostname or "").removeprefix("www.")
