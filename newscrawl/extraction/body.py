"""Walk an article body block by block: article text on one side, furniture sorted out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import cast

from lxml import etree
from parsel import Selector

from newscrawl.extraction.visible_text import visible_text
from newscrawl.sites.rules import Layout

TEXT_KINDS = ("paragraph", "subheading", "quote")


@dataclass
class Body:
    """What the body blocks hold: text blocks in order, and the story links found among them."""

    blocks: list[tuple[str, str]] = field(default_factory=list)
    """(kind, text) with kind "paragraph", "subheading" or "quote"."""
    related: list[dict] = field(default_factory=list)
    """{"url", "title", "kind"} with URLs as written in the page."""
    container: object = None
    """The layout's body container found on the page (an lxml element), else None."""


def read_body(page: Selector, layout: Layout) -> Body:
    """Return the body blocks of the first body container of the layout found on the page."""
    body = Body()
    for css in layout.body:
        container = page.css(css)
        if container:
            body.container = container[0].root
            walk(body.container, layout, body)
            break
    for anchor in (a for css in layout.related_lists for a in page.css(css)):
        add_link(body, anchor, "list")
    return body


def walk(container, layout: Layout, body: Body) -> None:
    """Sort each child block of an lxml element into text, a related link, or furniture to leave out."""
    for child in container.iterchildren(etree.Element):  # elements only: no comments
        kind = block_kind(child, layout)
        if kind in ("text", "subheading", "quote"):
            add_text(body, child, layout, "paragraph" if kind == "text" else kind)
        elif kind == "card":
            titled = [a for a in child.iterfind(".//a[@href]") if visible_text(a)]
            if titled:
                add_link(body, titled[0], "card")
        elif kind == "container":
            walk(child, layout, body)
        # everything else (banners, embeds, media, widgets) is furniture; images are read separately


def block_kind(block, layout: Layout) -> str | None:
    """Return the kind of the first block rule whose XPath test holds for this element."""
    for kind, test in layout.blocks:
        if compiled(f"boolean({test})")(block):
            return kind
    return None


@cache
def compiled(xpath: str) -> etree.XPath:
    """Compile an XPath once: block rules run on every child of every body."""
    return etree.XPath(xpath)


def add_text(body: Body, block, layout: Layout, kind: str) -> None:
    """Add a text block, or its READ MORE link, unless it is boilerplate."""
    holder = cast("list[etree._Element]", compiled(layout.text)(block))  # layout.text selects elements
    text = visible_text(holder[0] if holder else block)
    if not text:
        return
    if any(pattern.search(text) for pattern in layout.boilerplate):
        links = block.findall(".//a[@href]")
        if text.upper().startswith("READ MORE") and links:
            add_link(body, links[0], "read_more")
        return
    body.blocks.append((kind, text))


def add_link(body: Body, anchor, kind: str) -> None:
    """Record a story link (an lxml element or a Selector) with its visible title."""
    element = getattr(anchor, "root", anchor)
    body.related.append({"url": element.get("href"), "title": visible_text(element), "kind": kind})
