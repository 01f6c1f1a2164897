"""Drop records that a dataset user could not use: no URL, headline, body or publication date, or off-schema.

The first pipeline: it turns the item into the plain dict the later pipelines read and the writer serializes
(once; ItemAdapter's deep conversion costs as much as the rest of an item's checks), and passes that on.
"""

from __future__ import annotations

import json
from importlib.resources import files

from newscrawl.extensions.state import incremental_of
from newscrawl.pipelines import as_record, drop
from newscrawl.pipelines.schema import SchemaCheck
from newscrawl.state.incremental import StorageFailed

REQUIRED = ("url", "headline", "body", "published")


def load_schema() -> dict:
    """Return the committed JSON Schema of the article record."""
    return json.loads(files("newscrawl").joinpath("article.schema.json").read_text(encoding="utf-8"))


class ValidationPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        enabled = crawler.settings.getbool("NEWSCRAWL_VALIDATE_SCHEMA")
        self.check = SchemaCheck(load_schema()) if enabled else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        record = as_record(item)
        for field in REQUIRED:
            if not record.get(field):
                raise self.refuse(record, f"missing_{field}")
        if self.check:
            error = next(self.check.errors(record), None)
            if error is not None:
                raise self.refuse(record, "schema", f"{'/'.join(map(str, error.path))}: {error.message}")
        return record

    def refuse(self, record: dict, reason: str, detail: str = ""):
        """Drop the record, and remember its page so the next runs do not fetch it again for a while."""
        incremental = incremental_of(self.crawler)
        try:
            if incremental:
                incremental.rejected(record.get("fetched_url"), reason)
        except StorageFailed:
            pass  # the run is stopping; the page stays pending and is tried again
        return drop(self.crawler, reason, detail)
