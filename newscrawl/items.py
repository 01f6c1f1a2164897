"""The article record: one typed item, its fields in output order.

Each field is described once, in `newscrawl/article.schema.json` (the "description" of its property; the README's
field table is generated from them by scripts/schema_table.py). The schema is the machine-checked contract; a
test keeps its properties and these fields in step. Every field is always written: None for a missing scalar,
[] for a missing list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = "1.5"


@dataclass
class Article:
    """One article page's record; what each field holds: newscrawl/article.schema.json."""

    url: str | None = None
    fetched_url: str | None = None
    canonical_refused: dict | None = None
    article_id: str | None = None
    publisher: str | None = None
    section: str | None = None
    headline: str | None = None
    lead: str | None = None
    dateline: dict | None = None
    published: str | None = None
    published_raw: str | None = None
    published_source: str | None = None
    modified: str | None = None
    modified_raw: str | None = None
    modified_source: str | None = None
    authors: list[str] = field(default_factory=list)
    body: str | None = None
    extraction: str | None = None
    quotes: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    layout: str | None = None
    sources: dict = field(default_factory=dict)
    content_hash: str | None = None
    version: int = 1
    crawled_at: str | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    schema_version: str = SCHEMA_VERSION
