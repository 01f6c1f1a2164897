"""Monthly sitemaps narrowed to the days a crawl wants (the RIA platform's `date_start`/`date_end` children)."""

from datetime import date

import pytest

from newscrawl.discovery.dated_sitemaps import date_range, day_urls

PARAMS = ("date_start", "date_end")
MONTH = "https://sputnikglobe.com/sitemap_article.xml?date_start=20261101&date_end=20261130"


def day(d: str) -> str:
    return f"https://sputnikglobe.com/sitemap_article.xml?date_start={d}&date_end={d}"


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        (None, PARAMS, None),
        ("", PARAMS, None),
        ("not a url", PARAMS, None),
        ("https://a.com/sitemap.xml", PARAMS, None),
        ("https://a.com/s.xml?date_start=2026&date_end=20261130", PARAMS, None),
        ("https://a.com/s.xml?date_start=20261399&date_end=20261130", PARAMS, None),
        ("https://a.com/s.xml?date_start=20261130&date_end=20261101", PARAMS, None),  # backwards
        (MONTH, (), None),
        (MONTH, PARAMS, (date(2026, 11, 1), date(2026, 11, 30))),
    ],
)
def test_date_range(url, params, expected):
    assert date_range(url, params) == expected


@pytest.mark.parametrize(
    ("url", "newest", "days", "oldest", "expected"),
    [
        ("https://a.com/sitemap.xml", date(2026, 11, 28), 3, None, ["https://a.com/sitemap.xml"]),
        (MONTH, date(2026, 11, 28), 3, None, [day("20261128"), day("20261127"), day("20261126")]),
        (MONTH, date(2026, 11, 1), 3, None, [day("20261101")]),  # the month's start bounds it
        (MONTH, date(2026, 12, 2), 3, None, [day("20261130")]),  # of Nov 30 - Dec 2, the month holds one
        (MONTH, date(2026, 12, 5), 3, None, []),  # the days wanted are all in December
        (MONTH, date(2026, 11, 28), 3, date(2026, 11, 27), [day("20261128"), day("20261127")]),  # since
        (day("20261127"), date(2026, 11, 28), 3, None, [day("20261127")]),  # a day's sitemap stays one
    ],
)
def test_day_urls(url, newest, days, oldest, expected):
    assert day_urls(url, PARAMS, newest, days, oldest) == expected
