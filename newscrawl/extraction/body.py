"""Walk an article body block by block: article text on one side, furniture sorted out of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector

from newscrawl.extraction.text import element_text
from newscrawl.sites.rules import Layout

TEXT_KINDS = ("paragraph", "subheading", "quote")


@dataclass
class Body:
    """What the body blocks hold: text blocks in order, and the story links found among them."""

    blocks: list[tuple[str, str]] = field(default_factory=list)
    """(kind, text) with kind "paragraph", "subheading" or "quote"."""
    related: list[dict] = field(default_factory=list)
    """{"url", "title", "kind"} with URLs as written in the page."""


def read_body(page: Selector, layout: Layout) -> Body:
    """Return the body blocks of the first body container of the layout found on the page."""
    body = Body()
    for css in layout.body:
        container = page.css(css)
        if container:
            walk(container[0].xpath("./*"), layout, body)
            break
    for anchor in (a for css in layout.related_lists for a in page.css(css)):
        add_link(body, anchor, "list")
    return body


def walk(children, layout: Layout, body: Body) -> None:
    """Sort each child block into text, a related link, or furniture to leave out."""
    for child in children:
        kind = block_kind(child, layout)
        if kind in ("text", "subheading", "quote"):
            add_text(body, child, layout, "paragraph" if kind == "text" else kind)
        elif kind == "card":
            titled = [a for a in child.css("a[href]") if element_text(a)]
            if titled:
                add_link(body, titled[0], "card")
        elif kind == "container":
            walk(child.xpath("./*"), layout, body)
        # everything else (banners, embeds, media, widgets) is furniture; images are read separately


def block_kind(block: Selector, layout: Layout) -> str | None:
    """Return the kind of the first block rule whose XPath test holds for this element."""
    for kind, test in layout.blocks:
        if block.xpath(f"boolean({test})").get() == "1":
            return kind
    return None


def add_text(body: Body, block: Selector, layout: Layout, kind: str) -> None:
    """Add a text block, or its READ MORE link, unless it is boilerplate."""
    holder = block.xpath(layout.text)
    text = element_text(holder[0] if holder else block)
    if not text:
        return
    if any(pattern.search(text) for pattern in layout.boilerplate):
        links = block.css("a[href]")
        if text.upper().startswith("READ MORE") and links:
            add_link(body, links[0], "read_more")
        return
    body.blocks.append((kind, text))


def add_link(body: Body, anchor: Selector, kind: str) -> None:
    """Record a story link with its visible title."""
    body.related.append({"url": anchor.attrib.get("href"), "title": element_text(anchor), "kind": kind})
