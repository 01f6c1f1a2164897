"""Dates you can trust: the first candidate, in order of trust, that parses and is plausible.

Order: JSON-LD, microdata, meta tags, the page's own date elements and visible text (the layout's
selectors), then the date in the URL. A date in the future or before the site existed is passed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from parsel import Selector

from newscrawl.extraction.structured import Structured
from newscrawl.extraction.text import first_text
from newscrawl.processors.dates import parse_datetime, to_iso8601
from newscrawl.sites.rules import Layout, Site

STRUCTURED_KEYS = {"published": "datePublished", "modified": "dateModified"}
META_NAMES = {
    "published": (
        "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
        "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date", "date",
    ),
    "modified": ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "dc.date.modified"),
}
# /2026/11/27/, /20261127/, /201911201077356339-…: a day, at the start of a path segment
URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-]?(?P<month>0[1-9]|1[0-2])[/-]?(?P<day>0[1-9]|[12]\d|3[01])(?=[/\d-])")
# clocks and feeds disagree by minutes; a whole hour ahead is a wrong zone or a wrong date
FUTURE_TOLERANCE = timedelta(minutes=10)


def date_candidates(kind: str, data: Structured, page: Selector, layout: Layout, url: str) -> Iterator[tuple[str, object]]:
    """Yield (source, raw value) pairs for `published` or `modified`, most trusted first, lazily: the page's
    selectors run only when structured data had no plausible date."""
    key = STRUCTURED_KEYS[kind]
    yield "jsonld", data.ld(key)
    yield "microdata", data.md(key)
    for name in META_NAMES[kind]:
        for value in data.meta.get(name, ()):
            yield "meta", value
    for css in getattr(layout, kind):
        yield "page", first_text(page, (css,))
    if kind == "published":
        yield "url", url_date(url)


def url_date(url: str | None) -> str | None:
    """Return the day an article URL carries ("2026-11-27"), or None."""
    match = URL_DATE.search(url or "")
    return f"{match['year']}-{match['month']}-{match['day']}" if match else None


def pick_date(candidates, site: Site, layout: Layout, now: datetime) -> tuple[str, str, str] | None:
    """Return (ISO 8601 UTC, raw value, source) of the first plausible candidate, or None."""
    founded = parse_datetime(site.founded)
    for source, raw in candidates:
        if not raw:
            continue
        readable = strip_false_utc(raw) if layout.z_is_local_time and isinstance(raw, str) else raw
        parsed = parse_datetime(readable, site.timezone)
        if parsed and founded <= parsed <= now + FUTURE_TOLERANCE:
            return to_iso8601(parsed), str(raw), source
    return None


def strip_false_utc(value: str) -> str:
    """Drop a "Z" that the publisher puts on local times, so the site's zone applies."""
    value = value.strip()
    return value[:-1] if value.endswith("Z") else value
