"""Where each field of the record comes from: one ordered list of sources per field, most trusted first.

A source reads one raw value off the page (or None). The loader's input processors clean it, the field's
plausibility check judges it, and the first source whose value survives both gives the field; the record keeps
that source's name in `sources`. The order is data, in `PRECEDENCE`, and was measured, not assumed (the WCXB dev
split's 791 real article pages, scripts/devset.py):

- headline: the page's visible h1 when it tells the story the page declares (it is the truth's title on 71% of
  the dev pages, og:title on 43%), else the declared headlines;
- lead: the visible standfirst before descriptions, which are truncated teasers;
- published and modified: structured data, the page's own date elements, then htmldate and the URL
  (extraction/date_choice.py picks among them: a zone-less time yields to a stamp of the same moment);
- authors: the first source naming a person other than the site (extraction/authors.py).

Source names: "jsonld", "microdata", "meta" (OpenGraph and other meta tags), "layout" (the site's layout rules,
or the generic ones), "html" (the document's own markup: <title>, <html lang>), "htmldate", "url", "site" (the
site's declared defaults).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parsel import Selector

from newscrawl.extraction.images import read_images
from newscrawl.extraction.structured import Structured, as_strings
from newscrawl.extraction.visible_text import all_texts, first_text
from newscrawl.processors.headline import same_headline
from newscrawl.sites.rules import Layout, Site


@dataclass(frozen=True)
class Page:
    """What every source may read: the parsed page, its structured data, the layout and site, its URLs."""

    selector: Selector
    data: Structured
    layout: Layout
    site: Site
    url: str
    record_url: str
    now: datetime


Reader = Callable[[Page], object]
Source = tuple[str, Reader]


# ------------------------------------------------------------------------------------------------ readers


def meta(*names: str) -> Reader:
    """The first non-empty content among the named meta tags."""
    return lambda page: page.data.first_meta(*names)


def meta_all(name: str) -> Reader:
    """Every content of a repeated meta tag (article:tag)."""
    return lambda page: list(page.data.meta.get(name, ()))


def jsonld(key: str) -> Reader:
    return lambda page: page.data.ld(key)


def jsonld_list(key: str, first: bool = False) -> Reader:
    """A JSON-LD value that may be a string, a comma list or a list, as strings (only the first)."""
    return lambda page: as_strings(page.data.ld(key))[: 1 if first else None]


def microdata(key: str) -> Reader:
    return lambda page: page.data.md(key)


def microdata_list(key: str) -> Reader:
    return lambda page: as_strings(page.data.md(key))


def layout_text(rule: str) -> Reader:
    """The text of the first of the layout's selectors for this field that finds any."""
    return lambda page: first_text(page.selector, getattr(page.layout, rule))


def layout_texts(rule: str) -> Reader:
    return lambda page: all_texts(page.selector, getattr(page.layout, rule))


def declared_headline(page: Page) -> str | None:
    return next((value for value in (page.data.first_meta("og:title"), page.data.ld("headline")) if isinstance(value, str)), None)


def visible_headline(page: Page) -> str | None:
    """The visible headline, when it tells the story the page declares, and is not a kicker run into it."""
    visible = first_text(page.selector, page.layout.headline)
    declared = declared_headline(page)
    kicker_and_headline = bool(visible and declared and declared in visible)  # <h1><span>Kicker</span> Headline</h1>
    return visible if same_headline(visible, declared) and not kicker_and_headline else None


def title_element(page: Page) -> str | None:
    return page.selector.css("title::text").get()


def html_lang(page: Page) -> str | None:
    return page.data.lang


def article_id_in_url(page: Page) -> str | None:
    return page.site.article_id(page.record_url) or page.site.article_id(page.url)


def layout_images(page: Page) -> list[dict]:
    return read_images(page.selector, page.layout.images, page.site.site_names)


def sharing_image(page: Page) -> list[dict]:
    """The sharing image, as the only picture, for pages whose layout finds none."""
    url = page.data.first_meta("og:image")
    return [{"url": url, "caption": None, "credit": None}] if url else []


def site_value(attribute: str) -> Reader:
    return lambda page: getattr(page.site, attribute)


# ------------------------------------------------------------------------------------------------ the table

PRECEDENCE: dict[str, tuple[Source, ...]] = {
    "publisher": (("meta", meta("og:site_name")), ("site", site_value("name"))),  # Sputnik Arabic names itself
    "headline": (
        ("layout", visible_headline),
        ("meta", meta("og:title")),
        ("jsonld", jsonld("headline")),
        ("microdata", microdata("headline")),
        ("html", title_element),
    ),
    "lead": (
        ("layout", layout_text("lead")),
        ("jsonld", jsonld("description")),
        ("meta", meta("og:description", "description")),
    ),
    "section": (
        ("layout", layout_text("section")),
        ("meta", meta("article:section", "og:article:section")),
        ("jsonld", jsonld_list("articleSection", first=True)),
    ),
    "article_id": (
        ("meta", meta("analytics:article_id")),
        ("layout", layout_text("article_id")),
        ("url", article_id_in_url),
    ),
    "tags": (
        ("layout", layout_texts("tags")),
        ("meta", meta_all("article:tag")),
        ("jsonld", jsonld_list("keywords")),
        ("microdata", microdata_list("keywords")),
    ),
    "images": (("layout", layout_images), ("meta", sharing_image)),
    "language": (
        ("html", html_lang),
        ("jsonld", jsonld("inLanguage")),
        ("meta", meta("og:locale")),
        ("site", site_value("language")),
    ),
}
"""field -> (source name, reader), most trusted first. Dates and authors have their own choosers (see above)."""

# ------------------------------------------------------------------------------------------------ plausibility

URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)


def short_text(longest: int) -> Callable[[object], bool]:
    """A text that is not blank, at most `longest` characters, and not a URL (a title may be all digits: "1984")."""
    return lambda value: (
        isinstance(value, str) and bool(value.strip()) and len(value) <= longest and not URL_LIKE.match(value)
    )


def every(check: Callable[[object], bool]) -> Callable[[Any], bool]:
    """A check of a list field's value (tags, images) after its processors: not empty, every element passing."""
    return lambda values: bool(values) and all(check(value) for value in values)


def web_image(entry: object) -> bool:
    url = entry.get("url") if isinstance(entry, dict) else None
    return isinstance(url, str) and not url.startswith("data:")


PLAUSIBLE: dict[str, Callable[[object], bool]] = {
    "publisher": short_text(120),
    "headline": short_text(400),  # the longest real headlines run to about 250 characters
    "lead": short_text(2000),
    "section": short_text(80),
    "article_id": lambda value: isinstance(value, str) and value.isdigit(),
    "tags": every(short_text(120)),
    "images": every(web_image),
    "language": lambda value: isinstance(value, str) and value.isalpha() and 2 <= len(value) <= 3,
}
"""field -> check of a value after the loader's input processors; a value failing it gives way to the next source."""


def choose(field: str, page: Page, clean: Callable[[str, object], object]) -> tuple[object, str | None]:
    """Return (value, source name) of the first source whose cleaned value is plausible, else (None, None).

    `clean(field, raw)` runs the field's input processors (the item loader's) and its output processor."""
    check = PLAUSIBLE[field]
    for name, read in PRECEDENCE[field]:
        value = clean(field, read(page))
        if value not in (None, "", [], {}) and check(value):
            return value, name
    return None, None


def chosen_fields(page: Page, clean: Callable[[str, object], object]) -> Iterator[tuple[str, object, str | None]]:
    """Yield (field, value, source) for every field of the table, in table order."""
    for field in PRECEDENCE:
        value, source = choose(field, page, clean)
        yield field, value, source
