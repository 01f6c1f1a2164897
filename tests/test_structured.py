"""Structured data as real pages publish it: JSON-LD with trailing spaces, @graph, broken scripts."""

from parsel import Selector

from newscrawl.extraction.structured import find_article_object, person_names, read_structured


def test_no_or_broken_jsonld_gives_nothing():
    assert find_article_object([]) == {}
    assert find_article_object(["", "{not json", "[]", "42"]) == {}


def test_article_object_is_found_in_a_graph_and_beats_webpage():
    scripts = ['{"@graph": [{"@type": "WebPage", "name": "w"}, {"@type": ["NewsArticle"], "headline": "h"}]}']
    assert find_article_object(scripts)["headline"] == "h"


def test_real_ria_date_with_trailing_space_is_kept_raw():
    script = '{"@type": "Article", "datePublished": "2026-05-31T00:44:00+03:00 "}'
    assert find_article_object([script])["datePublished"] == "2026-05-31T00:44:00+03:00 "


def test_person_names_skip_organizations_and_junk():
    value = [{"@type": "Person", "name": "Дарья Буймова"}, {"@type": "Organization", "name": "RIA"}, None, 3]
    assert person_names(value) == ["Дарья Буймова"]
    assert person_names(None) == [] and person_names("A. Writer") == ["A. Writer"]


def test_meta_tags_canonical_and_language():
    page = Selector(
        text='<html lang="en"><head><meta property="og:title" content="T"><meta name="analytics:p_ts" content="1">'
        '<link rel="canonical" href="https://x.test/a"></head></html>'
    )
    data = read_structured(page)
    assert (data.first_meta("og:title"), data.first_meta("ANALYTICS:P_TS")) == ("T", "1")
    assert (data.canonical, data.lang, data.first_meta("missing")) == ("https://x.test/a", "en", None)
