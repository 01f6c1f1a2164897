"""Turn one article page into one Article: structured data first, the layout's selectors second.

This is the whole extraction; the spider and `scrapy extract` both call `extract_article`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from parsel import Selector

from newscrawl.extraction.authors import read_authors
from newscrawl.extraction.body import Body, read_body
from newscrawl.extraction.canonical import trusted_url
from newscrawl.extraction.dates import date_candidates, pick_date
from newscrawl.extraction.fallback import MIN_CHARACTERS_WITH_RULES, main_text_paragraphs
from newscrawl.extraction.images import read_images
from newscrawl.extraction.structured import Structured, as_strings, read_structured
from newscrawl.extraction.text import all_texts, first_text
from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.processors.dateline import split_dateline
from newscrawl.processors.headline import same_headline
from newscrawl.processors.dates import to_iso8601
from newscrawl.processors.quotes import extract_quotes
from newscrawl.processors.text import content_hash, join_paragraphs
from newscrawl.sites import generic, site_for_url
from newscrawl.sites.rules import Layout, Site


def extract_article(html: str | Selector, url: str, site: Site | None = None, now: datetime | None = None) -> Article:
    """Extract the article record from a page's HTML fetched from `url`."""
    page = html if isinstance(html, Selector) else Selector(text=html)
    site = site or site_for_url(url)
    data = read_structured(page)
    layout = detect_layout(page, site)
    loader = ArticleLoader(selector=page, site=site, base_url=url, page_site_name=data.first_meta("og:site_name"))

    declared = [data.canonical, data.first_meta("og:url"), data.ld("url")]
    record_url, refused = trusted_url([value for value in declared if isinstance(value, str)], url, site)
    loader.add_value("url", record_url)
    loader.add_value("canonical_refused", refused)
    loader.add_value("fetched_url", url)
    # the page's own name first: one site's rules serve several editions (Sputnik Arabic is no Sputnik International)
    loader.add_value("publisher", [data.first_meta("og:site_name"), site.name])
    # the visible headline when it tells the story the page declares (on the WCXB dev split the h1 is the
    # title 71% of the time, og:title 43%: headline 0.656 -> 0.79), else the declared one
    declared = next((value for value in (data.first_meta("og:title"), data.ld("headline")) if isinstance(value, str)), None)
    visible = first_text(page, layout.headline)
    kicker_and_headline = bool(visible and declared and declared in visible)  # <h1><span>Kicker</span> Headline</h1>
    loader.add_value("headline", visible if same_headline(visible, declared) and not kicker_and_headline else None)
    loader.add_value("headline", [declared, data.md("headline"), page.css("title::text").get()])
    # the page's visible standfirst beats descriptions, which are truncated teasers
    loader.add_value("lead", [first_text(page, layout.lead), data.ld("description")])
    loader.add_value("lead", [data.first_meta("og:description", "description")])
    loader.add_value("section", [first_text(page, layout.section), data.first_meta("article:section")])
    loader.add_value("section", as_strings(data.ld("articleSection"))[:1])
    loader.add_value("article_id", [data.first_meta("analytics:article_id"), first_text(page, layout.article_id)])
    loader.add_value("article_id", [site.article_id(loader.get_output_value("url")), site.article_id(url)])
    now = now or datetime.now(timezone.utc)
    for kind in ("published", "modified"):
        chosen = pick_date(date_candidates(kind, data, page, layout, url, site, now), site, layout, now)
        if chosen:
            loader.add_value(kind, chosen[0])
            loader.add_value(f"{kind}_raw", chosen[1])
            loader.add_value(f"{kind}_source", chosen[2])
    loader.add_value("authors", read_authors(data, page, layout, site))
    keywords = as_strings(data.ld("keywords")) or as_strings(data.md("keywords"))
    loader.add_value("tags", all_texts(page, layout.tags) or data.meta.get("article:tag") or keywords)
    loader.add_value("images", read_images(page, layout.images, site.site_names) or og_image(data))
    loader.add_value("language", [data.lang, data.ld("inLanguage"), data.first_meta("og:locale"), site.language])
    loader.add_value("layout", layout.name)

    body = read_body(page, layout)  # a layout without body rules (the generic one) goes to the fallback
    blocks = body.blocks
    if blocks:
        loader.add_value("extraction", "rules")
    elif paragraphs := generic_body(page, url, layout, body, site, loader.get_output_value("headline")):
        blocks = [("paragraph", paragraph) for paragraph in paragraphs]
        loader.add_value("extraction", "fallback")
    if blocks and blocks[0][0] == "paragraph":
        dateline, first = split_dateline(blocks[0][1])
        loader.add_value("dateline", dateline)
        blocks = ([("paragraph", first)] if first else []) + blocks[1:]
    text = join_paragraphs(text for _, text in blocks)
    loader.add_value("body", text)
    if is_teaser_of(loader.get_output_value("lead"), text):
        loader.replace_value("lead", [])  # [] clears the field; None would be ignored
    loader.add_value("quotes", extract_quotes(blocks))
    loader.add_value("related", body.related)
    loader.add_value("content_hash", content_hash(f"{loader.get_output_value('headline') or ''}\n\n{text or ''}"))
    loader.add_value("crawled_at", to_iso8601(now))
    return loader.load_item()


def generic_body(page: Selector, url: str, layout: Layout, body: Body, site: Site, headline: str | None) -> list[str]:
    """The generic extractor's paragraphs: inside the layout's body container when the page has one (its block
    rules found no text: a new block markup, or a video page), else on the whole page; without the article's
    own headline, which the main text may start with."""
    scope = Selector(root=body.container) if body.container is not None else page
    paragraphs = main_text_paragraphs(scope, url, layout)
    if paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    with_rules = bool(site.hosts)  # a site newscrawl has rules for, whose rules found no text
    return paragraphs if not with_rules or sum(map(len, paragraphs)) >= MIN_CHARACTERS_WITH_RULES else []


def is_teaser_of(lead: str | None, body: str | None) -> bool:
    """Tell a description that only repeats the start of the body (it is no standfirst)."""
    start = (lead or "").rstrip(".…, ")
    return bool(start and body and body.startswith(start))


def detect_layout(page: Selector, site: Site) -> Layout:
    """Return the first of the site's layouts whose marker is on the page, else the generic layout."""
    for layout in site.layouts:
        if page.css(layout.detect):
            return layout
    return generic.GENERIC


def og_image(data: Structured) -> list[dict]:
    """Return the sharing image as the only picture, for pages whose layout finds none."""
    url = data.first_meta("og:image")
    return [{"url": url, "caption": None, "credit": None}] if url else []
