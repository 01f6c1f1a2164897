"""Whether an article belongs to a section: its URL path, the section its page declares, its breadcrumb."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newscrawl.discovery.urlshape import path_segments, same_site
from newscrawl.processors.urls import canonicalize_url

# Parts of one declared value: "World > Asia", "world/asia", "News | Asia"
PARTS = re.compile(r"\s*[>/|»›,;]\s*")


def in_section(
    article_url: object, section_url: object, declared_section: object = None, breadcrumb: object = None
) -> bool | None:
    """Tell whether the article is in the section: True on any evidence for, False on evidence only against,
    None with no evidence at all (the caller must say so, not guess).

    Evidence for: the article's path lies under the section's (/world/asia/ -> /world/asia/2025/...), or the
    page's declared section (article:section, JSON-LD articleSection) or one of its breadcrumb entries (names or
    links) names the section's last path segment ("asia"). A path outside the section's is no evidence
    against: sites file stories apart from their section pages (BBC: /news/technology lists /news/articles/<id>).

    >>> in_section("https://a.com/world/asia/2025/x", "https://a.com/world/asia/")
    True
    >>> in_section("https://a.com/news/x", "https://a.com/asia/", declared_section="Europe")
    False
    >>> in_section("https://a.com/news/x", "https://a.com/asia/") is None
    True
    """
    article, section = canonicalize_url(article_url), canonicalize_url(section_url)
    segments = path_segments(section) if section else []
    if not article or not section or not segments:
        return None  # no article, or no section to be in (a home page)
    inside = path_segments(article)
    if same_site(article, section) and inside[: len(segments)] == segments and len(inside) > len(segments):
        return True
    votes = [_names_section(value, segments) for value in (declared_section, breadcrumb)]
    if True in votes:
        return True
    return False if False in votes else None


def _names_section(value: object, segments: list[str]) -> bool | None:
    """Tell whether a declared section or breadcrumb names the section; None when it names nothing."""
    names = [part for text in _strings(value) for part in _parts(text) if _words(part)]
    if not names:
        return None
    return any(_is_section(name, segments) for name in names)


def _is_section(name: str, segments: list[str]) -> bool:
    """Tell whether one name or link is the section: its last path segment, in words."""
    if "://" in name or name.startswith("/"):
        linked = path_segments(name)
        return bool(linked) and _words(_stem(linked[-1])) == _words(_stem(segments[-1]))
    return _words(name) == _words(_stem(segments[-1]))


def _stem(segment: str) -> str:
    """Drop a file extension: "asia.html" names the section "asia"."""
    return re.sub(r"\.[a-z0-9]{2,5}$", "", segment)


def _strings(value: object) -> list[str]:
    """Return the text values of a str or of an iterable of them (JSON-LD gives either)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        return [item for item in value if isinstance(item, str)]
    return []


def _parts(text: str) -> list[str]:
    """Split "World > Asia" into its names; a link stays whole."""
    text = text.strip()
    if "://" in text or text.startswith("/"):
        return [text]
    return [part for part in PARTS.split(text) if part.strip()]


def _words(name: str) -> tuple[str, ...]:
    """Return a name's words, lower-cased, without "and" or a plural "s": "US & Canada" == "us-canada".

    >>> _words("Latin_America"), _words("Sports")
    (('latin', 'america'), ('sport',))
    """
    words = [word for word in re.split(r"[\W_]+", name.casefold().replace("&", " and ")) if word and word != "and"]
    return tuple(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)
