"""Sitemaps whose URL names the dates they cover (`?date_start=20261101&date_end=20261130`), narrowed to days.

A sitemap index of monthly children would have a crawl fetch thousands of entries of every section to keep a
few of today's; where the child's URL takes its date range as parameters, one day's sitemap is one URL.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# The first and last day's query parameters; () for a site without dated sitemaps.
DayParams = tuple[str, str] | tuple[()]


def date_range(url: str | None, params: DayParams) -> tuple[date, date] | None:
    """The (first, last) day a sitemap URL names in its two date parameters (YYYYMMDD), else None.

    >>> date_range("https://a.com/s.xml?date_start=20261101&date_end=20261130", ("date_start", "date_end"))
    (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    >>> date_range("https://a.com/s.xml?date_start=junk", ("date_start", "date_end")) is None
    True
    """
    if not url or len(params) != 2:
        return None
    query = dict(parse_qsl(urlsplit(url).query))
    try:
        first, last = (date(int(v[:4]), int(v[4:6]), int(v[6:8])) for v in (query[params[0]], query[params[1]]))
    except (KeyError, ValueError):
        return None
    return (first, last) if first <= last else None


def day_urls(url: str, params: DayParams, newest: date, days: int, oldest: date | None = None) -> list[str]:
    """One URL per day of the sitemap's own range that the crawl wants, newest first: the `days` days up to
    `newest`, or every day from `oldest` (a `since`) on. A URL naming no range is returned as it is.

    >>> day_urls("https://a.com/s.xml?date_start=20261101&date_end=20261130", ("date_start", "date_end"),
    ...          date(2026, 11, 28), 2)
    ['https://a.com/s.xml?date_start=20261128&date_end=20261128', 'https://a.com/s.xml?date_start=20261127&date_end=20261127']
    """
    covered = date_range(url, params)
    if covered is None:
        return [url]
    first, last = covered
    start = max(first, oldest if oldest else newest - timedelta(days=days - 1))
    end = min(last, newest)
    wanted = [end - timedelta(days=n) for n in range((end - start).days + 1)] if start <= end else []
    return [with_day(url, params, day) for day in wanted]


def with_day(url: str, params: DayParams, day: date) -> str:
    """The URL with both date parameters set to one day, its other parameters kept in order."""
    parts = urlsplit(url)
    value = day.strftime("%Y%m%d")
    query = [(key, value if key in params else old) for key, old in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))
