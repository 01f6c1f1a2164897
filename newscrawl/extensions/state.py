"""Holds the state store (what each spider already emitted) open for the length of a crawl."""

from __future__ import annotations

from datetime import datetime, timezone

from scrapy import signals

from newscrawl.state import StateStore, open_state


class StateExtension:
    """Opens the store named by NEWSCRAWL_STATE; spiders and pipelines reach it via `crawler.get_extension`."""

    def __init__(self, store: StateStore):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(open_state(crawler.settings))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider):
        self.store.close()


def state_of(crawler) -> StateStore | None:
    """Return the crawl's state store, or None when the extension is switched off."""
    extension = crawler.get_extension(StateExtension)
    return extension.store if extension else None


def reject(crawler, url: str | None, reason: str) -> None:
    """Remember that the crawl's spider could not use this page, so its next runs skip it for a while."""
    store = state_of(crawler)
    if store is not None and url:
        store.reject(crawler.spider.name, url, reason, datetime.now(timezone.utc).isoformat(timespec="seconds"))
