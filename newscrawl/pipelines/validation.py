"""Drop records that a dataset user could not use: no URL, headline, body or publication date, or off-schema."""

from __future__ import annotations

import json
from importlib.resources import files

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from newscrawl.pipelines import drop

REQUIRED = ("url", "headline", "body", "published")


def load_schema() -> dict:
    """Return the committed JSON Schema of the article record."""
    return json.loads(files("newscrawl").joinpath("article.schema.json").read_text(encoding="utf-8"))


class ValidationPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        validate = crawler.settings.getbool("NEWSCRAWL_VALIDATE_SCHEMA")
        self.validator = Draft202012Validator(load_schema()) if validate else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        record = ItemAdapter(item).asdict()
        for field in REQUIRED:
            if not record.get(field):
                raise drop(self.crawler, f"missing_{field}")
        if self.validator:
            error = next(iter(self.validator.iter_errors(record)), None)
            if error is not None:
                raise drop(self.crawler, "schema", f"{'/'.join(map(str, error.path))}: {error.message}")
        return item
