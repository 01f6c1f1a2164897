"""Read what a page says about itself in JSON-LD, microdata and meta tags, before any CSS guessing.

extruct parses JSON-LD (tolerating the comments and trailing commas real pages have) and microdata from the
tree parsel already built; meta tags are read directly, all of them, since publishers put facts in
non-OpenGraph names too (`analytics:article_id`, `pubdate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import extruct
from parsel import Selector

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNews", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting", "Report", "WebPage",
    }
)


@dataclass
class Structured:
    """The article-level facts found in JSON-LD and meta tags; empty values where absent."""

    jsonld: dict = field(default_factory=dict)
    microdata: dict = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None

    def first_meta(self, *names: str) -> str | None:
        """Return the first non-empty content among the named meta tags."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                if value and value.strip():
                    return value
        return None

    def ld(self, key: str):
        """Return a JSON-LD property of the article object, or None."""
        return self.jsonld.get(key)

    def md(self, key: str):
        """Return a microdata property of the article item (its first value when repeated), or None."""
        value = self.microdata.get(key)
        return value[0] if isinstance(value, list) and value else value


def read_structured(selector: Selector) -> Structured:
    """Collect JSON-LD article data, meta tags, the canonical link and the page language."""
    meta: dict[str, list[str]] = {}
    for tag in selector.xpath("//meta[@content]"):
        key = tag.attrib.get("property") or tag.attrib.get("name") or tag.attrib.get("itemprop")
        if key:
            meta.setdefault(key.strip().lower(), []).append(tag.attrib["content"])
    found = extruct.extract(selector.root, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore")
    return Structured(
        jsonld=find_article_object(found.get("json-ld", [])),
        microdata=find_article_object(found.get("microdata", [])),
        meta=meta,
        canonical=selector.xpath('//link[@rel="canonical"]/@href').get(),
        lang=selector.xpath("/html/@lang").get(),
    )


def find_article_object(items: list) -> dict:
    """Return the first article-typed object among structured-data items (and their @graph); {} if none."""
    candidates = iter_objects(items)
    for wanted in (ARTICLE_TYPES - {"WebPage"}, {"WebPage"}):
        for obj in candidates:
            if type_names(obj) & wanted:
                return obj
    return {}


def iter_objects(data) -> list[dict]:
    """Flatten a JSON-LD document (lists and @graph) into its top-level objects."""
    if isinstance(data, list):
        return [obj for item in data for obj in iter_objects(item)]
    if isinstance(data, dict):
        return [data, *iter_objects(data.get("@graph", []))]
    return []


def type_names(obj: dict) -> set[str]:
    """Return the @type of a JSON-LD object as a set of names."""
    value = obj.get("@type", ())
    return {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}


def person_names(value, index: Mapping[str, dict] | None = None) -> list[str]:
    """Return the names of the Person entries of a JSON-LD author/creator value (one or a list); an entry that
    is only a reference ({"@id": …}, as Yoast's @graph writes them) is looked up in `index` (@id -> object).

    >>> people = {"#p": {"@type": "Person", "name": "Ann Lee"}}
    >>> person_names([{"@id": "#p"}, {"@type": "Organization", "name": "RIA"}], people)
    ['Ann Lee']
    """
    names = []
    for entry in as_list(value):
        if index and isinstance(entry, dict) and "name" not in entry and entry.get("@id") in index:
            entry = index[entry["@id"]]
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict) and "Organization" not in type_names(entry):
            names.extend(name for name in as_list(entry.get("name")) if isinstance(name, str))
    return names


def as_list(value) -> list:
    """Return a JSON-LD value that may be one item or a list of them as a list."""
    return value if isinstance(value, list) else [value]


def as_strings(value) -> list[str]:
    """Return a JSON-LD value (a string, a comma list or a list) as a list of strings."""
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
