"""Write each story once per run, however it was reached: URL variants, two sections, re-posted copies."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newscrawl.extensions.state import incremental_of
from newscrawl.pipelines import drop
from newscrawl.sites import site_key
from newscrawl.state import compact_key, scoped_id
from newscrawl.state.incremental import StorageFailed


def identity_keys(record) -> list[tuple[str, str]]:
    """Return the (kind, key) pairs that identify a story within its site: canonical URL, publisher id, content
    hash. The same agency story on two sites is two articles; one story under two URLs of one site is one."""
    site = site_key(record.get("url"))
    keys = [
        ("url", record.get("url")),
        ("id", scoped_id(record.get("url"), record.get("article_id"))),
        ("content", f"{site}:{record['content_hash']}" if record.get("content_hash") else None),
    ]
    return [(kind, key) for kind, key in keys if key]


class DeduplicationPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[bytes] = set()
        """The `compact_key` of each (kind, key) this run passed on: 16 bytes each, not the URL or hash text."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        record = ItemAdapter(item)  # read in place: no copy
        keys = identity_keys(record)
        digests = [compact_key(f"{kind} {key}") for kind, key in keys]
        for (kind, key), digest in zip(keys, digests):
            if digest in self.seen:
                self.settle(record)
                raise drop(self.crawler, f"duplicate_{kind}", key)
        self.seen.update(digests)
        return item

    def settle(self, record) -> None:
        """A copy of a story this run has: its own listed URL needs no fetching again."""
        incremental = incremental_of(self.crawler)
        try:
            if incremental:
                incremental.settled(record)
        except StorageFailed:
            pass  # the run is stopping; the URL stays pending and costs one more fetch
