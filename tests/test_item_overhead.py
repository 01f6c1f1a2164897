"""An item's way through the pipelines costs little: it is converted to a dict once, and checked against the
schema by a check compiled from article.schema.json that says what jsonschema says, record for record."""

from __future__ import annotations

import copy
import json
import random

import pytest
from conftest import FIXTURE_SITE, article
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from newscrawl.pipelines.deduplication import DeduplicationPipeline
from newscrawl.pipelines.incremental import IncrementalPipeline
from newscrawl.pipelines.jsonlines import JsonLinesPipeline
from newscrawl.pipelines.schema import Unsupported, compile_check
from newscrawl.pipelines.validation import ValidationPipeline, load_schema

SCHEMA = load_schema()
# values of every JSON type, and Python's look-alikes (bool is no integer, 1.0 is one, a tuple is no array)
JUNK = [None, "", "x", "https://x.test/a", "sha256:" + "0" * 64, 0, 1, -1, 1.0, 1.5, True, False, [], [""], ["x"],
        {}, {"x": 1}, ("x",), "2026-11-27T06:00:00+00:00", "2026-11-27T06:00:00+03:00", "rules", "1.4"]


def fixture_records() -> list[dict]:
    """The expected records of the fixture site's articles: real records, nearly all valid."""
    paths = sorted(p for p in FIXTURE_SITE.glob("articles/*.json") if not p.name.endswith(".checks.json"))
    return [ItemAdapter(article()).asdict()] + [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def mutations(record: dict, rng: random.Random, count: int) -> list[dict]:
    """Copies of a record with one value replaced, removed or added, anywhere in it."""
    found = []
    for _ in range(count):
        mutated = copy.deepcopy(record)
        holder, key = mutated, rng.choice(list(mutated))
        while isinstance(holder[key], (dict, list)) and holder[key] and rng.random() < 0.6:
            holder = holder[key]
            key = rng.choice(list(holder)) if isinstance(holder, dict) else rng.randrange(len(holder))
        action = rng.random()
        if action < 0.1 and isinstance(holder, dict):
            del holder[key]
        elif action < 0.2 and isinstance(holder, dict):
            holder[rng.choice(["unexpected", "Not-A-Name", ""])] = copy.deepcopy(rng.choice(JUNK))
        else:
            holder[key] = copy.deepcopy(rng.choice(JUNK))
        found.append(mutated)
    return found


def every_field_junk(record: dict) -> list[dict]:
    """Copies of a record with each field set to each junk value, and each object field given odd keys."""
    found = [{**record, field: value} for field in record for value in JUNK]
    for field, value in record.items():
        if isinstance(value, dict) or value is None:
            found += [{**record, field: {**(value or {}), key: "jsonld"}} for key in ("unexpected", "Not-A-Name", "")]
    return found


def test_the_compiled_check_says_what_jsonschema_says():
    validator = Draft202012Validator(SCHEMA)
    check = compile_check(SCHEMA)
    rng = random.Random("schema")
    records = fixture_records()
    cases = records + every_field_junk(records[0])
    cases += [mutated for record in records for mutated in mutations(record, rng, 150)]
    disagreements = [case for case in cases if check(case) != validator.is_valid(case)]
    assert not disagreements, json.dumps(disagreements[:3], default=str)[:2000]
    valid = sum(map(validator.is_valid, cases))
    assert 0.05 * len(cases) < valid < 0.95 * len(cases), "both answers are exercised"


def test_the_pipeline_uses_the_compiled_check_for_every_keyword_of_the_schema(make_crawler):
    assert ValidationPipeline.from_crawler(make_crawler()).check.fast is not None


@pytest.mark.parametrize(
    "schema",
    [{"format": "date-time"}, {"items": [{"type": "string"}]}, {"enum": [1, 2]},
     {"patternProperties": {"^a": {}}, "additionalProperties": False}, {"properties": {"a": {"maxLength": 3}}}],
)
def test_a_keyword_the_check_does_not_know_is_refused_not_skipped(schema):
    with pytest.raises(Unsupported):
        compile_check(schema)


def test_an_item_is_converted_to_a_dict_once_on_its_way_through_every_pipeline(make_crawler, tmp_path, monkeypatch):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    pipelines = [cls.from_crawler(crawler) for cls in
                 (ValidationPipeline, DeduplicationPipeline, IncrementalPipeline, JsonLinesPipeline)]
    pipelines[-1].open_spider()
    conversions = []
    asdict = ItemAdapter.asdict
    monkeypatch.setattr(ItemAdapter, "asdict", lambda self: conversions.append(1) or asdict(self))
    item = article()
    for pipeline in pipelines:
        item = pipeline.process_item(item)
    pipelines[-1].close_spider()
    assert len(conversions) == 1
    [output] = tmp_path.glob("*.jsonl")
    assert json.loads(output.read_text(encoding="utf-8")) == ItemAdapter(article()).asdict()
