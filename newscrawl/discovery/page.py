"""Reading a page for discovery: a selector from whatever the caller has, and the URL its links are relative to."""

from __future__ import annotations

from typing import Any, Protocol, cast

from parsel import Selector, SelectorList

from newscrawl.processors.urls import canonicalize_url


class Selectable(Protocol):
    """What discovery reads a page through: a parsel Selector or a Scrapy response."""

    def xpath(self, query: str) -> SelectorList[Any]: ...

    def css(self, query: str) -> SelectorList[Any]: ...


def as_selector(page: object) -> Selectable | None:
    """Return a selector for a parsel Selector, a Scrapy response, or HTML text; None for anything else.

    >>> as_selector("<a href='/x'>x</a>").css("a::attr(href)").get()
    '/x'
    >>> as_selector(None) is None
    True
    """
    if isinstance(page, bytes):
        page = page.decode("utf-8", "replace")
    if isinstance(page, str):
        return Selector(text=page) if page.strip() else None
    # a Scrapy response is no Selector, but it answers xpath() like one
    return cast(Selectable, page) if hasattr(page, "xpath") and hasattr(page, "css") else None


def base_url(selector: Selectable, page_url: object) -> str | None:
    """Return the URL the page's relative links resolve against: its `<base href>` if any, else the page URL.

    >>> base_url(Selector(text='<base href="/en/"><a href="x">'), "https://a.com/b/c")
    'https://a.com/en/'
    """
    page = canonicalize_url(page_url)
    if not page:
        return None
    declared = selector.xpath("//base/@href").get()
    return canonicalize_url(declared, page) or page
