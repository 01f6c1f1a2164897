"""A fast yes/no check of a record against article.schema.json, built from the schema itself.

jsonschema walks the schema anew for every record (about 0.2 ms each, the largest share of an item's cost in
the pipelines). `compile_check` walks it once and returns nested Python checks, with JSON Schema's meaning of
each keyword the article schema uses (`KEYWORDS`), about a tenth of the cost. A keyword it does not know raises
`Unsupported` instead of being skipped, so a schema edit can never make the check weaker than the schema: the
validation pipeline then uses jsonschema alone. jsonschema still explains every record the check refuses
(`SchemaCheck`, for the validation pipeline and `scrapy dataset` alike). No Scrapy imports here.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

Check = Callable[[object], bool]

# What JSON Schema 2020-12's types mean in Python, as jsonschema's type checker has them (bool is no number).
TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "null": lambda value: value is None,
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "number": lambda value: isinstance(value, numbers.Number) and not isinstance(value, bool),
    "integer": lambda value: (isinstance(value, int) and not isinstance(value, bool))
    or (isinstance(value, float) and value.is_integer()),
}
# Keywords that only describe: they never make a record invalid.
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "default"})


class Unsupported(ValueError):
    """The schema uses a keyword (or a form of one) that `compile_check` does not translate."""


class SchemaCheck:
    """A record against a JSON Schema: the compiled check first, jsonschema, the judge, for what it refuses."""

    def __init__(self, schema: dict):
        self.validator = Draft202012Validator(schema)
        try:
            self.fast: Check | None = compile_check(schema)
        except Unsupported:
            self.fast = None  # a keyword the fast check does not know: jsonschema alone

    def errors(self, record: object) -> Iterator[ValidationError]:
        """jsonschema's errors for the record; none at all for one the compiled check passes.

        >>> check = SchemaCheck({"type": "object", "required": ["url"]})
        >>> list(check.errors({"url": "x"})), [error.message for error in check.errors({})]
        ([], ["'url' is a required property"])
        """
        if self.fast is not None and self.fast(record):
            return iter(())
        return self.validator.iter_errors(record)


def compile_check(schema: dict) -> Check:
    """Return a function telling whether a value is valid against the schema.

    >>> check = compile_check({"type": "object", "required": ["url"], "properties": {"url": {"pattern": "^https?://"}}})
    >>> check({"url": "https://x.test/"}), check({"url": "ftp://x.test/"}), check({}), check([])
    (True, False, False, False)
    >>> compile_check({"format": "date-time"})
    Traceback (most recent call last):
    ...
    newscrawl.pipelines.schema.Unsupported: format
    """
    if isinstance(schema, bool):  # `true` allows anything, `false` nothing
        return lambda value: schema
    checks = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS:
            continue
        if keyword not in KEYWORDS:
            raise Unsupported(keyword)
        checks.append(KEYWORDS[keyword](value, schema))
    return all_of(checks)


def all_of(checks: list[Check]) -> Check:
    """One check that passes when every one of `checks` does."""
    if len(checks) == 1:
        return checks[0]

    def check(value) -> bool:
        for each in checks:
            if not each(value):
                return False
        return True

    return check


def type_check(names, schema) -> Check:
    """`type`: one type name or a list of them."""
    tests = [TYPES[name] for name in ([names] if isinstance(names, str) else names)]
    if len(tests) == 1:
        return tests[0]

    def check(value) -> bool:
        for test in tests:
            if test(value):
                return True
        return False

    return check


def enum_check(allowed, schema) -> Check:
    """`enum` of strings and null (JSON Schema compares strings as strings: no other type equals one)."""
    if not all(each is None or isinstance(each, str) for each in allowed):
        raise Unsupported("enum or const of other values than strings and null")
    allowed = frozenset(allowed)
    return lambda value: (value is None or isinstance(value, str)) and value in allowed


def properties_check(properties, schema) -> Check:
    """`properties`: each one present in an object is valid against its schema."""
    checks = [(name, compile_check(subschema)) for name, subschema in properties.items()]

    def check(value) -> bool:
        if not isinstance(value, dict):
            return True
        for name, each in checks:
            if name in value and not each(value[name]):
                return False
        return True

    return check


def additional_check(additional, schema) -> Check:
    """`additionalProperties`: the values of an object's keys that its `properties` does not name are valid
    against this schema (`false`: there are none)."""
    if "patternProperties" in schema:
        raise Unsupported("additionalProperties beside patternProperties")
    named = frozenset(schema.get("properties", ()))
    if additional is False:
        return lambda value: not isinstance(value, dict) or value.keys() <= named
    each = compile_check(additional)
    return lambda value: not isinstance(value, dict) or all(each(v) for k, v in value.items() if k not in named)


def property_names_check(names, schema) -> Check:
    """`propertyNames`: every key of an object is valid against this schema."""
    each = compile_check(names)
    return lambda value: not isinstance(value, dict) or all(each(key) for key in value)


def items_check(items, schema) -> Check:
    """`items`: every element of an array is valid against one schema."""
    if not isinstance(items, dict):
        raise Unsupported("items other than one schema")
    each = compile_check(items)
    return lambda value: not isinstance(value, list) or all(each(element) for element in value)


def pattern_check(pattern, schema) -> Check:
    """`pattern`: a string matches the regular expression somewhere in it."""
    found = re.compile(pattern).search
    return lambda value: not isinstance(value, str) or found(value) is not None


# A keyword's value is whatever JSON the schema holds there.
KEYWORDS: dict[str, Callable[[Any, dict], Check]] = {
    "type": type_check,
    "enum": enum_check,
    "const": lambda value, schema: enum_check([value], schema),
    "properties": properties_check,
    "additionalProperties": additional_check,
    "propertyNames": property_names_check,
    "required": lambda names, schema: lambda value: not isinstance(value, dict) or all(n in value for n in names),
    "items": items_check,
    "minLength": lambda least, schema: lambda value: not isinstance(value, str) or len(value) >= least,
    "minimum": lambda least, schema: lambda value: not TYPES["number"](value) or value >= least,
    "pattern": pattern_check,
}
