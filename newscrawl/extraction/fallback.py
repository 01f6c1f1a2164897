"""The generic main-text extractor: trafilatura, for pages whose layout rules find no body.

A redesign then yields articles (marked `extraction: "fallback"`, counted and warned about) instead of an
empty file, and a page of a site without rules gets its body here. Measured on the WCXB dev split's 791
article pages (scripts/devset.py, body F1 over word 4-gram shingles): trafilatura's precision mode 0.840 with
34 empty bodies; its default mode 0.914, 0.922 with tables (19 ms a page); its recall mode with tables 0.9216
(13.6 ms: on a long text it skips the comparison with readability); both, the recall one taken where it
finds a tenth more words, 0.9299 (33 ms). What the default mode adds is its readability rescue of pages where
the main extractor kept a fragment: the recall mode first, and the default mode only where the recall text
has under half the words of the page's paragraphs, scores 0.9300 at 15.8 ms (36 of 791 pages run both).
"""

from __future__ import annotations

import copy

import trafilatura
from parsel import Selector

from newscrawl.processors.datetimes import parse_datetime
from newscrawl.sites.rules import Layout

# On a site with layout rules that found no text block, a short "main text" is a banner, a caption or a
# teaser, not an article: such a page (a video page) is dropped as bodiless rather than written with furniture
# as its body. A page of a site without rules has no such evidence: a 400-character news brief is an article.
MIN_CHARACTERS_WITH_RULES = 300
# A line this short may be a bare timestamp ("27 November 2026, 14:35"); a longer one is text that mentions a date.
TIMESTAMP_LENGTH = 40
# A main text with less than this share of the words in the page's paragraphs may be a fragment: the default
# mode, with its readability rescue, is tried too (on the dev split the same score for any share from 0.4 to 0.8).
FRAGMENT_SHARE = 0.5


def main_text_paragraphs(page: Selector, url: str, layout: Layout) -> list[str]:
    """Return the paragraphs of the main text of a page (or of its body container), [] when there is none."""
    text = extracted(page, url, layout, favor_recall=True)
    if len(text.split()) < FRAGMENT_SHARE * paragraph_words(page):
        text = max(text, extracted(page, url, layout), key=lambda candidate: len(candidate.split()))
    lines = (line.strip() for line in text.split("\n"))
    paragraphs = [line for line in lines if line and not is_furniture(line, layout)]
    return paragraphs


def paragraph_words(page: Selector) -> int:
    """Count the words of the page's <p> elements: a cheap measure of how much text it has."""
    return sum(len(text.split()) for text in page.xpath(".//p//text()").getall())


def extracted(page: Selector, url: str, layout: Layout, **mode) -> str:
    """Return trafilatura's main text of the page without the layout's known furniture ("" for none)."""
    tree = copy.deepcopy(page.root)  # trafilatura prunes the tree it is given; the page is still needed
    for element in (found for css in layout.furniture for found in Selector(root=tree).css(css)):
        element.drop()
    text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, include_images=False, deduplicate=False, **mode
    )
    return text or ""


def is_furniture(line: str, layout: Layout) -> bool:
    """Tell a line that is no article text: the layout's boilerplate, a counter ("2 / 4"), a bare timestamp."""
    if any(pattern.search(line) for pattern in layout.boilerplate):
        return True
    if not any(char.isalpha() for char in line):
        return True
    return len(line) <= TIMESTAMP_LENGTH and parse_datetime(line) is not None
