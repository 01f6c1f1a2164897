"""A page of a site newscrawl has no rules for still gives a record from structured data and generic rules."""

from datetime import UTC, datetime

from newscrawl.extraction.article import extract_article

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Harbour Reopens | Coast Times</title>
<meta property="og:title" content="Harbour Reopens After Storm">
<meta property="og:site_name" content="Coast Times">
<link rel="canonical" href="https://news.example/2026/11/harbour-reopens?utm_source=tw">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "datePublished": "2026-11-27T08:30:00+01:00", "author": [{"@type": "Person", "name": "Ann Reed"}],
 "keywords": "storms, harbours"}</script></head>
<body><nav>Home | World | Subscribe</nav><article><h1>Harbour Reopens After Storm</h1>
<div class="text"><p>PLYMOUTH (Reuters) - The harbour reopened on Friday after a week of repairs to the sea wall
that the storm had breached in two places, flooding the fish market and the ferry terminal.</p>
<p>"We are back to normal operations today," harbour master Tom Fisher said.</p>
<p>Ferries to Roscoff and Santander will sail on their usual timetable from Saturday, the operators said, and
the fish market will reopen on Monday once its cold stores have been checked.</p>
<figure><img src="/img/harbour.jpg"><figcaption>Boats in the harbour.</figcaption></figure>
<p>Advertisement</p></div></article><footer>© Coast Times</footer></body></html>"""


def test_unknown_site_record():
    record = extract_article(PAGE, "https://news.example/2026/11/harbour-reopens", now=datetime(2026, 11, 28, tzinfo=UTC))
    assert (record.layout, record.extraction) == ("generic", "fallback")
    assert record.url == "https://news.example/2026/11/harbour-reopens"
    assert record.publisher == "Coast Times"
    assert record.headline == "Harbour Reopens After Storm"
    assert record.published == "2026-11-27T07:30:00+00:00"
    assert record.authors == ["Ann Reed"]
    assert record.dateline == {"place": "Plymouth", "agency": "Reuters", "raw": "PLYMOUTH (Reuters) -"}
    assert record.body == (
        "The harbour reopened on Friday after a week of repairs to the sea wall that the storm had breached in two "
        "places, flooding the fish market and the ferry terminal.\n\n"
        "\"We are back to normal operations today,\" harbour master Tom Fisher said.\n\n"
        "Ferries to Roscoff and Santander will sail on their usual timetable from Saturday, the operators said, and "
        "the fish market will reopen on Monday once its cold stores have been checked."
    )
    assert record.quotes == [{"text": "We are back to normal operations today", "speaker": "Tom Fisher"}]
    assert record.images == [{"url": "https://news.example/img/harbour.jpg", "caption": "Boats in the harbour.", "credit": None}]
    assert record.tags == ["storms", "harbours"] and record.language == "en"


def test_empty_page_gives_an_empty_record_not_an_error():
    record = extract_article("", "https://news.example/empty")
    assert (record.headline, record.body, record.published, record.quotes) == (None, None, None, [])
    assert record.url == "https://news.example/empty" and record.layout == "generic"
