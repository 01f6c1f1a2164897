"""Feeds a page declares and sitemaps robots.txt declares: bad input, markup cases, real pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newscrawl.discovery import SitemapRef, feeds, sitemaps_from_robots
from newscrawl.discovery.sources import is_news_sitemap

PAGES = Path(__file__).parent / "discovery"
LABELS = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
FIXTURE = Path(__file__).parent.parent / "fixtures" / "sputnik"
PAGE = "https://www.example.com/asia/"


def head(links: str) -> str:
    return f"<html><head>{links}</head><body><p>Asia</p></body></html>"


@pytest.mark.parametrize(
    ("html", "page_url", "expected"),
    [
        (None, PAGE, []),
        ("", PAGE, []),
        (b"", PAGE, []),
        (42, PAGE, []),
        ("<<<>>> junk &&&", PAGE, []),
        (head(""), PAGE, []),  # a page with no links
        (head('<link rel="alternate" type="application/rss+xml" href="/asia/rss">'), None, []),
        (head('<link rel="alternate" type="application/rss+xml" href="/asia/rss">'), "not a url", []),
        # what counts: rel alternate, an RSS or Atom type, an href
        (head('<link rel="alternate" type="application/rss+xml" href="/asia/rss">'), PAGE,
         ["https://www.example.com/asia/rss"]),
        (head('<link rel="Alternate" type="Application/Atom+XML; charset=utf-8" href="atom.xml">'), PAGE,
         ["https://www.example.com/asia/atom.xml"]),
        (head('<link rel="alternate feed" type="application/rss+xml" href="https://feeds.example.net/asia">'), PAGE,
         ["https://feeds.example.net/asia"]),
        # what does not: other alternates (languages, AMP), stylesheets, no href, a comments feed
        (head('<link rel="alternate" hreflang="fr" href="https://fr.example.com/asie/">'), PAGE, []),
        (head('<link rel="alternate" type="text/html" href="/amp/asia/">'), PAGE, []),
        (head('<link rel="stylesheet" type="application/rss+xml" href="/x.css">'), PAGE, []),
        (head('<link rel="alternate" type="application/rss+xml">'), PAGE, []),
        (head('<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">'), PAGE, []),
        (head('<link rel="alternate" type="application/rss+xml" title="Example &raquo; Comments Feed" '
              'href="/comments/feed/">'), PAGE, []),
        # each once, in page order, absolute and without tracking parameters
        (head('<link rel="alternate" type="application/rss+xml" href="/b.xml?utm_source=x">'
              '<link rel="alternate" type="application/atom+xml" href="/a.xml">'
              '<link rel="alternate" type="application/rss+xml" href="https://www.example.com/b.xml">'), PAGE,
         ["https://www.example.com/b.xml", "https://www.example.com/a.xml"]),
        (head('<base href="https://cdn.example.com/"><link rel="alternate" type="application/rss+xml" href="f.xml">'),
         PAGE, ["https://cdn.example.com/f.xml"]),
    ],
)
def test_feeds(html, page_url, expected):
    assert feeds(html, page_url) == expected


@pytest.mark.parametrize("labels", LABELS, ids=[page["id"] for page in LABELS])
def test_feeds_of_real_section_pages(labels):
    html = gzip.decompress((PAGES / f"{labels['id']}.html.gz").read_bytes())
    assert feeds(html, labels["url"]) == labels["feeds"]


def test_feed_of_the_sputnik_fixture_section():
    html = (FIXTURE / "sections" / "asia.html").read_bytes()
    assert feeds(html, "https://sputnikglobe.com/asia/") == ["https://sputnikglobe.com/export/rss2/asia/index.xml"]


ROBOTS = "https://www.example.com/robots.txt"


@pytest.mark.parametrize(
    ("body", "base_url", "expected"),
    [
        (None, ROBOTS, []),
        ("", ROBOTS, []),
        (b"", ROBOTS, []),
        (42, ROBOTS, []),
        (b"\x00\xff junk \xfe", ROBOTS, []),
        ("<html><body>404 Not Found</body></html>", ROBOTS, []),
        ("User-agent: *\nDisallow: /search/\n", ROBOTS, []),  # no Sitemap: lines
        # bytes (as Scrapy reads it) or text; absolute, relative; any case of "Sitemap:"
        (b"Sitemap: https://www.example.com/sitemap.xml", ROBOTS,
         [SitemapRef("https://www.example.com/sitemap.xml", False)]),
        ("sitemap: /sitemap_index.xml\r\nSITEMAP: /news-sitemap.xml", ROBOTS,
         [SitemapRef("https://www.example.com/sitemap_index.xml", False),
          SitemapRef("https://www.example.com/news-sitemap.xml", True)]),
        ("Sitemap: /sitemap.xml", None, []),  # relative, and nothing to resolve it against
        ("Sitemap: ftp://www.example.com/sitemap.xml\nSitemap:\nSitemap:   ", ROBOTS, []),  # no web URL, empty
        # each once, in robots.txt order, without fragments
        ("Sitemap: https://www.example.com/a.xml\nSitemap: https://www.example.com/a.xml#x\n"
         "Sitemap: https://cdn.example.net/b.xml", ROBOTS,
         [SitemapRef("https://www.example.com/a.xml", False), SitemapRef("https://cdn.example.net/b.xml", False)]),
    ],
)
def test_sitemaps_from_robots(body, base_url, expected):
    assert sitemaps_from_robots(body, base_url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/sitemap.xml", False),
        ("https://www.example.com/sitemap-news.xml", True),
        ("https://www.example.com/news-sitemap.xml", True),
        ("https://www.example.com/sitemap_news_1.xml", True),
        ("https://www.example.com/sitemaps/googlenews.xml", True),
        ("https://www.example.com/newssitemap.xml", True),
        ("https://www.example.com/sitemap.xml?type=news", True),
        ("https://news.example.com/sitemap.xml", False),  # the host says nothing of the format
        ("https://www.example.com/newsletters-sitemap.xml", False),
        ("https://sputnikglobe.com/sitemap_article_index.xml", False),
    ],
)
def test_news_sitemaps_are_told_by_name(url, expected):
    assert is_news_sitemap(url) is expected


def test_sitemaps_of_the_sputnik_fixture_robots():
    body = (FIXTURE / "robots.txt").read_bytes()
    found = sitemaps_from_robots(body, "https://sputnikglobe.com/robots.txt")
    assert [ref.url for ref in found] == [
        "https://sputnikglobe.com/sitemap_article_index.xml",
        "https://sputnikglobe.com/sitemap_list_index.xml",
        "https://sputnikglobe.com/sitemap_archive.xml",
    ]
    assert not any(ref.news for ref in found)
