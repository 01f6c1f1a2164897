"""Article links of a section page: bad input, markup cases, and precision/recall on real section pages."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from newscrawl.discovery import article_links, feeds, next_pages
from newscrawl.discovery.links import is_article, is_label
from newscrawl.processors.urls import canonicalize_url

PAGES = Path(__file__).parent / "discovery"
LABELS = {page["id"]: page for page in json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))}
FIXTURE = Path(__file__).parent.parent / "fixtures" / "sputnik"
SECTION = "https://www.example.com/asia/"


@cache
def real_page(page_id: str) -> Selector:
    return Selector(text=gzip.decompress((PAGES / f"{page_id}.html.gz").read_bytes()).decode("utf-8"))


def page(body: str) -> str:
    return f"<html><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "section_url", "expected"),
    [
        (None, SECTION, []),
        ("", SECTION, []),
        ("   ", SECTION, []),
        (42, SECTION, []),
        ("<<<>>> not html at all &&&", SECTION, []),
        (page("<p>No links on this page.</p>"), SECTION, []),
        (page('<a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a>'), None, []),
        (page('<a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a>'), "", []),
        (page('<a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a>'), "not a url", []),
        (page('<a href="javascript:void(0)">Quake hits</a><a href="#top">Top</a><a href="">x</a>'), SECTION, []),
        (page('<a>no href</a><a href="mailto:desk@example.com">Write to the news desk today</a>'), SECTION, []),
    ],
)
def test_bad_input_gives_no_links(html, section_url, expected):
    assert article_links(html, section_url) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # URL shapes that make an article, each with its headline
        ('<a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a>', ["/asia/2025/03/04/quake-hits-coast"]),
        ('<a href="/20250304/quake-1121141932.html">Quake hits the coast</a>', ["/20250304/quake-1121141932.html"]),
        ('<a href="/news/articles/ckg8wvz427vo">Quake hits the northern coast</a>', ["/news/articles/ckg8wvz427vo"]),
        ('<a href="/story/quake-hits-the-northern-coast/">Quake hits the coast</a>',
         ["/story/quake-hits-the-northern-coast/"]),
        # a dated story needs no text (an image link, a card overlay)
        ('<a href="/asia/2025/mar/04/quake"><img src="q.jpg"></a>', ["/asia/2025/mar/04/quake"]),
        # navigation: short names, section and topic pages, calls to action
        ('<a href="/asia/japan/">Japan</a><a href="/tag/earthquakes/">Earthquakes in Asia this year</a>', []),
        ('<a href="/newsletters">Newsletters</a><a href="/account/signin">Sign in</a>', []),
        ('<a href="/asia/?page=2">More</a><a href="/asia/2025/03/04/quake-hits-coast#comments">12 comments</a>',
         ["/asia/2025/03/04/quake-hits-coast"]),  # a dated story, whatever its link says
        ('<a href="/transcripts/nx-s1-5738445">Transcript</a><a href="/audio/quake-hits.mp3">Download</a>', []),
        ('<a href="/asia/2025/03/">March 2025 in Asia: all the stories</a>', []),  # a month's archive
        ('<a href="/v2/offers/wira01042">Subscribe and save half on a year of news</a>', []),
        # an id alone is not enough: "Comments" on a story id
        ('<a href="/comments/1121141932">Comments</a>', []),
        # position: header, nav, footer, aside, navigation roles, custom menu elements, cookie banners
        ('<header><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></header>', []),
        ('<nav><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></nav>', []),
        ('<footer><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></footer>', []),
        ('<aside><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></aside>', []),
        ('<div role="navigation"><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></div>', []),
        ('<site-header><a href="/asia/2025/03/04/quake-hits-coast">Quake hits the coast</a></site-header>', []),
        ('<div id="cookie-prompt"><a href="/privacy/2025/03/04/how-we-use-cookies">How we use cookies</a></div>', []),
        # ...but a story's own <header> is no page header
        ('<article><header><h2><a href="/asia/2025/03/04/quake-hits-coast">Quake</a></h2></header></article>',
         ["/asia/2025/03/04/quake-hits-coast"]),
        # other sites are no articles of this section; subdomains are the same site
        ('<a href="https://other.com/2025/03/04/quake-hits-coast">Quake hits the coast</a>', []),
        ('<a href="https://example.com.evil.net/2025/03/04/quake">Quake hits the coast</a>', []),
        ('<a href="https://amp.example.com/asia/2025/03/04/quake">Quake hits the coast</a>',
         ["https://amp.example.com/asia/2025/03/04/quake"]),
        # canonical, each once, in page order: fragments and tracking parameters go
        ('<a href="/asia/2025/03/05/b-story?utm_source=x#c">Second story of the day here</a>'
         '<a href="/asia/2025/03/04/a-story">First story of the day here</a>'
         '<a href="/asia/2025/03/05/b-story">Second story again, its image</a>',
         ["/asia/2025/03/05/b-story", "/asia/2025/03/04/a-story"]),
        # the section itself is no article
        ('<a href="/asia/">Asia: the latest news from the region</a>', []),
    ],
)
def test_article_links_tells_articles_from_navigation(body, expected):
    found = article_links(page(body), "https://www.example.com/asia/")
    assert found == [canonicalize_url(url, "https://www.example.com/") for url in expected]


def test_a_scrapy_response_is_a_page_too():
    """The spider passes its response: decoded by Scrapy (its charset), relative links resolved as it would."""
    body = page('<a href="2025/03/04/quake-hits">Землетрясение в Японии: что известно</a>').encode("cp1251")
    response = HtmlResponse(SECTION, body=body, encoding="cp1251")
    assert article_links(response, response.url) == ["https://www.example.com/asia/2025/03/04/quake-hits"]
    assert feeds(response, response.url) == next_pages(response, response.url) == []


def test_base_href_resolves_relative_links():
    html = (
        '<html><head><base href="https://www.example.com/en/"></head>'
        '<body><a href="2025/03/04/quake">Quake hits the coast</a>'
    )
    assert article_links(html, SECTION) == ["https://www.example.com/en/2025/03/04/quake"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("Read more", True),
        ("READ MORE »", True),
        ("See All Newsletters", True),
        ("More from Science", True),
        ("Sign in", True),
        ("Opens in a new window", True),
        ("Transcript", True),
        ("More rain is expected across the Philippines", False),
        ("Live: Israel hits Iran's oil depots", False),
    ],
)
def test_labels_are_calls_to_action_not_headlines(text, expected):
    assert is_label(text) is expected


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("https://a.com/2025/03/04/quake", "", True),
        ("https://a.com/news/articles/ckg8wvz427vo", "", False),  # an id with no headline
        ("https://a.com/news/articles/ckg8wvz427vo", "Armed robots take to the battlefield", True),
        ("https://a.com/article/quake-hits-the-coast-4cd5b467eed4ad1f112f0834aee3d45b", "Quake", True),  # slug, id
        ("https://a.com/technology/ai-v-the-mind", "AI v the Mind", False),  # a series' name
        ("https://a.com/department/brain-and-cognitive-sciences", "Brain and Cognitive Sciences", False),
        ("https://a.com/sections/science/", "Science", False),
        ("https://a.com/hub/science?p=2", "Load More", False),
    ],
)
def test_is_article(url, text, expected):
    assert is_article(url, text) is expected


# Precision: of the labelled links article_links returns, the share labelled article.
# Recall: of the links labelled article, the share it returns.
@pytest.mark.parametrize(
    ("page_id", "min_precision", "min_recall"),
    [
        ("2967", 1.0, 1.0),  # Al Jazeera, Economy
        ("2962", 1.0, 1.0),  # BBC, Technology
        ("2966", 1.0, 1.0),  # The Guardian, Technology
        ("2965", 1.0, 1.0),  # AP, Science
        ("3011", 1.0, 1.0),  # NPR, Science
        ("2971", 1.0, 1.0),  # Wired, Science
    ],
)
def test_precision_and_recall_on_real_section_pages(page_id, min_precision, min_recall):
    labels = LABELS[page_id]
    found = set(article_links(real_page(page_id), labels["url"]))
    articles = {canonicalize_url(url) for url in labels["articles"]}
    navigation = {canonicalize_url(url) for url in labels["navigation"]}
    missed, wrong = articles - found, navigation & found
    precision = len(articles & found) / max(1, len(articles & found) + len(wrong))
    recall = len(articles & found) / len(articles)
    assert precision >= min_precision, f"navigation taken for articles: {sorted(wrong)}"
    assert recall >= min_recall, f"articles missed: {sorted(missed)}"


@pytest.mark.parametrize("page_id", sorted(LABELS))
def test_every_labelled_link_is_on_its_page(page_id):
    """A label that is not on the page would pass for nothing."""
    labels = LABELS[page_id]
    on_page = {canonicalize_url(href, labels["url"]) for href in real_page(page_id).xpath("//a/@href").getall()}
    assert not {canonicalize_url(url) for url in labels["articles"] + labels["navigation"]} - on_page


@pytest.mark.parametrize("page_id", sorted(LABELS))
def test_real_pages_give_each_article_once_in_page_order(page_id):
    found = article_links(real_page(page_id), LABELS[page_id]["url"])
    assert len(found) == len(set(found))
    wanted = [url for url in found if url in {canonicalize_url(u) for u in LABELS[page_id]["articles"]}]
    hrefs = [canonicalize_url(h, LABELS[page_id]["url"]) for h in real_page(page_id).xpath("//a/@href").getall()]
    assert wanted == sorted(wanted, key=hrefs.index)


def test_the_sputnik_fixture_section_gives_the_listed_articles():
    """newscrawl's own site, read without its rules: the titles its listing rule knows."""
    html = (FIXTURE / "sections" / "asia.html").read_text(encoding="utf-8")
    listed = [canonicalize_url(href, "https://sputnikglobe.com/") for href in Selector(text=html).css(
        ".list__item a.list__title::attr(href)").getall()]
    assert listed
    assert article_links(html, "https://sputnikglobe.com/asia/") == listed
