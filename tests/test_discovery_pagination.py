"""Next listing pages of a section: bad input, each kind of pagination, real pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newscrawl.discovery import next_pages

PAGES = Path(__file__).parent / "discovery"
LABELS = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
FIXTURE = Path(__file__).parent.parent / "fixtures" / "sputnik"
SECTION = "https://www.example.com/asia/"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "page_url", "expected"),
    [
        (None, SECTION, []),
        ("", SECTION, []),
        (42, SECTION, []),
        ("<<<>>> junk &&&", SECTION, []),
        (page("<p>The last page: no links.</p>"), SECTION, []),
        (page('<a rel="next" href="?page=2">Next</a>'), None, []),
        (page('<a rel="next" href="?page=2">Next</a>'), "not a url", []),
        # declared: <link rel="next">, <a rel="next">, any case, among other rel tokens
        (page("", '<link rel="next" href="https://www.example.com/asia/?page=2">'), SECTION,
         ["https://www.example.com/asia/?page=2"]),
        (page('<a rel="nofollow NEXT" href="/asia/p2">Older stories</a>'), SECTION, ["https://www.example.com/asia/p2"]),
        (page('<a rel="prev" href="/asia/?page=1">Newer</a>'), "https://www.example.com/asia/?page=2", []),
        # ?page=N -> N+1, only on this listing; an unnumbered first page takes the lowest offered (0- or 1-based)
        (page('<a href="?page=3">3</a><a href="?page=4">4</a>'), "https://www.example.com/asia/?page=3",
         ["https://www.example.com/asia/?page=4"]),
        (page('<a href="?page=3">3</a><a href="?page=2">2</a>'), SECTION, ["https://www.example.com/asia/?page=2"]),
        (page('<a href="?page=1">2</a><a href="?page=2">3</a>'), SECTION, ["https://www.example.com/asia/?page=1"]),
        (page('<a href="/europe/?page=2">Europe, page 2</a>'), SECTION, []),
        (page('<a href="?page=9">9</a>'), SECTION, []),  # a jump, not the next page
        (page('<a href="/?p=12345">A post</a>'), "https://www.example.com/", []),  # WordPress names a post by ?p=
        (page('<a href="?sort=new&amp;paged=2">2</a>'), "https://www.example.com/asia/?sort=new",
         ["https://www.example.com/asia/?sort=new&paged=2"]),
        # /page/N/ -> N+1
        (page('<a href="/asia/page/2/">2</a><a href="/asia/page/3/">3</a>'), SECTION,
         ["https://www.example.com/asia/page/2/"]),
        (page('<a href="/asia/page/3/">3</a>'), "https://www.example.com/asia/page/2/",
         ["https://www.example.com/asia/page/3/"]),
        (page('<a href="/europe/page/2/">2</a>'), SECTION, []),
        # "load more": a data attribute on an element whose class says more or load
        (page('<div class="list__more" data-url="/services/asia/more.html?id=9">Load more</div>'), SECTION,
         ["https://www.example.com/services/asia/more.html?id=9"]),
        (page('<button class="LoadMore" data-next-url="/asia/more?offset=20">More</button>'), SECTION,
         ["https://www.example.com/asia/more?offset=20"]),
        (page('<span class="show-more" data-href="/asia/?offset=40"></span>'), SECTION,
         ["https://www.example.com/asia/?offset=40"]),
        (page('<div class="btn" data-url="/asia/?offset=20">More</div>'), SECTION, []),  # no "more" in its class
        (page('<img class="lazyload" data-url="/img/quake.jpg">'), SECTION, []),
        (page('<a class="download" data-url="/files/report">Report</a>'), SECTION, []),
        (page("", '<link rel="preload" class="more" data-next-font="size-adjust" href="/font.woff2">'), SECTION, []),
        # relative to <base href>; junk numbers and URLs are none
        (page('<a href="asia/?page=2">2</a>', '<base href="https://www.example.com/">'), SECTION,
         ["https://www.example.com/asia/?page=2"]),
        (page('<a href="?page=²">2</a><a href="?page=-1">0</a><div class="more" data-url="http://[::1">x</div>'),
         SECTION, []),
        # never the page itself, never another site; each once, surest first
        (page('<a rel="next" href="/asia/">Next</a>'), SECTION, []),
        (page('<a rel="next" href="https://other.com/asia/?page=2">Next</a>'), SECTION, []),
        (page('<a rel="next" href="?page=2">Next</a><a href="?page=2">2</a>'
              '<div class="load-more" data-url="/asia/more?offset=20"></div>'), SECTION,
         ["https://www.example.com/asia/?page=2", "https://www.example.com/asia/more?offset=20"]),
    ],
)
def test_next_pages(html, page_url, expected):
    assert next_pages(html, page_url) == expected


@pytest.mark.parametrize("labels", LABELS, ids=[page["id"] for page in LABELS])
def test_next_pages_of_real_section_pages(labels):
    html = gzip.decompress((PAGES / f"{labels['id']}.html.gz").read_bytes())
    assert next_pages(html, labels["url"]) == labels["next"]


def test_load_more_of_the_sputnik_fixture_section_and_its_fragments():
    section = (FIXTURE / "sections" / "asia.html").read_bytes()
    first = next_pages(section, "https://sputnikglobe.com/asia/")
    assert first == ["https://sputnikglobe.com/services/asia/more.html?id=1121142875&date=20261126T132500"]
    fragment = (FIXTURE / "services" / "asia" / "more-1.html").read_bytes()
    assert next_pages(fragment, first[0]) == [
        "https://sputnikglobe.com/services/asia/more.html?id=1121136354&date=20261125T112000"
    ]
    last = (FIXTURE / "services" / "asia" / "more-2.html").read_bytes()
    assert next_pages(last, "https://sputnikglobe.com/services/asia/more.html?id=1121136354") == []
