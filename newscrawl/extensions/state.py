"""Holds the state store open for the length of a crawl, and the crawl's incremental service on top of it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import UsageError

from newscrawl.state import StateStore, StateUnavailable, open_state, state_path, without_password
from newscrawl.state.incremental import Incremental
from newscrawl.storage import STATE_FAILED, stop_for_storage

logger = logging.getLogger(__name__)


class StateExtension:
    """Opens the store named by NEWSCRAWL_STATE (a store that cannot be opened stops the crawl before it starts);
    the spider and pipelines reach the store with `state_of` and the service with `incremental_of`."""

    def __init__(self, crawler, store: StateStore):
        self.crawler = crawler
        self.store = store
        self._incremental: Incremental | None = None

    @classmethod
    def from_crawler(cls, crawler):
        try:
            store = open_state(crawler.settings)
        except StateUnavailable as error:
            raise UsageError(str(error)) from None  # a one-line start-up error, exit 1
        extension = cls(crawler, store)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def incremental(self) -> Incremental:
        """The service for the crawl's spider, made on first use (the spider exists by then)."""
        if self._incremental is None:
            started = self.crawler.stats.get_value("start_time") or datetime.now(UTC)
            self._incremental = Incremental(
                self.store, self.crawler.spider.name, started,
                self.crawler.settings.getfloat("NEWSCRAWL_REJECTED_HOURS"), on_failure=self.failed,
            )
        return self._incremental

    def failed(self, error: Exception) -> None:
        """Stop the run: a state that cannot be written would let the next run write duplicates."""
        where = without_password(state_path(self.crawler.settings))
        stop_for_storage(
            self.crawler, STATE_FAILED, f"The state store {where} failed: {type(error).__name__}: {error}"
        )

    def spider_closed(self, spider):
        try:
            self.store.close()
        except Exception as error:  # the run's outcome is already decided; say it, do not mask it
            logger.error("Closing the state store failed: %s: %s", type(error).__name__, error)


def state_of(crawler) -> StateStore | None:
    """Return the crawl's state store, or None when the extension is switched off."""
    extension = crawler.get_extension(StateExtension)
    return extension.store if extension else None


def incremental_of(crawler) -> Incremental | None:
    """Return the crawl's incremental service, or None when the state extension is switched off."""
    extension = crawler.get_extension(StateExtension)
    return extension.incremental if extension else None
