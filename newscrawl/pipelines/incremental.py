"""Across runs: an article already written and unchanged is not written again; a changed one gets a new version."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.extensions.state import incremental_of
from newscrawl.pipelines import drop
from newscrawl.state.incremental import StorageFailed


class IncrementalPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        incremental = incremental_of(self.crawler)
        if incremental is None:
            return item
        record = ItemAdapter(item)  # read and set in place: no copy
        try:
            # decided and, in a store shared by many workers, reserved at once: one of them writes a story
            version = incremental.claim(record)
            if version is None:
                incremental.settled(record)
        except StorageFailed:
            raise drop(self.crawler, "storage_failed", "the state failed") from None
        if version is None:
            # not a loss: the article is in an earlier run's file (or another worker's)
            self.crawler.stats.inc_value("newscrawl/articles/unchanged")
            raise DropItem("unchanged since it was last written", log_level="DEBUG")
        record["version"] = version
        self.crawler.stats.inc_value(f"newscrawl/articles/{'new' if version == 1 else 'updated'}")
        return item
