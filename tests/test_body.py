"""The body walker on small pieces of the two real layouts: text in, furniture out."""

from parsel import Selector

from newscrawl.extraction.body import read_body
from newscrawl.extraction.visible_text import element_text
from newscrawl.sites.sputnik import B_ARTICLE, RIA


def page(html: str) -> Selector:
    return Selector(text=f"<html><body>{html}</body></html>")


def test_visible_text_of_nothing_and_of_markup():
    assert element_text(None) is None
    assert element_text(page("<p></p>").css("p")[0]) is None
    para = page("<p>Hua<em>wei</em> said<br>Thursday<script>var x=1;</script><!-- c --> ok</p>").css("p")[0]
    assert element_text(para) == "Huawei said Thursday ok"


def test_empty_page_has_no_blocks():
    body = read_body(page(""), RIA)
    assert body.blocks == [] and body.related == []


def test_ria_blocks_text_quote_subheading_and_furniture():
    body = read_body(
        page(
            '<div class="article__body"><div class="article__summary"><li>AI summary</li></div>'
            '<div class="article__block" data-type="text"><div class="article__text">'
            "<strong>TOKYO (Sputnik) -</strong> First.</div></div>"
            '<div class="article__block" data-type="banner"><aside>Ad</aside></div>'
            '<div class="article__block" data-type="h3"><h3 class="article__h2">Aftermath</h3></div>'
            '<div class="article__block" data-type="quote"><div class="article__quote">'
            '<div class="article__quote-text">Words here.</div></div></div>'
            '<div class="article__block" data-type="text"><div class="article__text"><strong>READ MORE: '
            '<a href="/20261126/x-1121000005.html">Other story</a></strong></div></div>'
            '<div class="article__block" data-type="article"><div class="article__article">'
            '<a class="article__article-link" href="/a-1121000006.html"></a>'
            '<a class="article__article-title" href="/a-1121000006.html">Card story</a></div></div>'
            '<div class="article__block" data-type="social"><blockquote class="twitter-tweet">tweet</blockquote></div>'
            "</div>"
        ),
        RIA,
    )
    assert body.blocks == [
        ("paragraph", "TOKYO (Sputnik) - First."),
        ("subheading", "Aftermath"),
        ("quote", "Words here."),
    ]
    assert body.related == [
        {"url": "/20261126/x-1121000005.html", "title": "Other story", "kind": "read_more"},
        {"url": "/a-1121000006.html", "title": "Card story", "kind": "card"},
    ]


def test_b_article_disclaimer_is_left_out_and_quotes_kept():
    body = read_body(
        page(
            '<div class="b-article__text"><p>Para one.</p><blockquote class="marker-quote1">“Quoted,” said X.</blockquote>'
            '<p class="b-disclaimer">The views and opinions expressed in the article do not necessarily reflect'
            " those of Sputnik.</p></div>"
            '<div class="b-article__refs-list"><a href="/asia/201911201077356339-x/">Listed</a></div>'
        ),
        B_ARTICLE,
    )
    assert body.blocks == [("paragraph", "Para one."), ("quote", "“Quoted,” said X.")]
    assert body.related == [{"url": "/asia/201911201077356339-x/", "title": "Listed", "kind": "list"}]
