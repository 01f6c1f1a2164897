"""End-of-run summary: what was found, written and dropped, in a few log lines."""

from __future__ import annotations

import logging

from scrapy import signals

logger = logging.getLogger(__name__)


class RunSummary:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        counters = {k.removeprefix("newscrawl/"): v for k, v in self.stats.get_stats().items() if k.startswith("newscrawl/")}
        lines = [f"  {key:<40} {value}" for key, value in sorted(counters.items())]
        logger.info("newscrawl summary for %s (%s):\n%s", spider.name, reason, "\n".join(lines) or "  (nothing counted)")
