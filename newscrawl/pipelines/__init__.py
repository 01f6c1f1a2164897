"""Item pipelines: validation, deduplication, JSON Lines writing. Every drop is counted by its reason."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


def drop(crawler, reason: str, detail: str = "") -> DropItem:
    """Count a drop under newscrawl/dropped/<reason> and return the DropItem to raise."""
    crawler.stats.inc_value(f"newscrawl/dropped/{reason}")
    return DropItem(f"{reason}{': ' + detail if detail else ''}")


def as_record(item) -> dict:
    """The item as a plain dict of its fields: itself when it is one already (the validation pipeline made it one)."""
    return item if isinstance(item, dict) else ItemAdapter(item).asdict()
