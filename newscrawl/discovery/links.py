"""Which links of a section page are articles: told from navigation by position, anchor text and URL shape."""

from __future__ import annotations

import re

from parsel import Selector

from newscrawl.discovery.page import Selectable, as_selector, base_url
from newscrawl.discovery.urlshape import (
    MIN_SLUG_WORDS,
    has_date,
    has_id,
    has_year,
    is_listing,
    same_site,
    slug_words,
)
from newscrawl.processors.urls import canonicalize_url

# Where a page keeps its navigation. A <header> or <footer> inside an <article> is that story's own (its
# headline, its byline), so those two count only when they belong to the page.
NAVIGATION_TAGS = frozenset({"nav", "aside", "menu"})
PAGE_LEVEL_TAGS = frozenset({"header", "footer"})
SECTIONING_TAGS = frozenset({"article", "section", "main"})
NAVIGATION_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search"})
# Custom elements of component-based CMSs (AP's <bsp-header>, <bsp-nav>) say what they are in their name.
NAVIGATION_ELEMENT_SUFFIXES = ("-nav", "-navigation", "-header", "-footer", "-menu")
# A cookie or consent banner ("bbccookies-prompt", "consent-dialog") links to policies, never to stories.
CONSENT = re.compile(r"cookie|consent|gdpr", re.I)
# Calls to action: they say nothing about the story they lead to, so they count as no text at all.
LABEL = re.compile(
    r"(?:read|see|view|show|load|browse) (?:more|all|full story|the full story|full article)\b.*"
    r"|more(?: (?:from|on|in|about|stories|news)\b.*)?|all stories|continue reading|read the story"
    r"|sign (?:in|up)\b.*|log ?in|register|subscribe\b.*|newsletters?|transcript|download|listen|watch|share"
    r"|comments?|\d+ comments?|next|previous|prev|back to top|skip to .*|home|menu|search|live|video|audio"
    r"|opens? in a new (?:window|tab)",
)
MIN_HEADLINE_WORDS = 3
"""Fewest words of a headline; "Sign in", "Newsletters", "Asia Pacific" are shorter."""

ANCHORS = "//a[@href]"
TEXT = ".//text()[not(ancestor::script or ancestor::style)]"
ALT_TEXTS = ("@aria-label", "@title", ".//img/@alt")


def article_links(page: object, section_url: object) -> list[str]:
    """Return the canonical URLs of the articles a section page links to, in page order, each once.

    >>> article_links('<main><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a>'
    ...               '<a href="/asia/">Asia</a></main>', "https://example.com/asia/")
    ['https://example.com/asia/2025/03/04/quake-hits-coast']
    """
    selector = as_selector(page)
    if selector is None:
        return []
    base = base_url(selector, section_url)
    if not base:
        return []
    section = canonicalize_url(section_url) or base
    texts = _content_links(selector, base, section)
    return [url for url, text in texts.items() if is_article(url, text)]


def _content_links(selector: Selectable, base: str, section: str) -> dict[str, str]:
    """Map each same-site link outside the navigation, in page order, to its best text."""
    texts: dict[str, str] = {}
    for anchor in selector.xpath(ANCHORS):
        url = canonicalize_url(anchor.attrib.get("href"), base)
        if not url or not same_site(url, section) or url.rstrip("/") == section.rstrip("/"):
            continue
        if in_navigation(anchor):
            continue
        text = link_text(anchor)
        if url not in texts or _headline_rank(text) > _headline_rank(texts[url]):
            texts[url] = text  # a story is often linked thrice: its image, its headline, "Read more"
    return texts


def _headline_rank(text: str) -> tuple[bool, int]:
    """Rank a link's texts: a headline over a label, a longer one over a shorter one."""
    return not is_label(text), len(text)


def is_article(url: str, text: str) -> bool:
    """Tell an article link from navigation: two pieces of evidence, a dated path counting for two.

    The evidence: a date in the path (a year alone counts one); a slug of 4+ words; an id; a headline of 3+ words
    (a label is none).
    An id alone is an article's transcript, comments or gallery; a short slug under a short name is a topic.

    >>> is_article("https://a.com/news/articles/ckg8wvz427vo", "Armed robots take to the battlefield")
    True
    >>> is_article("https://a.com/transcripts/nx-s1-5738445", "Transcript")
    False
    """
    if is_listing(url):
        return False
    headline = not is_label(text) and len(text.split()) >= MIN_HEADLINE_WORDS
    dated = 2 if has_date(url) else int(has_year(url))
    evidence = dated + (slug_words(url) >= MIN_SLUG_WORDS) + has_id(url) + headline
    return evidence >= 2


def is_label(text: str) -> bool:
    """Tell a call to action or a menu entry ("Read more", "Sign in", "See all newsletters") from a headline.

    >>> is_label("See All Newsletters"), is_label("More rain is expected in the Philippines")
    (True, False)
    """
    plain = " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    return bool(plain) and bool(LABEL.fullmatch(plain))


def link_text(anchor: Selector) -> str:
    """Return a link's visible text, or its label (aria-label, title, image alt) when it shows none."""
    text = " ".join(" ".join(anchor.xpath(TEXT).getall()).split())
    for alternative in ALT_TEXTS:
        if text:
            break
        text = " ".join((anchor.xpath(alternative).get() or "").split())
    return text


def in_navigation(anchor: Selector) -> bool:
    """Tell whether a link sits in the page's header, navigation, footer, sidebar or cookie banner."""
    ancestors = [element for element in anchor.root.iterancestors() if isinstance(element.tag, str)]
    for depth, element in enumerate(ancestors):
        tag = element.tag.lower()
        if tag in NAVIGATION_TAGS or tag.endswith(NAVIGATION_ELEMENT_SUFFIXES):
            return True
        if (element.get("role") or "").strip().lower() in NAVIGATION_ROLES:
            return True
        if CONSENT.search(f"{element.get('id') or ''} {element.get('class') or ''}"):
            return True
        if tag in PAGE_LEVEL_TAGS and not any(outer.tag in SECTIONING_TAGS for outer in ancestors[depth + 1 :]):
            return True
    return False
