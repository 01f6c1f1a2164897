"""Dates you can trust: candidates in order of trust, implausible ones passed over, the source kept."""

from datetime import datetime, timezone

import pytest
from parsel import Selector

from newscrawl.extraction.article import extract_article
from newscrawl.extraction.dates import pick_date, url_date
from newscrawl.sites import generic, sputnik

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, None),
        ("", None),
        ("https://x.test/no/date/here", None),
        ("https://x.test/2026/13/40/bad-month", None),
        ("https://x.test/2026/11/27/story", "2026-11-27"),
        ("https://sputnikglobe.com/20261127/tokyo-drill-1121150342.html", "2026-11-27"),
        ("https://sputniknews.com/asia/201911201077356339-tyga/", "2019-11-20"),
        ("https://x.test/news/2026-11-27-story", "2026-11-27"),
    ],
)
def test_url_date(url, expected):
    assert url_date(url) == expected


def test_no_candidates_or_only_junk_gives_nothing():
    layout = generic.GENERIC
    assert pick_date([], generic.SITE, layout, NOW) is None
    assert pick_date([("meta", "soon"), ("page", 42), ("jsonld", ["x"])], generic.SITE, layout, NOW) is None


def test_a_future_date_and_one_before_the_site_existed_are_passed_over():
    candidates = [("jsonld", "2027-01-01T00:00:00Z"), ("meta", "2001-05-05T10:00:00Z"), ("page", "27.11.2026"),
                  ("url", "2026-11-27")]
    assert pick_date(candidates, sputnik.SITE, sputnik.RIA, NOW) == ("2026-11-26T21:00:00+00:00", "2026-11-27", "url")


def test_a_false_utc_stamp_of_the_old_layout_is_read_in_moscow_time():
    chosen = pick_date([("microdata", "2019-11-18T21:17:27Z")], sputnik.SITE, sputnik.B_ARTICLE, NOW)
    assert chosen == ("2019-11-18T18:17:27+00:00", "2019-11-18T21:17:27Z", "microdata")


PAGE = """<html><head>{head}</head><body><article><h1>Harbour Reopens</h1>{time}
<p>The harbour reopened on Friday after a week of repairs to the sea wall, the port authority said.</p></article></body></html>"""


@pytest.mark.parametrize(
    ("head", "time", "url", "published", "source"),
    [
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2026-11-27T08:30:00+01:00"}</script>'
         '<meta property="article:published_time" content="2026-11-20T00:00:00Z">', "", "https://x.test/a",
         "2026-11-27T07:30:00+00:00", "jsonld"),
        ('<meta property="article:published_time" content="2026-11-27T10:00:00Z">', "", "https://x.test/a",
         "2026-11-27T10:00:00+00:00", "meta"),
        ("", '<time datetime="2026-11-27T10:15:00+00:00">27 Nov</time>', "https://x.test/a",
         "2026-11-27T10:15:00+00:00", "page"),
        ("", "", "https://x.test/2026/11/26/harbour", "2026-11-26T00:00:00+00:00", "url"),
        ('<meta property="article:published_time" content="2031-01-01T00:00:00Z">', "", "https://x.test/2026/11/26/h",
         "2026-11-26T00:00:00+00:00", "url"),
    ],
)
def test_published_comes_from_the_most_trusted_plausible_source(head, time, url, published, source):
    record = extract_article(Selector(text=PAGE.format(head=head, time=time)), url, now=NOW)
    assert (record.published, record.published_source) == (published, source)
