"""The record's two descriptions, the item class and the committed JSON Schema, say the same thing."""

from dataclasses import fields

from newscrawl.items import SCHEMA_VERSION, Article
from newscrawl.pipelines.validation import load_schema


def test_schema_lists_every_item_field_in_order_and_requires_all():
    schema = load_schema()
    names = [f.name for f in fields(Article)]
    assert list(schema["properties"]) == names
    assert schema["required"] == names
    assert schema["additionalProperties"] is False


def test_every_field_is_documented():
    schema = load_schema()
    assert [name for name, spec in schema["properties"].items() if not spec.get("description")] == []


def test_schema_version_matches_the_item():
    assert load_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION == Article().schema_version
