"""Dates you can trust: the first candidate, in order of trust, that parses and is plausible.

Order: JSON-LD, microdata, meta tags, the page's own date elements and visible text (the layout's
selectors), then htmldate's reading of the whole page, then the date in the URL. A date in the future or
before the site existed is passed over. A wall-clock time that names no zone yields to a Unix stamp (or any
value with an offset) of the same moment further down the list, since only that fixes the instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial

from htmldate import find_date
from lxml.html import HtmlElement
from parsel import Selector

from newscrawl.extraction.structured import Structured
from newscrawl.extraction.visible_text import first_text
from newscrawl.processors.datetimes import is_written_out, parse_datetime, to_iso8601
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
# UTC-12 to UTC+14: a wall-clock time and the true instant of the same moment are at most this far apart
ZONE_SPAN = timedelta(hours=26)
# two zones that never share an offset: a value read the same in both names its own zone
PROBE_ZONES = ("UTC", "Asia/Kathmandu")

MACHINE_SOURCES = frozenset({"jsonld", "microdata", "meta"})
"""Sources whose dates are ISO 8601 by their specifications (schema.org, Open Graph): a day written out there
("Jun 24, 2025") is a template's display date, a wrong day on each of the 5 WCXB dev pages that had one."""

Candidate = tuple[str, object]
"""(source, raw value); the raw value of a guess (htmldate, the URL) is a function, called only when reached."""


def date_candidates(
    kind: str, data: Structured, page: Selector, layout: Layout, url: str, site: Site, now: datetime
) -> Iterator[Candidate]:
    """Yield the (source, raw value) pairs for `published` or `modified`, most trusted first, lazily: the page's
    selectors run only when structured data had no plausible date, the guesses only when nothing else had."""
    key = STRUCTURED_KEYS[kind]
    yield "jsonld", data.ld(key)
    yield "microdata", data.md(key)
    for name in META_NAMES[kind]:
        for value in data.meta.get(name, ()):
            yield "meta", value
    for css in getattr(layout, kind):
        yield "page", first_text(page, (css,))
    if kind == "published":  # a page's other dates are as likely its updates: no guess for `modified`
        yield "htmldate", partial(htmldate_day, page, site, now)
        yield "url", partial(url_date, url)


def htmldate_day(page: Selector, site: Site, now: datetime) -> str | None:
    """Return the publication day htmldate reads off the page's markup and text ("2025-12-19"), or None."""
    if not isinstance(page.root, HtmlElement):
        return None  # htmldate downloads a string that looks like a URL: never hand it one
    # url="": the URL is our own last candidate, so htmldate must not read it (nor look for a canonical link)
    day = find_date(page.root, original_date=True, url="", min_date=site.founded, max_date=now.strftime("%Y-%m-%d"))
    # htmldate writes a year it found alone (a copyright line) as 1 January: that is no day of publication
    return None if day is None or day.endswith("-01-01") else day


def url_date(url: str | None) -> str | None:
    """Return the day an article URL carries ("2026-11-27"), or None."""
    match = URL_DATE.search(url or "")
    return f"{match['year']}-{match['month']}-{match['day']}" if match else None


def pick_date(
    candidates: Iterable[Candidate], site: Site, layout: Layout, now: datetime
) -> tuple[str, str, str] | None:
    """Return (ISO 8601 UTC, raw value, source) of the first plausible candidate, or None; a first choice that
    names no zone gives way to a later Unix stamp or offset value of the same moment."""
    chosen: tuple[datetime, object, str] | None = None
    for source, raw in candidates:
        if callable(raw):
            if chosen:
                break  # a guess never fixes an instant: keep the zone-less value rather than run it
            raw = raw()
        readable = strip_false_utc(raw) if layout.z_is_local_time and isinstance(raw, str) else raw
        if source in MACHINE_SOURCES and is_written_out(readable):
            continue
        parsed = plausible(readable, site, now)
        if parsed is None:
            continue
        exact = names_its_zone(readable)
        if chosen is None or (exact and abs(parsed - chosen[0]) <= ZONE_SPAN):
            chosen = (parsed, raw, source)
            if exact:
                break
    if chosen is None:
        return None
    when, raw, source = chosen
    iso = to_iso8601(when)
    assert iso is not None  # parse_datetime's datetimes are aware
    return iso, str(raw), source


def plausible(value: object, site: Site, now: datetime) -> datetime | None:
    """Parse a date in the site's zone; None if it does not parse, is in the future or predates the site."""
    parsed = parse_datetime(value, site.timezone)
    if parsed is None:
        return None
    founded = parse_datetime(site.founded)
    if founded is None:
        raise ValueError(f"Site {site.key!r}: founded {site.founded!r} is no date")  # a bug in the site's rules
    return parsed if founded <= parsed <= now + FUTURE_TOLERANCE else None


def names_its_zone(value: object) -> bool:
    """Tell a value that fixes its instant (an offset, a zone label, a Unix stamp) from a wall-clock time.

    >>> names_its_zone("1574101047"), names_its_zone("2019-11-18T21:17:27Z"), names_its_zone("2019-11-18T21:17")
    (True, True, False)
    """
    readings = {parse_datetime(value, zone) for zone in PROBE_ZONES}
    return len(readings) == 1 and None not in readings


def strip_false_utc(value: str) -> str:
    """Drop a "Z" that the publisher puts on local times, so the site's zone applies."""
    value = value.strip()
    return value[:-1] if value.endswith("Z") else value
