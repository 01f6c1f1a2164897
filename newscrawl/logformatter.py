"""Log a dropped record as one line with its URL and reason, not the whole record."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class NewscrawlLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        return {
            "level": getattr(logging, getattr(exception, "log_level", None) or "WARNING"),
            "msg": "Dropped %(url)s: %(reason)s",
            "args": {"url": getattr(item, "url", None) or getattr(response, "url", None), "reason": exception},
        }
