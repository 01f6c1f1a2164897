"""Where a site lists articles besides its pages: the feeds a page declares, the sitemaps its robots.txt declares."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

from scrapy.utils.sitemap import sitemap_urls_from_robots

from newscrawl.discovery.page import as_selector, base_url
from newscrawl.processors.urls import canonicalize_url

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
# WordPress declares a comments feed beside the posts feed: its items are comments, not articles.
COMMENTS = re.compile(r"comment", re.I)
NEWS_SITEMAP_WORDS = frozenset({"news", "googlenews", "newssitemap", "sitemapnews"})


class SitemapRef(NamedTuple):
    """A sitemap robots.txt declares."""

    url: str
    """Absolute URL, without fragment or tracking parameters."""
    news: bool
    """Named as a Google News sitemap ("news" is a word of its path or query): the last two days' articles.
    Only the name says so; a False one may still be a news sitemap, which its `<news:news>` entries tell."""


def feeds(page: object, page_url: object) -> list[str]:
    """Return the RSS and Atom feeds the page declares (`<link rel="alternate" type=...>`), absolute, each once.

    >>> feeds('<link rel="alternate" type="application/rss+xml" href="/asia/rss.xml">', "https://a.com/asia/")
    ['https://a.com/asia/rss.xml']
    """
    selector = as_selector(page)
    if selector is None:
        return []
    base = base_url(selector, page_url)
    if not base:
        return []
    found: list[str] = []
    for declared in selector.xpath("//link[@href]"):
        rel = (declared.attrib.get("rel") or "").lower().split()
        mime = (declared.attrib.get("type") or "").split(";")[0].strip().lower()
        url = canonicalize_url(declared.attrib["href"], base)
        if "alternate" in rel and mime in FEED_TYPES and url and url not in found and not _comments(declared, url):
            found.append(url)
    return found


def _comments(declared, url: str) -> bool:
    """Tell a comments feed by its title or its path."""
    return bool(COMMENTS.search(declared.attrib.get("title") or "") or COMMENTS.search(urlsplit(url).path))


def sitemaps_from_robots(robots_body: object, base_url: object) -> list[SitemapRef]:
    """Return the sitemaps a robots.txt declares (its `Sitemap:` lines), absolute, each once, in its order.

    >>> sitemaps_from_robots(b"Sitemap: /sitemap-news.xml", "https://a.com/robots.txt")
    [SitemapRef(url='https://a.com/sitemap-news.xml', news=True)]
    """
    if isinstance(robots_body, str):
        robots_body = robots_body.encode("utf-8")  # Scrapy reads robots.txt as bytes (a str is deprecated)
    if not isinstance(robots_body, bytes) or not robots_body.strip():
        return []
    base = canonicalize_url(base_url) or ""
    found: list[SitemapRef] = []
    for declared in sitemap_urls_from_robots(robots_body, base_url=base):
        url = canonicalize_url(declared)
        # an empty "Sitemap:" line resolves to robots.txt itself
        if url and url != base and url not in {ref.url for ref in found}:
            found.append(SitemapRef(url, is_news_sitemap(url)))
    return found


def is_news_sitemap(url: str) -> bool:
    """Tell a Google News sitemap by its name: "news" is a word of its path or query (not of its host).

    >>> is_news_sitemap("https://a.com/sitemap_news_1.xml"), is_news_sitemap("https://news.a.com/sitemap.xml")
    (True, False)
    >>> is_news_sitemap("https://a.com/newsletters-sitemap.xml")
    False
    """
    parts = urlsplit(url)
    words = re.split(r"[^a-z0-9]+", f"{parts.path} {parts.query}".lower())
    return any(word in NEWS_SITEMAP_WORDS for word in words)
