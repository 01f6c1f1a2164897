"""Drop records that a dataset user could not use: no URL, headline, body or publication date, or off-schema.

The first pipeline: it turns the item into the plain dict the later pipelines read and the writer serializes
(once; ItemAdapter's deep conversion costs as much as the rest of an item's checks), and passes that on.
"""

from __future__ import annotations

import json
from importlib.resources import files

from jsonschema import Draft202012Validator

from newscrawl.extensions.state import incremental_of
from newscrawl.pipelines import as_record, drop
from newscrawl.pipelines.schema import Unsupported, compile_check
from newscrawl.state.incremental import StorageFailed

REQUIRED = ("url", "headline", "body", "published")


def load_schema() -> dict:
    """Return the committed JSON Schema of the article record."""
    return json.loads(files("newscrawl").joinpath("article.schema.json").read_text(encoding="utf-8"))


class ValidationPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.validator = self.check = None
        if crawler.settings.getbool("NEWSCRAWL_VALIDATE_SCHEMA"):
            schema = load_schema()
            self.validator = Draft202012Validator(schema)
            try:
                # a tenth of jsonschema's cost per record; jsonschema remains the judge of what it refuses
                self.check = compile_check(schema)
            except Unsupported:
                pass  # a keyword the fast check does not know: jsonschema alone

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        record = as_record(item)
        for field in REQUIRED:
            if not record.get(field):
                raise self.refuse(record, f"missing_{field}")
        if self.validator and not (self.check and self.check(record)):
            error = next(iter(self.validator.iter_errors(record)), None)
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
