"""The generic main-text extractor: trafilatura, for pages whose layout rules find no body.

A redesign then yields articles (marked `extraction: "fallback"`, counted and warned about) instead of an
empty file. A page of a site without rules gets its body here too: on the gold set (scripts/evaluate.py)
trafilatura scored body F1 0.98 where newscrawl's generic paragraph rules scored 0.91.
"""

from __future__ import annotations

import copy

import trafilatura
from parsel import Selector

from newscrawl.processors.dates import parse_datetime
from newscrawl.sites.rules import Layout


# Shorter "main text" is a banner, a caption or a teaser, not an article: a page with no article (a video
# page, a redesign that hides the text) must be dropped as bodiless, not written with furniture as its body.
MIN_CHARACTERS = 300


def main_text_paragraphs(page: Selector, url: str, layout: Layout) -> list[str]:
    """Return the paragraphs of the page's main text, or [] when there is none worth the name."""
    tree = copy.deepcopy(page.root)  # trafilatura prunes the tree it is given; the page is still needed
    for element in (found for css in layout.furniture for found in Selector(root=tree).css(css)):
        element.drop()
    text = trafilatura.extract(
        tree,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,  # a missing paragraph is better than furniture in the body
        deduplicate=False,
        # measured on the gold set: the same scores as the full mode with its backup extractors, five times
        # faster, and without loading every language's stoplist (30 MB) on first use
        fast=True,
    )
    lines = (line.strip() for line in (text or "").split("\n"))
    paragraphs = [line for line in lines if line and not is_furniture(line, layout)]
    return paragraphs if sum(map(len, paragraphs)) >= MIN_CHARACTERS else []


def is_furniture(line: str, layout: Layout) -> bool:
    """Tell a line that is no article text: the layout's boilerplate, a counter ("2 / 4"), a bare timestamp."""
    if any(pattern.search(line) for pattern in layout.boilerplate):
        return True
    return not any(char.isalpha() for char in line) or parse_datetime(line) is not None
