"""Dates you can trust: candidates in order of trust, implausible ones passed over, the source kept."""

from datetime import UTC, datetime

import pytest
from parsel import Selector

from newscrawl.extraction.article import extract_article
from newscrawl.extraction.date_choice import htmldate_day, pick_date, url_date
from newscrawl.sites import generic, sputnik

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


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


def test_a_day_written_out_in_structured_data_is_a_display_date_but_on_the_page_it_is_the_date():
    layout = generic.GENERIC
    candidates = [("jsonld", "Jun 24, 2025"), ("meta", "June 24, 2025"), ("microdata", "24 Jun 2025"),
                  ("htmldate", "2024-08-25")]
    assert pick_date(candidates, generic.SITE, layout, NOW) == ("2024-08-25T00:00:00+00:00", "2024-08-25", "htmldate")
    assert pick_date([("page", "10 Feb 2024"), ("htmldate", "2024-02-11")], generic.SITE, layout, NOW) == (
        "2024-02-10T00:00:00+00:00", "10 Feb 2024", "page")


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


def test_htmldate_reads_a_page_without_date_markup_before_the_url_is_read():
    page = PAGE.format(head="", time='<p class="meta">Published on July 18, 2025</p>')
    record = extract_article(Selector(text=page), "https://x.test/2026/11/26/harbour", now=NOW)
    assert (record.published, record.published_raw, record.published_source) == (
        "2025-07-18T00:00:00+00:00", "2025-07-18", "htmldate")


def test_htmldate_takes_a_page_published_today_and_no_later():
    today = PAGE.format(head="", time='<p class="meta">Published on November 28, 2026</p>')
    tomorrow = PAGE.format(head="", time='<p class="meta">Published on November 29, 2026</p>')
    assert htmldate_day(Selector(text=today), generic.SITE, NOW) == "2026-11-28"
    assert htmldate_day(Selector(text=tomorrow), generic.SITE, NOW) is None


def test_a_copyright_year_is_no_day_of_publication():
    page = PAGE.format(head="", time="") + "<footer>© 2024 Harbour News</footer>"
    assert htmldate_day(Selector(text=page), generic.SITE, NOW) is None


def test_htmldate_is_never_handed_anything_but_a_parsed_html_tree():
    # htmldate downloads a string that looks like a URL; an XML tree is no HTML page
    assert htmldate_day(Selector(text="<a>2025-07-18</a>", type="xml"), generic.SITE, NOW) is None


STAMP = "1795763700"  # 2026-11-27T07:15:00Z, 10:15 in Moscow


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        # a wall-clock time gives way to a Unix stamp or an offset value of the same moment
        ([("jsonld", "2026-11-27T10:15"), ("page", STAMP)], ("2026-11-27T07:15:00+00:00", STAMP, "page")),
        ([("jsonld", "2026-11-27T10:15"), ("meta", "2026-11-27T10:15:00+03:00")],
         ("2026-11-27T07:15:00+00:00", "2026-11-27T10:15:00+03:00", "meta")),
        ([("jsonld", "2026-11-27"), ("page", STAMP)], ("2026-11-27T07:15:00+00:00", STAMP, "page")),
        # but not to a value that names its zone first, nor to another moment, nor to another zone-less value
        ([("jsonld", "2026-11-27T10:15:00Z"), ("page", STAMP)],
         ("2026-11-27T10:15:00+00:00", "2026-11-27T10:15:00Z", "jsonld")),
        ([("jsonld", "2026-11-25T10:15"), ("page", STAMP)], ("2026-11-25T10:15:00+00:00", "2026-11-25T10:15", "jsonld")),
        ([("jsonld", "2026-11-27T10:15"), ("meta", "2026-11-27T09:00")],
         ("2026-11-27T10:15:00+00:00", "2026-11-27T10:15", "jsonld")),
    ],
)
def test_a_unix_stamp_or_an_offset_fixes_the_instant_of_a_wall_clock_time(candidates, expected):
    assert pick_date(candidates, generic.SITE, generic.GENERIC, NOW) == expected


def test_a_wall_clock_time_is_kept_rather_than_running_the_guesses():
    def never():
        raise AssertionError("htmldate and the URL are guesses: they never fix an instant")

    chosen = pick_date([("jsonld", "2026-11-27T10:15"), ("htmldate", never)], generic.SITE, generic.GENERIC, NOW)
    assert chosen == ("2026-11-27T10:15:00+00:00", "2026-11-27T10:15", "jsonld")


@pytest.mark.parametrize(
    ("z_stamp", "unix", "published"),
    [
        ("2019-11-18T21:17:27Z", "1574101047", "2019-11-18T18:17:27+00:00"),  # the "Z" was Moscow time
        ("2020-04-28T22:57:38Z", "1588114658", "2020-04-28T22:57:38+00:00"),  # the "Z" was true UTC
    ],
)
def test_the_old_layouts_unix_stamp_beats_its_ambiguous_z_stamp(z_stamp, unix, published):
    candidates = [("microdata", z_stamp), ("meta", z_stamp), ("page", unix)]
    assert pick_date(candidates, sputnik.SITE, sputnik.B_ARTICLE, NOW) == (published, unix, "page")
