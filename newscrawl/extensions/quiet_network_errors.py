"""A site that cannot be reached is a fact for one log line, not a traceback: robots.txt's download errors.

Scrapy's robots.txt middleware logs a failed robots.txt download with its traceback. For a network failure
(refused, no DNS, a timeout) the traceback says nothing the message does not, and a cron mail full of them hides
the one line that matters (the run's verdict: exit code 8, unreachable). Other errors keep their traceback.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)

NETWORK_ERRORS = (
    CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError,
    ResponseDataLossError, ConnectionError, TimeoutError,
)
LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


class WithoutNetworkTracebacks(logging.Filter):
    """Keep a network error's log record, without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], NETWORK_ERRORS):
            record.exc_info = record.exc_text = None
        return True


class QuietNetworkErrors:
    def __init__(self):
        self.filter = WithoutNetworkTracebacks()

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls()
        for name in LOGGERS:
            logging.getLogger(name).addFilter(extension.filter)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider):
        for name in LOGGERS:
            logging.getLogger(name).removeFilter(self.filter)
