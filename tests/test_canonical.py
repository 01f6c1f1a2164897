"""A page's declared canonical URL is the record's URL only when the page may claim it (spoofs and mistakes
keep the fetched URL, and say so in `canonical_refused`)."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_SITE

from newscrawl.extraction.article import extract_article
from newscrawl.extraction.canonical import trusted_url
from newscrawl.sites import OTHER_SITES, sputnik

TOKYO = (
    "https://sputnikglobe.com/20261127/"
    "tokyo-stages-largest-ever-earthquake-drill-as-experts-warn-of-megaquake-risk-1121150342.html"
)
INDIA = "https://sputnikglobe.com/20261126/india-to-build-50-gw-of-new-solar-capacity-by-2030-minister-says-1121142875.html"
MEKONG_WORLD = "https://sputnikglobe.com/world/201911191077347921-why-mekong-dams-are-becoming-southeast-asias-next-flashpoint/"
MEKONG_ASIA = "https://sputniknews.com/asia/201911191077347921-why-mekong-dams-are-becoming-southeast-asias-next-flashpoint/"
STORY = "https://www.example.com/2026/11/27/harbour-ferry-fares-rise/"


@pytest.mark.parametrize(
    ("declared", "fetched", "site", "url", "refused"),
    [
        # nothing usable declared: the fetched URL
        ([], TOKYO, sputnik.SITE, TOKYO, None),
        ([None, "", "   "], TOKYO, sputnik.SITE, TOKYO, None),
        (["javascript:void(0)", "#top"], TOKYO, sputnik.SITE, TOKYO, None),
        ([TOKYO + "?utm_source=rss"], TOKYO, sputnik.SITE, TOKYO, None),
        # trusted: the same article under the site's other host or another section path
        ([MEKONG_ASIA], MEKONG_WORLD, sputnik.SITE, MEKONG_ASIA, None),
        (["/20261127/tokyo-1121150342.html"], TOKYO, sputnik.SITE, "https://sputnikglobe.com/20261127/tokyo-1121150342.html", None),
        # refused
        (["https://evil.example/20261127/tokyo-1121150342.html"], TOKYO, sputnik.SITE, TOKYO, "other_host"),
        (["https://sputnikglobe.com.evil.example/x-1121150342.html"], TOKYO, sputnik.SITE, TOKYO, "other_host"),
        ([INDIA], TOKYO, sputnik.SITE, TOKYO, "other_article"),
        (["https://sputnikglobe.com/asia/"], TOKYO, sputnik.SITE, TOKYO, "not_an_article"),
        (["https://sputnikglobe.com/"], TOKYO, sputnik.SITE, TOKYO, "not_an_article"),
        # only the first declaration counts: a page does not get to choose among several
        ([INDIA, TOKYO], TOKYO, sputnik.SITE, TOKYO, "other_article"),
        # a site without rules: its own host (www or not, subdomains) only, and no front page
        (["https://example.com/2026/11/27/harbour-ferry-fares-rise/"], STORY, OTHER_SITES,
         "https://example.com/2026/11/27/harbour-ferry-fares-rise/", None),
        (["https://m.example.com/2026/11/27/harbour-ferry-fares-rise/amp"], STORY, OTHER_SITES,
         "https://m.example.com/2026/11/27/harbour-ferry-fares-rise/amp", None),
        (["https://example.com/business/harbour-ferry-fares-rise"], STORY, OTHER_SITES,
         "https://example.com/business/harbour-ferry-fares-rise", None),
        (["https://www.example.com/2026/11/26/council-vote-delayed/"], STORY, OTHER_SITES, STORY, "other_article"),
        (["https://apnews.com/article/ferry-fares"], STORY, OTHER_SITES, STORY, "other_host"),
        (["https://www.example.com/"], STORY, OTHER_SITES, STORY, "not_an_article"),
    ],
)
def test_trusted_url(declared, fetched, site, url, refused):
    found, refusal = trusted_url(declared, fetched, site)
    assert found == url
    assert (refusal or {}).get("reason") == refused
    if refused:
        assert refusal["url"] != url


def spoofed(canonical: str) -> str:
    """The Tokyo fixture page with its canonical link and og:url replaced."""
    html = (FIXTURE_SITE / "articles" / "tokyo-quake-drill.html").read_text(encoding="utf-8")
    assert html.count(TOKYO) >= 2
    return html.replace(f'href="{TOKYO}"', f'href="{canonical}"').replace(f'content="{TOKYO}"', f'content="{canonical}"')


@pytest.mark.parametrize(("canonical", "reason"), [("https://evil.example/x.html", "other_host"), (INDIA, "other_article")])
def test_a_page_claiming_another_sites_or_another_articles_url_keeps_its_own(canonical, reason):
    record = extract_article(spoofed(canonical), TOKYO)
    assert record.url == TOKYO and record.article_id == "1121150342"
    assert record.canonical_refused == {"url": canonical, "reason": reason}
    assert record.headline.startswith("Tokyo Stages Largest-Ever Earthquake Drill")


def test_an_honest_page_has_no_refusal():
    record = extract_article((FIXTURE_SITE / "articles" / "tokyo-quake-drill.html").read_text(encoding="utf-8"), TOKYO)
    assert record.url == TOKYO and record.canonical_refused is None
