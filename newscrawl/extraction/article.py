"""Turn one article page into one Article: each field from its most trusted source (extraction/precedence.py).

This is the whole extraction; the spider and `scrapy extract` both call `extract_article`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from typing import cast

from parsel import Selector

from newscrawl.extraction.authors import read_authors
from newscrawl.extraction.body import Body, read_body
from newscrawl.extraction.canonical import trusted_url
from newscrawl.extraction.date_choice import date_candidates, pick_date
from newscrawl.extraction.fallback import MIN_CHARACTERS_WITH_RULES, main_text_paragraphs
from newscrawl.extraction.precedence import Page, chosen_fields
from newscrawl.extraction.structured import read_structured
from newscrawl.extraction.visible_text import first_text
from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.processors.dateline import split_dateline
from newscrawl.processors.datetimes import to_iso8601
from newscrawl.processors.normalize import content_hash, join_paragraphs
from newscrawl.processors.quotes import extract_quotes
from newscrawl.sites import generic, site_for_url
from newscrawl.sites.rules import Layout, Site

TRUNCATION = re.compile(r"\.\.\.|…")
MIN_TEASER = 20
"""Characters a cut-short description must keep to count as the body's start (not a chance match)."""


def extract_article(html: str | Selector, url: str, site: Site | None = None, now: datetime | None = None) -> Article:
    """Extract the article record from a page's HTML fetched from `url`."""
    selector = html if isinstance(html, Selector) else Selector(text=html)
    site = site or site_for_url(url)
    data = read_structured(selector)
    layout = detect_layout(selector, site)
    now = now or datetime.now(UTC)
    loader = ArticleLoader(
        selector=selector,  # type: ignore[arg-type]  # Scrapy annotates its own Selector; itemloaders takes parsel's
        site=site,
        base_url=url,
        page_site_name=data.first_meta("og:site_name"),
    )

    declared = [data.canonical, data.first_meta("og:url"), data.ld("url")]
    trusted, refused = trusted_url([value for value in declared if isinstance(value, str)], url, site)
    canonical = cast("str | None", clean(loader, "url", trusted))  # the url field's processors give a URL or None
    chosen: dict[str, object] = {"url": canonical}
    loader.add_value("canonical_refused", refused)
    loader.add_value("fetched_url", url)

    page = Page(selector, data, layout, site, url, canonical or url, now)
    sources: dict[str, str | None] = {}
    for field, value, source in chosen_fields(page, partial(clean, loader)):
        chosen[field], sources[field] = value, source
    for kind in ("published", "modified"):
        if picked := pick_date(date_candidates(kind, data, selector, layout, url, site, now), site, layout, now):
            chosen[kind], chosen[f"{kind}_raw"], sources[kind] = picked
            chosen[f"{kind}_source"] = picked[2]
    names, source = read_authors(data, selector, layout, site)
    chosen["authors"] = clean(loader, "authors", names)
    sources["authors"] = source if chosen["authors"] else None
    loader.add_value("layout", layout.name)

    body = read_body(selector, layout)  # a layout without body rules (the generic one) goes to the fallback
    blocks = body.blocks
    if blocks:
        sources["body"] = "layout"
        loader.add_value("extraction", "rules")
    elif paragraphs := generic_body(selector, url, layout, body, site, chosen.get("headline")):
        blocks = [("paragraph", paragraph) for paragraph in paragraphs]
        sources["body"] = "generic"
        loader.add_value("extraction", "fallback")
    if blocks and blocks[0][0] == "paragraph":
        marked = first_text(selector, layout.dateline)
        dateline, first = split_dateline(blocks[0][1], site.agencies, marked)
        loader.add_value("dateline", dateline)
        blocks = ([("paragraph", first)] if first else []) + blocks[1:]
    text = join_paragraphs(text for _, text in blocks)
    loader.add_value("body", text)
    if is_teaser_of(chosen.get("lead"), text):  # a description repeating the body's start is no standfirst
        chosen["lead"] = sources["lead"] = None
    loader.add_value("quotes", extract_quotes(blocks))
    loader.add_value("related", body.related)
    loader.add_value("content_hash", content_hash(f"{chosen.get('headline') or ''}\n\n{text or ''}"))
    loader.add_value("crawled_at", to_iso8601(now))
    article = loader.load_item()
    for field, value in chosen.items():  # already through the loader's processors: set, not added again
        if value is not None:
            setattr(article, field, value)
    article.sources = {field: source for field, source in sources.items() if source}
    return article


def clean(loader: ArticleLoader, field: str, raw: object) -> object:
    """Run a raw value through the loader's input and output processors for the field, as add_value would."""
    values = loader.get_value(raw, loader.get_input_processor(field))
    return loader.get_value(values, loader.get_output_processor(field))


def generic_body(page: Selector, url: str, layout: Layout, body: Body, site: Site, headline: object) -> list[str]:
    """The generic extractor's paragraphs: inside the layout's body container when the page has one (its block
    rules found no text: a new block markup, or a video page), else on the whole page; without the article's
    own headline, which the main text may start with."""
    scope = Selector(root=body.container) if body.container is not None else page
    paragraphs = main_text_paragraphs(scope, url, layout)
    if paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    with_rules = bool(site.hosts)  # a site newscrawl has rules for, whose rules found no text
    return paragraphs if not with_rules or sum(map(len, paragraphs)) >= MIN_CHARACTERS_WITH_RULES else []


def is_teaser_of(lead: object, body: str | None) -> bool:
    """Tell a description that only repeats the start of the body (it is no standfirst): whole, or cut short
    with an ellipsis and maybe a tail after it (RIA-platform sites: "…юрисдикции,... РИА Новости, 26.11.2026").

    >>> is_teaser_of("The talks in Geneva ended,... Agency, 26.11.2026", "The talks in Geneva ended, officials said.")
    True
    >>> is_teaser_of("A summary of the talks.", "The talks ended, officials said.")
    False
    """
    if not isinstance(lead, str) or not body:
        return False
    whole = lead.rstrip(".…, ")
    cut = TRUNCATION.split(lead, maxsplit=1)[0].rstrip(".…, ")
    return bool(whole and body.startswith(whole)) or bool(len(cut) >= MIN_TEASER and body.startswith(cut))


def detect_layout(page: Selector, site: Site) -> Layout:
    """Return the first of the site's layouts whose marker is on the page, else the generic layout."""
    for layout in site.layouts:
        if page.css(layout.detect):
            return layout
    return generic.GENERIC
