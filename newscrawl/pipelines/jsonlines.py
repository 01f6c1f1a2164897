"""Write the run's records as JSON Lines: UTF-8, one object a line, every field in the item's order.

The file grows as `<output>.part` and takes its final name when the run ends, so a finished file is whole.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter

from newscrawl.pipelines import drop


def record_line(item) -> str:
    """Serialize one record as a JSON line, keys in field order, non-ASCII kept."""
    return json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False, separators=(", ", ": ")) + "\n"


def output_path(template: str, spider_name: str, started: datetime) -> Path:
    """Fill the NEWSCRAWL_OUTPUT template for this run."""
    return Path(template % {"name": spider_name, "time": started.strftime("%Y-%m-%dT%H-%M-%SZ")})


class JsonLinesPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.template = crawler.settings.get("NEWSCRAWL_OUTPUT")
        self.path: Path | None = None
        self.file = None
        self.written = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        if not self.template:
            return
        self.path = output_path(self.template, self.crawler.spider.name, datetime.now(timezone.utc))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.partial_path, "w", encoding="utf-8")

    @property
    def partial_path(self) -> Path:
        return self.path.with_name(self.path.name + ".part")

    def process_item(self, item):
        limit = getattr(self.crawler.spider, "limit", None)
        if limit and self.written >= limit:
            raise drop(self.crawler, "over_limit")
        if self.file:
            self.file.write(record_line(item))  # one write a record: no interleaved partial lines
            self.file.flush()
        self.written += 1
        self.crawler.stats.inc_value("newscrawl/written")
        return item

    def close_spider(self):
        if not self.file:
            return
        self.file.close()
        os.replace(self.partial_path, self.path)
        self.crawler.stats.set_value("newscrawl/output", str(self.path))
        self.crawler.spider.logger.info("Wrote %d articles to %s", self.written, self.path)
