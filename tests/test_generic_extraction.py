"""A page of a site newscrawl has no rules for still gives a record from structured data and generic rules."""

from datetime import datetime, timezone

from newscrawl.extraction.article import extract_article

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Harbour Reopens | Coast Times</title>
<meta property="og:title" content="Harbour Reopens After Storm">
<meta property="og:site_name" content="Coast Times">
<link rel="canonical" href="https://news.example/2026/11/harbour-reopens?utm_source=tw">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "datePublished": "2026-11-27T08:30:00+01:00", "author": [{"@type": "Person", "name": "Ann Reed"}],
 "keywords": "storms, harbours"}</script></head>
<body><nav>Home | World | Subscribe</nav><article><h1>Harbour Reopens After Storm</h1>
<div class="text"><p>PLYMOUTH (Reuters) - The harbour reopened on Friday.</p>
<p>"We are back to normal operations today," harbour master Tom Fisher said.</p>
<figure><img src="/img/harbour.jpg"><figcaption>Boats in the harbour.</figcaption></figure>
<p>Advertisement</p></div></article><footer>© Coast Times</footer></body></html>"""


def test_unknown_site_record():
    record = extract_article(PAGE, "https://news.example/2026/11/harbour-reopens", now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert record.layout == "generic"
    assert record.url == "https://news.example/2026/11/harbour-reopens"
    assert record.publisher == "Coast Times"
    assert record.headline == "Harbour Reopens After Storm"
    assert record.published == "2026-11-27T07:30:00+00:00"
    assert record.authors == ["Ann Reed"]
    assert record.dateline == {"place": "Plymouth", "agency": "Reuters", "raw": "PLYMOUTH (Reuters) -"}
    assert record.body == (
        "The harbour reopened on Friday.\n\n\"We are back to normal operations today,\" harbour master Tom Fisher said."
    )
    assert record.quotes == [{"text": "We are back to normal operations today", "speaker": "Tom Fisher"}]
    assert record.images == [{"url": "https://news.example/img/harbour.jpg", "caption": "Boats in the harbour.", "credit": None}]
    assert record.tags == ["storms", "harbours"] and record.language == "en"


def test_empty_page_gives_an_empty_record_not_an_error():
    record = extract_article("", "https://news.example/empty")
    assert (record.headline, record.body, record.published, record.quotes) == (None, None, None, [])
    assert record.url == "https://news.example/empty" and record.layout == "generic"
