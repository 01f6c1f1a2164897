"""Visible text of an element as a reader sees it: block elements and <br> separate words, scripts vanish."""

from __future__ import annotations

from parsel import Selector

from newscrawl.processors.normalize import normalize_text

INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "button", "iframe"})
BREAKING = frozenset(
    {
        "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure",
        "figcaption", "table", "tr", "td", "th", "section", "article", "aside", "header", "footer",
    }
)


def element_text(selector: Selector | None) -> str | None:
    """Return the normalized visible text of a selected element (or the string it selected)."""
    if selector is None:
        return None
    root = selector.root
    return normalize_text(root) if isinstance(root, str) else visible_text(root)


def visible_text(element) -> str | None:
    """Return the normalized visible text of an lxml element."""
    parts: list[str] = []
    collect(element, parts)
    parts[-1] = ""  # the element's tail is outside it
    return normalize_text("".join(parts))


def collect(element, parts: list[str]) -> None:
    """Append the visible text of an lxml element and its children to parts."""
    tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment or PI
    if tag is not None and tag not in INVISIBLE:
        breaking = tag in BREAKING
        if breaking:
            parts.append(" ")
        parts.append(element.text or "")
        for child in element:
            collect(child, parts)
        if breaking:
            parts.append(" ")
    parts.append(element.tail or "")


def first_text(scope: Selector, selectors: tuple[str, ...]) -> str | None:
    """Return the text of the first selector (CSS, with ::text/::attr or an element) that yields any."""
    for css in selectors:
        for found in scope.css(css):
            text = element_text(found)
            if text:
                return text
    return None


def all_texts(scope: Selector, selectors: tuple[str, ...]) -> list[str]:
    """Return the texts of the first selector that yields any, in document order."""
    for css in selectors:
        texts = [text for text in map(element_text, scope.css(css)) if text]
        if texts:
            return texts
    return []
