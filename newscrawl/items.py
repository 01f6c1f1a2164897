"""The article record: one typed item whose fields state their output format.

`newscrawl/article.schema.json` is the machine-checked form of the same contract; a test keeps the two in step.
Every field is always written: None for a missing scalar, [] for a missing list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = "1.5"


@dataclass
class Article:
    url: str | None = None
    """Canonical URL (rel=canonical, else og:url, else JSON-LD url, else the fetched URL) without tracking
    parameters; a declared one only when it is on the site's hosts and names the same article."""
    fetched_url: str | None = None
    """The URL the page was actually downloaded from, after redirects."""
    canonical_refused: dict | None = None
    """{"url", "reason"}: a canonical URL the page declared and newscrawl did not trust, reason "other_host"
    (another site's), "other_article" (another article's id) or "not_an_article" (a home or section page); `url`
    is then the fetched URL. None when the declared canonical (or none) was used."""
    article_id: str | None = None
    """The publisher's numeric article id, as a string of digits."""
    publisher: str | None = None
    """Publisher name, e.g. "Sputnik International"."""
    section: str | None = None
    """The section slug the page declares, e.g. "asia"."""
    headline: str | None = None
    """Headline without the site-name suffix."""
    lead: str | None = None
    """The standfirst, else the page's description unless it only repeats the body's start; no dateline or suffix."""
    dateline: dict | None = None
    """{"place", "agency", "raw"} from the start of the first paragraph, or None."""
    published: str | None = None
    """First publication, ISO 8601 in UTC with offset: "2019-05-30T14:55:00+00:00"."""
    published_raw: str | None = None
    """The page's own value that `published` was read from, unchanged."""
    published_source: str | None = None
    """Where `published` was read: "jsonld", "microdata", "meta", "page" (its date elements or text) or "url"."""
    modified: str | None = None
    """Last update, same format as `published`; None when the page gives none."""
    modified_raw: str | None = None
    """The page's own value that `modified` was read from, unchanged."""
    modified_source: str | None = None
    """Where `modified` was read, as for `published_source`."""
    authors: list[str] = field(default_factory=list)
    """Person names, cleaned of roles, agencies and duplicates."""
    body: str | None = None
    """Plain text; paragraphs (and subheadings, block quotes) separated by one blank line."""
    extraction: str | None = None
    """Which path produced the body: "rules" (the site's layout rules) or "fallback" (generic main text)."""
    quotes: list[dict] = field(default_factory=list)
    """{"text", "speaker"} per direct quotation in page order; speaker None when unknown."""
    related: list[dict] = field(default_factory=list)
    """{"url", "title", "kind"} with kind "read_more", "card" or "list"; canonical, deduplicated, page order."""
    images: list[dict] = field(default_factory=list)
    """{"url", "caption", "credit"} in page order, the lead image first."""
    tags: list[str] = field(default_factory=list)
    """Topic tags as shown on the page, deduplicated."""
    language: str | None = None
    """BCP 47 language of the page, e.g. "en"."""
    layout: str | None = None
    """Which page layout the parser recognized: a layout of the site's rules (Sputnik: "ria", "b-article") or "generic"."""
    sources: dict = field(default_factory=dict)
    """Where each field with a value was read: field -> "jsonld", "microdata", "meta", "layout", "html",
    "htmldate", "url", "site" or, for `body`, "layout" (the site's rules) or "generic" (the fallback)."""
    content_hash: str | None = None
    """"sha256:<hex>" of the normalized headline and body: equal for re-posted copies."""
    version: int = 1
    """1 when first written; one more each time a later run writes the article again because it changed."""
    crawled_at: str | None = None
    """When the page was parsed, ISO 8601 in UTC."""
    warc_file: str | None = None
    """Name of the WARC file holding the page's response (recorded, or replayed from); None without WARC."""
    warc_record_id: str | None = None
    """WARC-Record-ID of that response record, "<urn:uuid:...>"; None without WARC."""
    schema_version: str = SCHEMA_VERSION
    """Version of this record format."""
