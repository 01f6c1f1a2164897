"""Field precedence (newscrawl/extraction/precedence.py): which source gives each field when sources disagree,
what a value must look like to count, and that the record says where each field came from.

Pages are minimal HTML written to put two or more sources in conflict; they are read as a page of a site
without rules (the generic layout), at a URL of example.com.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newscrawl.extraction.article import extract_article
from newscrawl.extraction.precedence import PLAUSIBLE, PRECEDENCE

URL = "https://www.example.com/news/2025/03/04/harbour-reopens"
NOW = datetime(2026, 11, 30, tzinfo=UTC)
BODY = "<p>" + " ".join(["The harbour reopened on Tuesday after three weeks of repairs to its main quay."] * 6) + "</p>"


def page(head: str = "", body: str = "", lang: str = "") -> str:
    return f"<html{lang}><head>{head}</head><body><article>{body}{BODY}</article></body></html>"


def jsonld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def meta(name: str, content: str, attribute: str = "property") -> str:
    return f'<meta {attribute}="{name}" content="{content}">'


def read(html: str):
    return extract_article(html, URL, now=NOW)


# (case, html, field, expected value, expected source)
PRECEDENCE_TABLE = [
    # headline: the visible h1 when it tells the declared story, else og:title, JSON-LD, microdata, <title>
    ("no headline anywhere", page(), "headline", None, None),
    ("only <title>", page("<title>Harbour reopens</title>"), "headline", "Harbour reopens", "html"),
    ("JSON-LD beats <title>", page("<title>Home</title>" + jsonld(headline="Harbour reopens after repairs")),
     "headline", "Harbour reopens after repairs", "jsonld"),
    ("og:title beats JSON-LD", page(meta("og:title", "Harbour reopens") + jsonld(headline="Harbour story")),
     "headline", "Harbour reopens", "meta"),
    ("visible h1 of the same story beats og:title",
     page(meta("og:title", "Harbour reopens - SEO teaser"), "<h1>Harbour reopens after three weeks</h1>"),
     "headline", "Harbour reopens after three weeks", "layout"),
    ("an h1 of another story gives way to og:title",
     page(meta("og:title", "Harbour reopens"), "<h1>Subscribe to our newsletter</h1>"),
     "headline", "Harbour reopens", "meta"),
    ("an og:title that is a URL is passed over",
     page(meta("og:title", "https://www.example.com/news") + jsonld(headline="Harbour reopens")),
     "headline", "Harbour reopens", "jsonld"),
    ("an empty og:title is passed over", page(meta("og:title", " ") + "<title>Harbour reopens</title>"),
     "headline", "Harbour reopens", "html"),
    # lead: JSON-LD description, then og:description / description (the generic layout has no standfirst)
    ("JSON-LD description beats og:description",
     page(jsonld(description="Repairs took three weeks.") + meta("og:description", "Teaser text here.")),
     "lead", "Repairs took three weeks.", "jsonld"),
    ("og:description alone", page(meta("og:description", "Repairs took three weeks.")),
     "lead", "Repairs took three weeks.", "meta"),
    ("a description repeating the body's start is no lead",
     page(meta("og:description", "The harbour reopened on Tuesday after three weeks")), "lead", None, None),
    # section: meta before JSON-LD
    ("article:section beats JSON-LD articleSection",
     page(meta("article:section", "Business") + jsonld(articleSection=["World", "Asia"])), "section", "Business", "meta"),
    ("og:article:section (older BBC pages) counts as article:section",
     page(meta("og:article:section", "US &amp; Canada") + jsonld(articleSection="World")), "section", "US & Canada", "meta"),
    ("JSON-LD articleSection, first of a list", page(jsonld(articleSection=["World", "Asia"])),
     "section", "World", "jsonld"),
    ("a section that is a URL is passed over",
     page(meta("article:section", "https://www.example.com/business/") + jsonld(articleSection="Business")),
     "section", "Business", "jsonld"),
    # tags: the page's tag links, article:tag, JSON-LD keywords, microdata keywords
    ("tag links beat article:tag", page(meta("article:tag", "ports"), '<a rel="tag" href="/t/s">shipping</a>'),
     "tags", ["shipping"], "layout"),
    ("article:tag beats keywords", page(meta("article:tag", "ports") + jsonld(keywords="harbour, repairs")),
     "tags", ["ports"], "meta"),
    ("JSON-LD keywords as a comma list", page(jsonld(keywords="harbour, repairs")),
     "tags", ["harbour", "repairs"], "jsonld"),
    # images: the layout's figures, then the sharing image
    ("og:image alone", page(meta("og:image", "https://www.example.com/quay.jpg")),
     "images", [{"url": "https://www.example.com/quay.jpg", "caption": None, "credit": None}], "meta"),
    ("a figure beats og:image",
     page(meta("og:image", "https://www.example.com/share.jpg"),
          '<figure><img src="/quay.jpg"><figcaption>The main quay</figcaption></figure>'),
     "images", [{"url": "https://www.example.com/quay.jpg", "caption": "The main quay", "credit": None}], "layout"),
    ("a data: URI is no picture", page(meta("og:image", "data:image/gif;base64,R0lGOD")), "images", [], None),
    # language: <html lang>, JSON-LD inLanguage, og:locale
    ("html lang beats JSON-LD inLanguage", page(jsonld(inLanguage="fr"), lang=' lang="en"'), "language", "en", "html"),
    ("html lang beats og:locale", page(meta("og:locale", "de_DE"), lang=' lang="en-GB"'), "language", "en", "html"),
    ("og:locale when html lang is junk", page(meta("og:locale", "de_DE"), lang=' lang="x1"'), "language", "de", "meta"),
    ("JSON-LD inLanguage beats og:locale", page(jsonld(inLanguage="fr") + meta("og:locale", "de_DE")),
     "language", "fr", "jsonld"),
    # publisher: the page's own og:site_name (a site without rules has no name of its own)
    ("og:site_name", page(meta("og:site_name", "Example Times")), "publisher", "Example Times", "meta"),
    ("no publisher", page(), "publisher", None, None),
    # dates: JSON-LD, microdata, meta, the page's date elements, htmldate, the URL
    ("JSON-LD beats meta",
     page(jsonld(datePublished="2025-03-04T08:00:00+01:00") + meta("article:published_time", "2025-03-01T00:00:00Z")),
     "published", "2025-03-04T07:00:00+00:00", "jsonld"),
    ("meta beats the page's time element",
     page(meta("article:published_time", "2025-03-04T09:30:00+00:00"), '<time datetime="2025-03-02T10:00:00Z">2 March</time>'),
     "published", "2025-03-04T09:30:00+00:00", "meta"),
    ("a future JSON-LD date gives way to meta",
     page(jsonld(datePublished="2031-01-01T00:00:00Z") + meta("article:published_time", "2025-03-04T09:30:00+00:00")),
     "published", "2025-03-04T09:30:00+00:00", "meta"),
    ("the URL's day as the last resort", page(), "published", "2025-03-04T00:00:00+00:00", "url"),
    # authors: the first source naming a person
    ("JSON-LD author beats the meta author",
     page(jsonld(author={"@type": "Person", "name": "Ann Lee"}) + meta("author", "Bo Chan", "name")),
     "authors", ["Ann Lee"], "jsonld"),
    ("an organisation as JSON-LD author gives way to the meta author",
     page(jsonld(author={"@type": "Organization", "name": "Example Times"}) + meta("author", "Bo Chan", "name")),
     "authors", ["Bo Chan"], "meta"),
    ("a byline when nothing is declared", page(body='<p class="byline">By Ann Lee and Bo Chan</p>'),
     "authors", ["Ann Lee", "Bo Chan"], "layout"),
]


@pytest.mark.parametrize(
    ("html", "field", "expected", "source"),
    [case[1:] for case in PRECEDENCE_TABLE],
    ids=[case[0] for case in PRECEDENCE_TABLE],
)
def test_precedence(html, field, expected, source):
    record = read(html)
    assert getattr(record, field) == expected
    assert record.sources.get(field) == source


def test_every_table_field_has_a_plausibility_check_and_a_row():
    assert set(PRECEDENCE) == set(PLAUSIBLE)
    tested = {case[2] for case in PRECEDENCE_TABLE}
    assert set(PRECEDENCE) - {"article_id"} <= tested  # article_id: tests/test_fixture_articles.py (Sputnik ids)


# (field, value, plausible?): bad input first
PLAUSIBILITY_TABLE = [
    ("headline", None, False),
    ("headline", "", False),
    ("headline", "   ", False),
    ("headline", "1984", True),  # a real dev-split page's title is "001"
    ("headline", "https://www.example.com/a", False),
    ("headline", "x" * 401, False),
    ("headline", "Harbour reopens", True),
    ("lead", None, False),
    ("lead", "www.example.com", False),
    ("lead", "Repairs took three weeks.", True),
    ("section", "", False),
    ("section", "//example.com/business", False),
    ("section", "a" * 81, False),
    ("section", "asia", True),
    ("article_id", None, False),
    ("article_id", "12ab", False),
    ("article_id", "1121230001", True),
    ("tags", None, False),
    ("tags", [], False),
    ("tags", ["ok", ""], False),
    ("tags", ["ports", "shipping"], True),
    ("images", [{"url": None}], False),
    ("images", [{"url": "data:image/png;base64,AAA"}], False),
    ("images", ["https://www.example.com/a.jpg"], False),
    ("images", [{"url": "https://www.example.com/a.jpg", "caption": None, "credit": None}], True),
    ("language", None, False),
    ("language", "english", False),
    ("language", "e1", False),
    ("language", "en", True),
    ("publisher", 42, False),
    ("publisher", "Example Times", True),
]


@pytest.mark.parametrize(("field", "value", "plausible"), PLAUSIBILITY_TABLE)
def test_plausibility(field, value, plausible):
    assert PLAUSIBLE[field](value) is plausible


def test_the_record_names_the_source_of_every_field_it_has():
    record = read(
        page(meta("og:title", "Harbour reopens") + meta("og:site_name", "Example Times")
             + jsonld(datePublished="2025-03-04T08:00:00Z", author={"@type": "Person", "name": "Ann Lee"}))
    )
    assert record.sources == {
        "publisher": "meta", "headline": "meta", "published": "jsonld", "authors": "jsonld", "body": "generic",
    }
    assert record.published_source == record.sources["published"]
