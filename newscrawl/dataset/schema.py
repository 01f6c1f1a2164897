"""The dataset's Arrow schema, derived from newscrawl/article.schema.json, and a record's values in it.

Every property of the JSON Schema is a column, in the schema's order, typed from its JSON Schema type: a nested
object is a struct, an array a list, a string, enum or const a string, an integer int64. Nothing is stored as a
JSON string. Two shapes are translated because every reader can then read them:

- an object with open keys (`additionalProperties`, e.g. `sources`) is a list of {key, value} structs: an Arrow
  map is exactly that underneath, but Hugging Face `datasets` refuses map columns;
- a date-time string (its `pattern` starts with a date and a `T`, or `format: date-time`) keeps its ISO text
  with its offset, and gains a `<name>_utc` column beside it, a timestamp in UTC: an Arrow timestamp carries one
  zone for the whole column, so the text is what keeps each value's own offset.

Then the dataset's own columns: `spider` (whose run wrote the row), `article_key` (the article, as the state
identifies it within its site), `is_latest` (the newest version of its article) and `month` (of `published`).
The partition columns (publisher, section, month) are dictionary-encoded strings in the files too, so every
file is whole on its own (Hugging Face `datasets` reads files, not folder names) and agrees with the folder
names that pandas and pyarrow read as dictionaries.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information

from newscrawl.pipelines.validation import load_schema

PARTITIONS = ("publisher", "section", "month")
UNKNOWN = "unknown"
"""A record's publisher or section when it has none: a partition folder needs a name, and pandas cannot read a
null partition value."""
PARTITION_TYPE = pa.dictionary(pa.int32(), pa.string())
DATASET_COLUMNS = (
    pa.field("spider", pa.string()),
    pa.field("article_key", pa.string()),
    pa.field("is_latest", pa.bool_()),
    pa.field("month", PARTITION_TYPE),
)
UTC_SUFFIX = "_utc"
ISO_DATETIME_PATTERN = re.compile(r"^\^\\d\{4\}-\\d\{2\}-\\d\{2\}T")
SCALARS = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


class UnsupportedSchema(ValueError):
    """A JSON Schema property this module cannot type: say so rather than guess (or fall back to JSON text)."""


def is_datetime(prop: dict) -> bool:
    """Whether a property holds ISO 8601 date-times.

    >>> is_datetime({"type": "string", "pattern": "^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}\\\\+00:00$"})
    True
    >>> is_datetime({"format": "date-time"}), is_datetime({"type": "string"}), is_datetime({"pattern": "^\\\\d+$"})
    (True, False, False)
    """
    return prop.get("format") == "date-time" or bool(ISO_DATETIME_PATTERN.match(prop.get("pattern", "")))


def is_map(prop: dict) -> bool:
    """An object whose keys are open (its `additionalProperties` types the values), like `sources`."""
    return "object" in json_types(prop) and "properties" not in prop and isinstance(prop.get("additionalProperties"), dict)


def json_types(prop: dict) -> list[str]:
    """The property's JSON types without null; from `type`, else from what its `enum` or `const` hold.

    >>> json_types({"type": ["string", "null"]}), json_types({"enum": ["a", None]}), json_types({"const": 2})
    (['string'], ['string'], ['integer'])
    """
    if "type" in prop:
        names = [prop["type"]] if isinstance(prop["type"], str) else prop["type"]
    else:
        values = prop.get("enum", [prop["const"]] if "const" in prop else [])
        names = [type_name(value) for value in values]
    return list(dict.fromkeys(name for name in names if name != "null"))


def type_name(value: object) -> str:
    """The JSON type name of a Python value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "integer", float: "number", list: "array", dict: "object"}.get(type(value), "?")


def arrow_type(prop: dict, where: str = "") -> pa.DataType:
    """The Arrow type of one JSON Schema property (nested properties included).

    >>> arrow_type({"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}})
    ListType(list<item: struct<text: string>>)
    >>> arrow_type({"type": ["string", "null"], "pattern": "^x"}), arrow_type({"enum": ["a", "b", None]})
    (DataType(string), DataType(string))
    """
    if not isinstance(prop, dict):
        raise UnsupportedSchema(f"{where or 'a property'}: {prop!r} is no JSON Schema object")
    types = json_types(prop)
    if len(types) != 1:
        raise UnsupportedSchema(f"{where or 'a property'}: one JSON type besides null is needed, not {types or 'none'}")
    kind = types[0]
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        return pa.list_(arrow_type(prop.get("items", {}), f"{where}[]"))
    if is_map(prop):
        value = arrow_type(prop["additionalProperties"], f"{where}.value")
        return pa.list_(pa.struct([pa.field("key", pa.string()), pa.field("value", value)]))
    if kind == "object" and "properties" in prop:
        return pa.struct(fields_of(prop["properties"], f"{where}."))
    raise UnsupportedSchema(f"{where or 'a property'}: {kind} without properties or items")


def fields_of(properties: dict, prefix: str = "") -> list[pa.Field]:
    """The Arrow fields of an object's properties, in order; a date-time gains its `<name>_utc` timestamp."""
    fields = []
    for name, prop in properties.items():
        fields.append(pa.field(name, arrow_type(prop, prefix + name)))
        if is_datetime(prop):
            fields.append(pa.field(name + UTC_SUFFIX, pa.timestamp("us", tz="UTC")))
    return fields


def arrow_schema(json_schema: dict | None = None) -> pa.Schema:
    """The dataset's Arrow schema: the record's properties (article.schema.json unless given), then the dataset's
    own columns; the partition columns dictionary-encoded."""
    json_schema = json_schema or load_schema()
    fields = [
        pa.field(field.name, PARTITION_TYPE) if field.name in PARTITIONS else field
        for field in fields_of(json_schema["properties"])
    ]
    return pa.schema(fields + list(DATASET_COLUMNS), metadata={"json_schema_id": json_schema.get("$id", "")})


def to_arrow(prop: dict, value: Any) -> Any:
    """A record's value as its Arrow column holds it: open-keyed objects become [{key, value}] lists."""
    if value is None:
        return None
    if is_map(prop):
        return [{"key": key, "value": to_arrow(prop["additionalProperties"], item)} for key, item in value.items()]
    if isinstance(value, dict) and "properties" in prop:
        return {name: to_arrow(sub, value.get(name)) for name, sub in prop["properties"].items()}
    if isinstance(value, list):
        return [to_arrow(prop.get("items", {}), item) for item in value]
    return value


def from_arrow(prop: dict, value: Any) -> Any:
    """Undo `to_arrow`: the value as the JSON record has it."""
    if value is None:
        return None
    if is_map(prop):
        return {pair["key"]: from_arrow(prop["additionalProperties"], pair["value"]) for pair in value}
    if isinstance(value, dict) and "properties" in prop:
        return {name: from_arrow(sub, value.get(name)) for name, sub in prop["properties"].items()}
    if isinstance(value, list):
        return [from_arrow(prop.get("items", {}), item) for item in value]
    return value


def utc_timestamp(text: str | None) -> datetime | None:
    """The moment an ISO 8601 text with an offset names, or None.

    >>> utc_timestamp("2026-11-24T19:30:00+03:00").isoformat(), utc_timestamp(None), utc_timestamp("junk")
    ('2026-11-24T16:30:00+00:00', None, None)
    >>> utc_timestamp("2026-11-24T19:30:00") is None  # no offset: no moment
    True
    """
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)
