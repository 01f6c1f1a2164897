"""What a page's hand checks (`<page>.checks.json`, written by a person from the page) say of its extracted record.

The one judge for both scripts/regenerate_expected.py (which refuses to write a record its checks contradict) and
tests/test_fixture_articles.py. A key of the checks is one of:

- a record field: its value must equal the record's exactly; for a dict (dateline, sources, canonical_refused), the
  keys it lists must; `related` and `images` absent mean none expected, null means not checked by hand; `quotes`
  lists quotations by `text_starts` and `speaker`, each of which must be among the record's;
- `body_first_words`, `body_last_words`, `body_must_contain`, `body_must_not_contain`: text of the body;
- `expect_dropped: true`: the page has no article text, so the body must be None (and only url and headline are
  checked);
- `known_gaps`: check name -> why the extractor is known to miss it on this page; such a check is no disagreement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BODY_CHECKS = ("body_first_words", "body_last_words", "body_must_contain", "body_must_not_contain")
NOT_CHECKS = ("known_gaps", "expect_dropped")
CHECKED_WHEN_DROPPED = ("url", "headline")
NONE_UNLESS_LISTED = ("related", "images")


@dataclass(frozen=True)
class Disagreement:
    field: str
    """The check's name: a record field or a body_* check (the name `known_gaps` lists it by)."""
    message: str


def disagreements(record: dict, checks: dict, *, honour_known_gaps: bool = True) -> list[Disagreement]:
    """Every hand check the record contradicts; those listed under `known_gaps` aside unless told otherwise."""
    found = list(all_disagreements(record, checks))
    if not honour_known_gaps:
        return found
    gaps = checks.get("known_gaps", {})
    return [d for d in found if d.field not in gaps]


def fixed_gaps(record: dict, checks: dict) -> list[str]:
    """The known gaps the record no longer fails (each should leave `known_gaps`)."""
    failing = {d.field for d in disagreements(record, checks, honour_known_gaps=False)}
    return [name for name in checks.get("known_gaps", {}) if name not in failing]


def checked_field(name: str) -> str:
    """The record field a check is about."""
    return "body" if name in BODY_CHECKS else name


def checked_fields(checks: dict) -> set[str]:
    """The record fields these checks hold the record to (known gaps and fields left unchecked aside)."""
    gaps = checks.get("known_gaps", {})
    names = [name for name in check_names(checks) if name not in gaps]
    names = [name for name in names if not (name in NONE_UNLESS_LISTED and checks.get(name, []) is None)]
    return {checked_field(name) for name in names} | ({"body"} if checks.get("expect_dropped") else set())


def check_names(checks: dict) -> list[str]:
    """The checks to run: a dropped page's url and headline; else every key but the two that are no checks, and
    related and images (none expected unless listed)."""
    if checks.get("expect_dropped"):
        return [name for name in CHECKED_WHEN_DROPPED if name in checks]
    names = [name for name in checks if name not in NOT_CHECKS]
    return names + [name for name in NONE_UNLESS_LISTED if name not in checks]


def all_disagreements(record: dict, checks: dict) -> Iterator[Disagreement]:
    if checks.get("expect_dropped") and record.get("body") is not None:
        yield Disagreement("body", "a page without article text must yield no body, so validation drops it")
    for name in check_names(checks):
        yield from disagreements_of(name, checks.get(name, []), record)


def disagreements_of(name: str, expected: Any, record: dict) -> Iterator[Disagreement]:
    if name in BODY_CHECKS:
        yield from body_disagreements(name, expected, record.get("body"))
    elif name not in record:
        yield Disagreement(name, "neither a record field nor a kind of hand check")
    elif name == "quotes":
        yield from quote_disagreements(expected, dicts(record["quotes"]))
    elif name in NONE_UNLESS_LISTED and expected is None:
        return  # not checked by hand: real pages with long related lists and many pictures
    elif name == "images":
        found = [(i.get("url"), i.get("caption"), i.get("credit")) for i in dicts(record["images"])]
        if found != [(i["url"], i["caption"], i["credit"]) for i in expected]:
            yield Disagreement(name, f"images (url, caption, credit) {found!r}")
    elif isinstance(expected, dict):
        value = record[name]
        found_keys = {key: value.get(key) for key in expected} if isinstance(value, dict) else value
        if found_keys != expected:
            yield Disagreement(name, f"{name} {found_keys!r} != {expected!r}")
    elif record[name] != expected:
        yield Disagreement(name, f"{name} {record[name]!r} != {expected!r}")


def body_disagreements(name: str, expected: Any, body: object) -> Iterator[Disagreement]:
    if not isinstance(body, str):
        yield Disagreement(name, f"no body ({body!r})")
    elif name == "body_first_words" and not body.startswith(expected):
        yield Disagreement(name, f"body starts {body[:80]!r}, not {expected!r}")
    elif name == "body_last_words" and not body.endswith(expected):
        yield Disagreement(name, f"body ends {body[-80:]!r}, not {expected!r}")
    elif name == "body_must_contain":
        yield from (Disagreement(name, f"missing from body: {text!r}") for text in expected if text not in body)
    elif name == "body_must_not_contain":
        yield from (Disagreement(name, f"furniture in body: {text!r}") for text in expected if text in body)


def quote_disagreements(expected: list[dict], quotes: list[dict]) -> Iterator[Disagreement]:
    for quote in expected:
        found = [q for q in quotes if str(q.get("text") or "").startswith(quote["text_starts"])]
        if not found:
            yield Disagreement("quotes", f"no quote starting {quote['text_starts']!r}")
        elif found[0].get("speaker") != quote["speaker"]:
            yield Disagreement("quotes", f"speaker of {quote['text_starts']!r}: {found[0].get('speaker')!r}")


def dicts(value: object) -> list[dict]:
    """The dicts of a list field (a broken record may hold None or a string there)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
