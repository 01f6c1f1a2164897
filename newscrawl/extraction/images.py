"""Pictures of the article with caption and credit apart, even where the page runs them together."""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.visible_text import first_text
from newscrawl.processors.media import clean_credit, split_credit_caption, strip_caption_suffix
from newscrawl.sites.rules import ImageRule


def read_images(page: Selector, rules: tuple[ImageRule, ...], site_names: tuple[str, ...]) -> list[dict]:
    """Return {"url", "caption", "credit"} for every picture the rules find, in page order."""
    images = []
    for rule in rules:
        for container in page.css(rule.container):
            url = first_text(container, rule.url)
            if url:
                caption, credit = caption_and_credit(
                    first_text(container, rule.caption), first_text(container, rule.credit), site_names
                )
                images.append({"url": url, "caption": caption, "credit": credit})
    return images


def caption_and_credit(caption: str | None, credit: str | None, site_names) -> tuple[str | None, str | None]:
    """Separate a credit that leaked into the caption, and clean both."""
    if caption and "©" in caption:
        leaked_credit, caption = split_credit_caption(caption)
        credit = credit or leaked_credit
    if credit and not caption:
        credit, caption = split_credit_caption(credit)
    return strip_caption_suffix(caption, site_names), clean_credit(credit)
