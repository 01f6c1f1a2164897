"""Authors: the people a page names as its writers, from the most trusted source that names any.

Order: JSON-LD, microdata, meta tags, then the layout's byline selectors. Each source's values are cleaned to
person names (processors/authors.py); a source that names nobody (a desk, the site itself, a URL) gives way to
the next, so a page whose JSON-LD author is its publisher still gets the byline it shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import extruct
from parsel import Selector

from newscrawl.extraction.structured import Structured, iter_objects, person_names
from newscrawl.processors.authors import clean_authors
from newscrawl.sites.rules import Layout, Site

# `author` is the HTML standard's; the others are what CMSs, analytics and scholarly tags write (Parse.ly,
# Sailthru, Dublin Core, Highwire's citation_author, the NYT's "byl"); article:author is often a profile URL,
# which cleaning drops.
META_NAMES = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "citation_author", "byl")
# "A and B", "A, B": a byline's names are joined; a name right after a name is a role or an affiliation
SEPARATOR = re.compile(r"\s*(?:and|&|,|;)\s*", re.IGNORECASE)
JOIN_AFTER = re.compile(r"(?:^|[\s,;&])(?:and|&|,|;)\s*$", re.IGNORECASE)
JOIN_BEFORE = re.compile(r"^\s*(?:and\b|&)", re.IGNORECASE)
# the byline element's text and the text of the elements after it in the same parent, in page order
BYLINE_ON = "descendant-or-self::text() | following-sibling::node()/descendant-or-self::text()"


def author_candidates(data: Structured, page: Selector, layout: Layout) -> Iterator[tuple[str, list[str]]]:
    """Yield (source, raw names) for the authors, most trusted first, lazily."""
    value = data.ld("author")
    yield "jsonld", person_names(value, jsonld_index(page) if has_reference(value) else None)
    yield "microdata", person_names(data.microdata.get("author"))
    for name in META_NAMES:
        values = data.meta.get(name, [])
        yield "meta", list(map(first_name_first, values)) if name == "citation_author" else values


def read_authors(data: Structured, page: Selector, layout: Layout, site: Site) -> tuple[list[str], str | None]:
    """Return the person names of the first source that names anyone, agencies left out, and that source's name.
    A source that names only the site itself gives way to a later one naming someone else, and counts only when
    none does: on a one-person site the site's name is the author's."""
    own_names = {name_key(name) for name in (*site.site_names, *data.meta.get("og:site_name", ()))}
    only_the_site: tuple[list[str], str | None] = ([], None)
    for source, names in named_sources(data, page, layout, site.agencies):
        if {name_key(name) for name in names} - own_names:
            return names, source
        only_the_site = only_the_site if only_the_site[0] else (names, source)
    return only_the_site


def named_sources(
    data: Structured, page: Selector, layout: Layout, agencies: tuple[str, ...]
) -> Iterator[tuple[str, list[str]]]:
    """Yield (source, cleaned names) for each source that names anyone, most trusted first, lazily."""
    for source, values in author_candidates(data, page, layout):
        # a name the page declares as its author stays a name when written in lower case ("kirstin boatto")
        if names := clean_authors([value.title() if value.islower() else value for value in values], agencies):
            yield source, names
    for css in layout.authors:
        if names := byline_names(page, css, agencies):
            yield "layout", names


def first_name_first(name: str) -> str:
    """Turn a citation's "Last, First" ("Roy, Aniruddha") into "Aniruddha Roy"; leave other forms alone."""
    last, comma, first = name.partition(",")
    return f"{first.strip()} {last.strip()}" if comma and "," not in first else name


def name_key(name: str) -> str:
    """Reduce a name to its letters and digits, case-blind: "Quiet Light" and "quietlight" are one name."""
    return "".join(char for char in name.casefold() if char.isalnum())


def byline_names(page: Selector, css: str, agencies: tuple[str, ...]) -> list[str]:
    """Return the names of the first element the selector finds that names anyone, read on into the elements
    beside it while "and" or a comma joins them (co-authors' links); the same markup further down is author
    boxes, cards and comments."""
    for element in page.css(css):
        if not in_comments(element) and clean_authors(element.xpath(".//text()").getall(), agencies):
            return joined_names(element.xpath(BYLINE_ON).getall(), agencies)
    return []


def joined_names(texts: list[str], agencies: tuple[str, ...]) -> list[str]:
    """Return the names of the first text that names anyone and of the texts joined to it by "and" or a comma;
    any other text ends the byline: a role or affiliation ("Senior Policy Analyst"), a date, "Reviewed by".

    >>> joined_names(["By ", "Ann Lee", " and ", "Bo Chan", "Head Of Research", ", ", "Cy Diaz"], ())
    ['Ann Lee', 'Bo Chan']
    """
    names: list[str] = []
    joined = False
    for text in filter(str.strip, texts):
        found = clean_authors(text, agencies)
        if not names:
            names, joined = found, bool(JOIN_AFTER.search(text))
        elif SEPARATOR.fullmatch(text):
            joined = True
        elif found and (joined or JOIN_BEFORE.search(text)):
            names, joined = names + found, bool(JOIN_AFTER.search(text))
        else:
            break
    return clean_authors(names, agencies)


def in_comments(element: Selector) -> bool:
    """Tell an element inside a comment thread, where "author" markup names the commenters."""
    return bool(element.xpath('ancestor-or-self::*[contains(@class, "comment") or contains(@id, "comment")]'))


def has_reference(value) -> bool:
    """Tell a JSON-LD author value that holds a bare {"@id": …} reference to an object elsewhere on the page."""
    entries = value if isinstance(value, list) else [value]
    return any(isinstance(entry, dict) and "@id" in entry and "name" not in entry for entry in entries)


def jsonld_index(page: Selector) -> dict[str, dict]:
    """Map the @id of every JSON-LD object on the page to the object."""
    found = extruct.extract(page.root, syntaxes=["json-ld"], uniform=True, errors="ignore").get("json-ld", [])
    return {obj["@id"]: obj for obj in iter_objects(found) if isinstance(obj.get("@id"), str)}
