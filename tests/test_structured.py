"""Structured data as real pages publish it: JSON-LD with trailing spaces, comments and @graph; microdata."""

from parsel import Selector

from newscrawl.extraction.structured import find_article_object, person_names, read_structured


def page(head: str = "", body: str = "") -> Selector:
    return Selector(text=f"<html><head>{head}</head><body>{body}</body></html>")


def ld(script: str) -> str:
    return f'<script type="application/ld+json">{script}</script>'


def test_no_or_broken_structured_data_gives_nothing():
    assert find_article_object([]) == {}
    assert find_article_object([None, 42, "x", []]) == {}
    data = read_structured(page(ld("") + ld("{not json") + ld("[]") + ld("42")))
    assert (data.jsonld, data.microdata, data.ld("headline"), data.md("headline")) == ({}, {}, None, None)


def test_article_object_is_found_in_a_graph_and_beats_webpage():
    script = '{"@graph": [{"@type": "WebPage", "name": "w"}, {"@type": ["NewsArticle"], "headline": "h"}]}'
    assert read_structured(page(ld(script))).ld("headline") == "h"


def test_jsonld_with_a_comment_and_a_trailing_space_as_real_pages_have():
    script = '// generated\n{"@type": "Article", "datePublished": "2026-05-31T00:44:00+03:00 "}'
    assert read_structured(page(ld(script))).ld("datePublished") == "2026-05-31T00:44:00+03:00 "


def test_microdata_article_item():
    body = (
        '<div itemscope itemtype="http://schema.org/NewsArticle"><h1 itemprop="headline">H</h1>'
        '<meta itemprop="datePublished" content="2019-11-18T21:17:27Z"></div>'
    )
    data = read_structured(page(body=body))
    assert (data.md("headline"), data.md("datePublished")) == ("H", "2019-11-18T21:17:27Z")


def test_person_names_skip_organizations_and_junk():
    value = [{"@type": "Person", "name": "Дарья Буймова"}, {"@type": "Organization", "name": "RIA"}, None, 3]
    assert person_names(value) == ["Дарья Буймова"]
    assert person_names(None) == [] and person_names("A. Writer") == ["A. Writer"]


def test_person_names_follow_references_into_the_graph_and_read_name_lists():
    index = {"#ann": {"@type": "Person", "name": "Ann Lee"}, "#org": {"@type": "Organization", "name": "RIA"}}
    value = [{"@id": "#ann"}, {"@id": "#org"}, {"@id": "#unknown"}, {"@type": "Person", "name": ["Bo Chan", 4]}]
    assert person_names(value, index) == ["Ann Lee", "Bo Chan"]
    assert person_names([{"@id": "#ann"}]) == []  # no index: a bare reference names nobody


def test_meta_tags_canonical_and_language():
    data = read_structured(
        page('<meta property="og:title" content="T"><meta name="analytics:p_ts" content="1">'
             '<link rel="canonical" href="https://x.test/a">')
    )
    assert (data.first_meta("og:title"), data.first_meta("ANALYTICS:P_TS")) == ("T", "1")
    assert (data.canonical, data.first_meta("missing")) == ("https://x.test/a", None)
