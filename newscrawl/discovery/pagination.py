"""The next listing pages of a section: a declared "next", the next `?page=N` or `/page/N/`, a "load more" URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from newscrawl.discovery.page import Selectable, as_selector, base_url
from newscrawl.discovery.urlshape import NOT_A_PAGE, same_site
from newscrawl.processors.urls import canonicalize_url

_REL_NEXT = "[contains(concat(' ', translate(normalize-space(@rel), 'NEXT', 'next'), ' '), ' next ')]"
REL_NEXT = f"//link[@href]{_REL_NEXT}/@href | //a[@href]{_REL_NEXT}/@href"
PAGE_PARAMS = ("page", "paged", "pg", "p")
"""Query parameters that number listing pages (WordPress's ?p=123 names a post: not the next number, so not taken)."""
PAGE_IN_PATH = re.compile(r"/page/([0-9]{1,9})/?$")
# "Load more" buttons keep the next fragment's URL in a data attribute; the element's class says what it is
# ("list__more", "load-more", "list-items-loaded").
LOAD_MORE_ATTRIBUTES = ("data-url", "data-next", "data-next-url", "data-href")
LOAD_MORE_CLASS = re.compile(r"more|(?<!lazy)(?<!down)load", re.I)  # not a lazy-loaded image, not a download
WITH_URL_ATTRIBUTE = "//*[{}]".format(" or ".join(f"@{name}" for name in LOAD_MORE_ATTRIBUTES))


def next_pages(page: object, page_url: object) -> list[str]:
    """Return the URLs of the section's next listing page(s), surest first, each once; [] on the last page.

    >>> next_pages('<a href="?page=3">3</a><a href="?page=2">2</a>', "https://a.com/asia/")
    ['https://a.com/asia/?page=2']
    """
    selector = as_selector(page)
    if selector is None:
        return []
    base = base_url(selector, page_url)
    current = canonicalize_url(page_url)
    if not base or not current:
        return []
    found: list[str] = []
    for href in _declared(selector) + _numbered(selector, base, current) + _load_more(selector):
        url = canonicalize_url(href, base)
        if url and url != current and same_site(url, current) and url not in found and _is_page(url):
            found.append(url)
    return found


def _is_page(url: str) -> bool:
    """Tell a web page from a file (an image in a lazy loader's data-url, a PDF)."""
    return not NOT_A_PAGE.search(urlsplit(url).path)


def _declared(selector: Selectable) -> list[str]:
    """The page's own "next" links: `<link rel="next">`, `<a rel="next">`."""
    return selector.xpath(REL_NEXT).getall()


def _numbered(selector: Selectable, base: str, current: str) -> list[str]:
    """Links to this listing's next page number: `?page=N+1` or `/page/N+1/` (a first page has no number)."""
    wanted = {str(number) for number in _next_numbers(current)}
    found = []
    for href in selector.xpath("//a/@href").getall():
        url = canonicalize_url(href, base)
        if url and _same_listing(url, current) and _page_number(url) in wanted:
            found.append(url)
    # a first page does not say whether counting starts at 0 or 1: the lowest number offered is the next page
    return sorted(found, key=lambda url: int(_page_number(url) or 0))[:1]


def _next_numbers(current: str) -> tuple[int, ...]:
    """The page numbers that can follow this page: N+1, or 1 and 2 after an unnumbered first page."""
    number = _page_number(current)
    return (int(number) + 1,) if number else (1, 2)


def _page_number(url: str) -> str | None:
    """Return the listing page number a URL names, in its query (`?page=2`) or path (`/page/2/`)."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and re.fullmatch(r"[0-9]{1,9}", value):
            return value
    match = PAGE_IN_PATH.search(parts.path)
    return match.group(1) if match else None


def _same_listing(url: str, current: str) -> bool:
    """Tell whether the URL is another page of this listing: the same path and query but for the page number."""
    return _unnumbered(url) == _unnumbered(current)


def _unnumbered(url: str) -> tuple[str, str, tuple]:
    """Return the URL's host, path and query without its page number."""
    parts = urlsplit(url)
    query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in PAGE_PARAMS))
    return parts.netloc, PAGE_IN_PATH.sub("", parts.path).rstrip("/"), query


def _load_more(selector: Selectable) -> list[str]:
    """URLs in the data attributes of "load more" elements."""
    found = []
    for element in selector.xpath(WITH_URL_ATTRIBUTE):
        if LOAD_MORE_CLASS.search(element.attrib.get("class") or ""):
            found += [element.attrib[name] for name in LOAD_MORE_ATTRIBUTES if element.attrib.get(name, "").strip()]
    return found
