"""The shapes of site rules: plain data that the generic extraction and navigation read.

A site module fills these in; nothing here knows any site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Selectors = tuple[str, ...]
"""CSS selectors (with ::text or ::attr()) tried in order; the first that yields a value wins."""


def has_class(name: str) -> str:
    """XPath predicate: the element's class attribute holds this class name."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


@dataclass(frozen=True)
class ImageRule:
    """Where one kind of picture sits, and where its caption and credit are."""

    container: str
    url: Selectors
    caption: Selectors = ()
    credit: Selectors = ()


@dataclass(frozen=True)
class Layout:
    """How to read an article page of one markup generation."""

    name: str
    detect: str
    """CSS that matches only pages of this layout."""
    headline: Selectors = ()
    lead: Selectors = ()
    published: Selectors = ()
    modified: Selectors = ()
    authors: Selectors = ()
    tags: Selectors = ()
    section: Selectors = ()
    article_id: Selectors = ()
    body: Selectors = ()
    """Containers of the body blocks, tried in order."""
    blocks: tuple[tuple[str, str], ...] = ()
    """(kind, XPath test on a body child); the first true test gives the child's kind: "text",
    "subheading", "quote", "card" (a story link), "container" (walk into it) or anything else (leave out)."""
    text: str = "self::*"
    """XPath, relative to a text/quote/subheading block, of the element holding its words (else the block)."""
    dateline: Selectors = ()
    """The element the page marks as its dateline at the start of the first paragraph ("KOBE – "), for datelines
    that name no agency (those that do are found in the text)."""
    images: tuple[ImageRule, ...] = ()
    related_lists: Selectors = ()
    """Anchors of related-story lists outside the body."""
    boilerplate: tuple[re.Pattern, ...] = ()
    """Paragraphs matching any of these are furniture, not article text."""
    furniture: Selectors = ()
    """Containers that never hold article text (banners, share bars, comments), taken out before the generic
    fallback reads a page whose body the rules did not find."""
    z_is_local_time: bool = False
    """The layout's own "...Z" stamps are really site-local time (a known publisher bug)."""


@dataclass(frozen=True)
class Listing:
    """How to read a section listing page and its "load more" fragments."""

    items: str
    link: str
    date: str
    more: Selectors
    """Where the URL of the next page is, tried in order."""
    more_marker: str = ""
    """CSS of a "load more" control: on a page without a next URL it is warned about, not silently the end."""


@dataclass(frozen=True)
class Discovery:
    """Where a site lists the articles of a section, and how an article page proves its section."""

    section_url: str = ""
    """The section's listing page, "{section}" filled in with its slug."""
    listing: Listing | None = None
    section_feeds: tuple[str, ...] = ()
    """Feeds of one section ("{section}" filled in): their articles are the section's."""
    site_feeds: tuple[str, ...] = ()
    """Feeds of the whole site: each article they list must show the section on its page."""
    robots_url: str = ""
    """robots.txt, whose Sitemap: lines lead to the sitemaps (they list every section: section-checked)."""
    sitemap_follow: re.Pattern | None = None
    """Which of the declared sitemaps hold articles."""
    sitemap_day_params: tuple[str, str] | tuple[()] = ()
    """The two query parameters (first, last day, YYYYMMDD) in which a sitemap's URL names the days it covers: a
    month's sitemap is then read as the one-day sitemaps of the days the crawl wants."""
    fallback_feeds: tuple[str, ...] = ()
    """Site-wide feeds read when a section feed cannot be had (an error, a 404): each article section-checked."""
    section_evidence: tuple[str, ...] = ("declared",)
    """How an article page proves its section, tried in order: "declared" (the section the page itself names,
    the record's `section`), "url" (the section's slug is a segment of the article's URL path)."""


@dataclass(frozen=True, eq=False)  # one object per site: compared and hashed as itself
class Site:
    """Everything newscrawl knows about one publisher: one file per site declares it (newscrawl/sites/)."""

    key: str
    """The site's name in settings and arguments (NEWSCRAWL_SITES, `-a sites=`), e.g. "sputnik"."""
    name: str
    hosts: tuple[str, ...]
    timezone: str
    """IANA zone applied to dates the page gives without an offset."""
    language: str | None
    site_names: tuple[str, ...]
    """Names that appear as title, caption and description suffixes."""
    agencies: tuple[str, ...] = ()
    """News agencies the site credits (its own among them): never persons, and dateline agencies."""
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Region spider name -> the site's section slugs for it: {"asia": ("asia",)}."""
    discovery: Discovery = Discovery()
    tracking_params: tuple[str, ...] = ()
    article_url: tuple[re.Pattern, ...] = ()
    """Patterns of article URLs; group "id", when present, is the publisher's article id."""
    layouts: tuple[Layout, ...] = ()
    section_slug: re.Pattern | None = None
    """Pulls a section slug out of a section link or rubric value."""
    description_suffix: re.Pattern | None = None
    founded: str = "1990-01-01"
    """No article of the site is older: earlier dates are misreadings."""

    def article_id(self, url: str | None) -> str | None:
        """Return the article id carried in an article URL, or None."""
        for pattern in self.article_url:
            match = pattern.search(url or "")
            if match and "id" in pattern.groupindex:
                return match.group("id")
        return None

    def is_article_url(self, url: str | None) -> bool:
        """Tell whether a URL is an article page of this site (by its patterns; a site without any has none)."""
        return any(pattern.search(url or "") for pattern in self.article_url)
