"""Site rules apply where they belong: a site's layouts on its own hosts only, its editions under their own name,
tag links as tags."""

from __future__ import annotations

from conftest import FIXTURE_SITE

from newscrawl.extraction.article import extract_article

TYGA = (
    "https://sputnikglobe.com/asia/201911201077356339-in-footsteps-of-katy-perry--dua-lipa-kylie-jenners-rapper-"
    "ex-tyga-set-for-first-gig-in-mumbai/"
)
TOKYO = "https://sputnikglobe.com/20261127/tokyo-stages-largest-ever-earthquake-drill-as-experts-warn-of-megaquake-risk-1121150342.html"


def page(name: str) -> str:
    return (FIXTURE_SITE / "articles" / f"{name}.html").read_text(encoding="utf-8")


def test_tag_links_in_a_b_article_refs_list_are_tags_not_related_stories():
    # on a real 2020 page the refs list holds the tag links (research notes, addendum of 2026-11-30)
    festival = "https://sputniknews.com/viral/201911161077322954-mumbai-music-festival-crowd/"
    html = page("tyga-mumbai-gig").replace(f'href="{festival}"', 'href="https://sputniknews.com/tags/music/"')
    record = extract_article(html, TYGA)
    assert "Mumbai Music Festival Draws Record Crowd as Fans Brave Traffic Chaos" in record.tags
    assert all("/tags/" not in link["url"] for link in record.related) and record.related


def test_another_edition_keeps_its_own_name():
    html = page("tokyo-quake-drill").replace('content="Sputnik International"', 'content="Sputnik Arabic"')
    assert extract_article(html, TOKYO.replace("sputnikglobe.com", "arabic.sputniknews.com")).publisher == "Sputnik Arabic"


def test_another_sites_page_in_the_same_bem_markup_is_read_generically():
    # other sites reuse `article__body`: Sputnik's layout (and its furniture removal) is Sputnik's only
    record = extract_article(page("tokyo-quake-drill"), "https://news.example.com/2026/11/27/tokyo-drill/")
    assert record.layout == "generic" and record.extraction == "fallback"
    assert "largest earthquake drill ever held in the Japanese capital" in record.body
