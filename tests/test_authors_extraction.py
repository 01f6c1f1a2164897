"""Authors: the first source, in order of trust, that names a person; bylines read the way real pages write them."""

import pytest
from parsel import Selector

from newscrawl.extraction.article import extract_article
from newscrawl.extraction.authors import first_name_first, joined_names
from newscrawl.sites import sputnik

URL = "https://news.example.test/2026/11/27/harbour-reopens"
PAGE = """<html><head><meta property="og:site_name" content="Harbour News">{head}</head><body>
<article><h1>Harbour Reopens</h1>{byline}
<p>The harbour reopened on Friday after a week of repairs to the sea wall, the port authority said.</p>
</article>{after}</body></html>"""


def authors(head: str = "", byline: str = "", after: str = "", url: str = URL) -> list[str]:
    page = PAGE.format(head=head, byline=byline, after=after)
    return extract_article(Selector(text=page), url).authors


def ld(author: str, graph: str = "") -> str:
    article = f'{{"@type": "NewsArticle", "headline": "Harbour Reopens", "author": {author}}}'
    return f'<script type="application/ld+json">{{"@graph": [{article}{graph}]}}</script>'


@pytest.mark.parametrize(
    ("head", "byline", "expected"),
    [
        ("", "", []),
        ("", '<p class="byline"></p>', []),
        ("", '<p class="byline">!!! 42 —</p>', []),
        # JSON-LD first, then microdata, meta tags, the page's byline
        (ld('{"@type": "Person", "name": "Ann Lee"}') + '<meta name="author" content="Bo Chan">',
         '<p class="byline">By Cy Diaz</p>', ["Ann Lee"]),
        ('<meta name="author" content="Bo Chan">', '<p class="byline">By Cy Diaz</p>', ["Bo Chan"]),
        ("", '<p class="byline">By Cy Diaz</p>', ["Cy Diaz"]),
        # a reference into the @graph, as Yoast writes it
        (ld('[{"@id": "#ann"}]', ', {"@type": "Person", "@id": "#ann", "name": "Ann Lee"}'), "", ["Ann Lee"]),
        # an organisation or a profile URL names nobody: the next source is read
        (ld('{"@type": "Organization", "name": "Harbour Media"}'), '<p class="byline">By Cy Diaz</p>', ["Cy Diaz"]),
        ('<meta property="article:author" content="https://www.facebook.com/harbournews">'
         '<meta name="parsely-author" content="Bo Chan">', "", ["Bo Chan"]),
        # scholarly tags write "Last, First", one tag per author
        ('<meta name="citation_author" content="Roy, Aniruddha"><meta name="citation_author" content="Das, Amitava">',
         "", ["Aniruddha Roy", "Amitava Das"]),
        # a declared name in lower case is still a name; a visible one is not written as one
        ('<meta name="author" content="kirstin boatto">', "", ["Kirstin Boatto"]),
        ("", '<p class="byline">by kirstin boatto</p>', []),
    ],
)
def test_authors_come_from_the_most_trusted_source_that_names_a_person(head, byline, expected):
    assert authors(head, byline) == expected


def test_the_sites_own_name_gives_way_to_a_person_and_stands_only_when_no_one_else_is_named():
    assert authors('<meta name="author" content="Harbour News">', '<p class="byline">By Cy Diaz</p>') == ["Cy Diaz"]
    # a one-person site: its name is its author's
    assert authors('<meta name="author" content="Harbour News">') == ["Harbour News"]


@pytest.mark.parametrize(
    ("byline", "after", "expected"),
    [
        # names joined by "and" are co-authors; a name-like line after them is a role or an affiliation
        ('<div class="byline">By <a href="/author/ann-lee">Ann Lee</a> and <a href="/author/bo-chan">Bo Chan</a>'
         '<span>Senior Policy Analyst</span></div>', "", ["Ann Lee", "Bo Chan"]),
        ('<div class="author-name">Liz Kenny<br>Former McKinsey Consultant</div>', "", ["Liz Kenny"]),
        ('<p class="author">Andrew Gerrand<br>4 August 2010</p>', "", ["Andrew Gerrand"]),
        ('<div class="post-meta"><span class="author-label">Written By:</span> '
         '<span class="author-name"><a href="/author/celeste-longacre">Celeste Longacre</a></span></div>', "",
         ["Celeste Longacre"]),
        # co-authors' links side by side in one byline
        ('<p><a rel="author" href="/a">Ann Lee</a>, <a rel="author" href="/b">Bo Chan</a></p>', "",
         ["Ann Lee", "Bo Chan"]),
        # the same markup further down is cards, author boxes and comments: not this article's byline
        ('<p class="byline"><a href="/author/ann-lee">Ann Lee</a></p>',
         '<ul class="related"><li><a href="/author/bo-chan">Bo Chan</a></li></ul>', ["Ann Lee"]),
        ("", '<ol class="comment-list"><li><span class="comment-author">Kris Bock</span> said: nice</li></ol>', []),
        ("", '<form id="commentform"><p class="comment-form-author"><label>Name *</label></p></form>', []),
    ],
)
def test_bylines_are_read_as_pages_write_them(byline, after, expected):
    assert authors(byline=byline, after=after) == expected


def test_a_sites_agencies_are_no_authors():
    head = '<meta name="author" content="Finian Cunningham. Sputnik International">'
    assert authors(head, url="https://sputnikglobe.com/20261127/harbour-1121150342.html") == ["Finian Cunningham"]
    assert "Sputnik International" in sputnik.SITE.agencies


@pytest.mark.parametrize(
    ("name", "expected"),
    [("", ""), ("Roy, Aniruddha", "Aniruddha Roy"), ("Aniruddha Roy", "Aniruddha Roy"), ("A, B, C", "A, B, C")],
)
def test_first_name_first(name, expected):
    assert first_name_first(name) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], []),
        (["", "  "], []),
        (["By ", "Ann Lee", ", ", "Bo Chan", " & ", "Cy Diaz"], ["Ann Lee", "Bo Chan", "Cy Diaz"]),
        (["Ann Lee", "Content Marketing Coordinator"], ["Ann Lee"]),
        (["Ann Lee and", "Bo Chan"], ["Ann Lee", "Bo Chan"]),
    ],
)
def test_joined_names(texts, expected):
    assert joined_names(texts, ()) == expected
