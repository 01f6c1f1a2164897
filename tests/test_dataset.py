"""`scrapy dataset`'s parts on small generated runs, in this process: the Arrow schema derived from the JSON Schema,
the row helpers, consolidation (versions, is_latest, --latest), incremental and atomic writes, crashes, `.part`
files and damaged lines."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information
import pytest
from conftest import article

from newscrawl.dataset import store as store_module
from newscrawl.dataset.build import InputError, build_dataset
from newscrawl.dataset.consolidate import article_key, month_of, partition_from_path, partition_path
from newscrawl.dataset.runs import BadLine, RecordCheck
from newscrawl.dataset.schema import UnsupportedSchema, arrow_schema, arrow_type, utc_timestamp
from newscrawl.dataset.store import Columns, LocalStore
from newscrawl.pipelines.validation import load_schema

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
URL = "https://sputnikglobe.com/20261127/story-{}.html"


def record(number: int, version: int = 1, **fields) -> dict:
    """A valid record of article `number` (its id 11210000<number>)."""
    article_id = f"11210000{number:02d}"
    values = {
        "url": URL.format(article_id), "fetched_url": URL.format(article_id), "article_id": article_id,
        "version": version, "content_hash": "sha256:" + f"{number:02d}{version}".ljust(64, "0"),
        "crawled_at": f"2026-11-2{7 + version}T10:00:00+00:00",
    }
    return dataclasses.asdict(article(**{**values, **fields}))


def write_run(data: Path, spider: str, name: str, records: list[dict], suffix: str = ".jsonl") -> Path:
    path = data / spider / f"{name}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def build(data: Path, folder: Path, file_format: str = "parquet", latest: bool = False, rebuild: bool = False,
          columns: Columns | None = None):
    store = LocalStore(folder, columns or Columns())
    return build_dataset(store, data, None, file_format, latest, rebuild, NOW)


def rows_of(folder: Path) -> list[dict]:
    return sorted(pq.read_table(folder / "data").to_pylist(), key=lambda row: (row["article_key"], row["version"]))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# The Arrow schema, derived


def test_the_arrow_schema_types_nested_values_as_structs_and_lists():
    schema = arrow_schema()
    assert schema.field("dateline").type == pa.struct([("place", pa.string()), ("agency", pa.string()), ("raw", pa.string())])
    assert schema.field("quotes").type == pa.list_(pa.struct([("text", pa.string()), ("speaker", pa.string())]))
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("sources").type == pa.list_(pa.struct([("key", pa.string()), ("value", pa.string())]))
    assert schema.field("version").type == pa.int64()
    assert schema.field("published").type == pa.string()  # the text keeps its offset
    assert schema.field("published_utc").type == pa.timestamp("us", tz="UTC")
    assert schema.field("section").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.names[-4:] == ["spider", "article_key", "is_latest", "month"]
    assert not [field.name for field in schema if field.type == pa.string() and field.name in ("quotes", "images")]


def test_a_property_added_to_the_json_schema_appears_in_the_arrow_schema():
    json_schema = copy.deepcopy(load_schema())
    json_schema["properties"]["fact_checks"] = {
        "type": "array",
        "items": {"type": "object", "properties": {"claim": {"type": "string"}, "score": {"type": ["number", "null"]}}},
    }
    json_schema["properties"]["reviewed"] = {"type": ["string", "null"], "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00$"}
    schema = arrow_schema(json_schema)
    assert schema.field("fact_checks").type == pa.list_(pa.struct([("claim", pa.string()), ("score", pa.float64())]))
    assert schema.field("reviewed_utc").type == pa.timestamp("us", tz="UTC")


@pytest.mark.parametrize(("prop", "expected"), [
    (None, UnsupportedSchema),
    ("", UnsupportedSchema),
    ({}, UnsupportedSchema),
    ({"type": "junk"}, UnsupportedSchema),
    ({"type": ["string", "integer"]}, UnsupportedSchema),
    ({"type": "object"}, UnsupportedSchema),  # no properties: nothing to type, and no JSON text fallback
    ({"type": "string"}, pa.string()),
    ({"enum": ["a", "b", None]}, pa.string()),
    ({"const": "1.5"}, pa.string()),
    ({"type": "boolean"}, pa.bool_()),
    ({"type": "array", "items": {"type": "integer"}}, pa.list_(pa.int64())),
    ({"type": "object", "additionalProperties": {"type": "integer"}},
     pa.list_(pa.struct([("key", pa.string()), ("value", pa.int64())]))),
])
def test_arrow_type(prop, expected):
    if isinstance(expected, type):
        with pytest.raises(expected):
            arrow_type(prop)
    else:
        assert arrow_type(prop) == expected


# Row helpers


@pytest.mark.parametrize(("text", "month", "utc"), [
    (None, "unknown", None),
    ("", "unknown", None),
    ("junk", "unknown", None),
    ("2026-11-27T06:00:00", "unknown", None),  # no offset: no moment
    ("2026-11-27T06:00:00+00:00", "2026-11", "2026-11-27T06:00:00+00:00"),
    ("2026-11-30T23:30:00-02:00", "2026-12", "2026-12-01T01:30:00+00:00"),
])
def test_month_and_utc_timestamp(text, month, utc):
    assert month_of(text) == month
    stamp = utc_timestamp(text)
    assert (stamp.isoformat() if stamp else None) == utc


@pytest.mark.parametrize(("given", "key"), [
    (None, None),
    ({}, None),
    ({"url": "", "article_id": ""}, None),
    ({"url": "https://x.test/a"}, "https://x.test/a"),
    ({"url": URL.format("1121000001"), "article_id": "1121000001"}, "sputnik:1121000001"),
    ({"url": "https://www.example.com/news/42", "article_id": "42"}, "example.com:42"),
])
def test_article_key(given, key):
    assert article_key(given) == key


@pytest.mark.parametrize("partition", [
    ("unknown", "unknown", "unknown"),
    ("Sputnik International", "asia", "2026-11"),
    ("A/B & C=D %", "asia pacific", "2026-11"),
])
def test_partition_paths_round_trip(partition):
    assert partition_from_path(partition_path(partition) + "/part-00001.parquet") == partition


@pytest.mark.parametrize(("value", "problem"), [
    (None, "not a JSON object"),
    ("", "not a JSON object"),
    ("junk", "not a JSON object"),
    ({}, "not a valid record: 'url' is a required property"),
    ({**record(1), "version": "two"}, "not a valid record: version: 'two' is not of type 'integer'"),
    (record(1), None),
])
def test_record_check(value, problem):
    assert RecordCheck().problem(value) == problem


# Consolidation


@pytest.fixture
def runs(tmp_path):
    """Two runs of asia (article 1 in versions 1 and 2, article 2; one without a section) and one of world that
    wrote article 1's version 1 again (the same content): 5 records, 4 versions, 3 articles."""
    data = tmp_path / "data"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2), record(3, section=None)])
    write_run(data, "asia", "2026-11-29T10-00-00Z", [record(1, version=2, headline="Tokyo Holds Drill, Updated")])
    write_run(data, "world", "2026-11-28T11-00-00Z", [record(1, crawled_at="2026-11-28T11:00:00+00:00")])
    return data


def test_every_version_once_and_is_latest(runs, tmp_path):
    outcome = build(runs, tmp_path / "dataset")
    rows = rows_of(tmp_path / "dataset")
    assert (outcome.records, outcome.rows, outcome.articles, outcome.duplicates) == (5, 4, 3, 1)
    assert [(row["article_key"], row["version"], row["is_latest"]) for row in rows] == [
        ("sputnik:1121000001", 1, False), ("sputnik:1121000001", 2, True),
        ("sputnik:1121000002", 1, True), ("sputnik:1121000003", 1, True),
    ]
    assert rows[0]["spider"] == "asia", "a duplicate keeps its first crawl"
    assert rows[3]["section"] == "unknown" and rows[0]["quotes"] == [] and rows[0]["dateline"] is None
    assert rows[0]["published_utc"] == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    manifest = json.loads((tmp_path / "dataset" / "manifest.json").read_text())
    assert sorted(manifest["runs"]) == ["asia/2026-11-28T10-00-00Z.jsonl", "asia/2026-11-29T10-00-00Z.jsonl",
                                        "world/2026-11-28T11-00-00Z.jsonl"]
    assert sorted(manifest["partitions"]) == [
        "publisher=Sputnik%20International/section=asia/month=2026-11",
        "publisher=Sputnik%20International/section=unknown/month=2026-11",
    ]


def test_latest_keeps_one_row_per_article(runs, tmp_path):
    build(runs, tmp_path / "dataset", latest=True)
    rows = rows_of(tmp_path / "dataset")
    assert [(row["article_key"], row["version"]) for row in rows] == [
        ("sputnik:1121000001", 2), ("sputnik:1121000002", 1), ("sputnik:1121000003", 1)]
    assert all(row["is_latest"] for row in rows)


def test_a_later_version_flips_is_latest_and_leaves_other_partitions_as_they_were(tmp_path):
    data, folder = tmp_path / "data", tmp_path / "dataset"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2, published="2026-10-02T06:00:00+00:00")])
    build(data, folder)
    october = "data/publisher=Sputnik%20International/section=asia/month=2026-10/part-00001.parquet"
    before = (folder / october).read_bytes()
    # version 2 of article 1, its date corrected into December: its November row must stop being the latest
    write_run(data, "asia", "2026-11-29T10-00-00Z", [record(1, version=2, published="2026-12-01T06:00:00+00:00")])
    outcome = build(data, folder)
    rows = rows_of(folder)
    assert (outcome.runs, outcome.partitions_written) == (1, 2)
    assert [(row["month"], row["version"], row["is_latest"]) for row in rows if row["article_key"].endswith("01")] == [
        ("2026-11", 1, False), ("2026-12", 2, True)]
    assert (folder / october).read_bytes() == before, "an untouched partition keeps its file"
    assert json.loads((folder / "manifest.json").read_text())["generation"] == 2


def test_a_second_run_with_nothing_new_changes_nothing(runs, tmp_path):
    folder = tmp_path / "dataset"
    build(runs, folder)
    before, stamps = snapshot(folder), {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert build(runs, folder) is None
    assert snapshot(folder) == before
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == stamps


def test_a_part_file_being_written_is_never_read(runs, tmp_path):
    # a crawl writing now: its .part, even with a torn last line
    (runs / "asia" / "2026-11-30T10-00-00Z.jsonl.part").write_text(json.dumps(record(9)) + "\n{\"url\": ")
    outcome = build(runs, tmp_path / "dataset")
    assert outcome.runs == 3 and "sputnik:1121000009" not in {row["article_key"] for row in rows_of(tmp_path / "dataset")}


def test_a_damaged_line_stops_the_consolidation_naming_its_file_and_line(runs, tmp_path):
    folder = tmp_path / "dataset"
    build(runs, folder)
    before = snapshot(folder)
    bad = write_run(runs, "asia", "2026-11-30T10-00-00Z", [record(4)])
    with open(bad, "a", encoding="utf-8") as file:
        file.write("{\"url\": \"https://sputnikglobe.com/x\", \n")
    with pytest.raises(BadLine, match=rf"^{bad}:2: not JSON"):
        build(runs, folder)
    assert snapshot(folder) == before


def test_a_crash_while_writing_leaves_the_previous_dataset_and_the_next_run_completes_it(runs, tmp_path, monkeypatch):
    folder = tmp_path / "dataset"
    write_run(runs, "asia", "2026-11-30T10-00-00Z", [record(5, section="world")])
    (runs / "asia" / "2026-11-29T10-00-00Z.jsonl").rename(tmp_path / "later.jsonl")
    build(runs, folder)
    before = snapshot(folder)
    (tmp_path / "later.jsonl").rename(runs / "asia" / "2026-11-29T10-00-00Z.jsonl")  # version 2 arrives

    def killed(self, path, rows, file_format):
        raise KeyboardInterrupt("killed mid-write")  # after the unchanged partition was linked into place

    monkeypatch.setattr(store_module.Store, "write_file", killed)
    with pytest.raises(KeyboardInterrupt):
        build(runs, folder)
    assert snapshot(folder) == before and list(tmp_path.glob("dataset.tmp-*"))
    monkeypatch.undo()
    outcome = build(runs, folder)
    assert outcome.runs == 1 and not list(tmp_path.glob("dataset.tmp-*"))
    assert [(row["version"], row["is_latest"]) for row in rows_of(folder) if row["article_key"].endswith("01")] == [
        (1, False), (2, True)]


def test_a_crash_between_the_renames_is_undone_by_the_next_run(runs, tmp_path, monkeypatch):
    folder = tmp_path / "dataset"
    build(runs, folder)
    write_run(runs, "asia", "2026-11-30T10-00-00Z", [record(6)])
    renames, rename = [], os.rename

    def crash_on_second_rename(source, target):
        renames.append(source)
        if len(renames) == 2:
            raise KeyboardInterrupt("killed between the renames")
        rename(source, target)

    monkeypatch.setattr(store_module.os, "rename", crash_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        build(runs, folder)
    assert not folder.exists() and (tmp_path / "dataset.old").exists()
    monkeypatch.undo()
    outcome = build(runs, folder)
    assert outcome.runs == 1 and outcome.rows == 5 and not (tmp_path / "dataset.old").exists()


def test_the_json_lines_form_has_the_same_partitions_and_flips_is_latest(tmp_path):
    data, folder = tmp_path / "data", tmp_path / "dataset"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2)])
    build(data, folder, file_format="jsonl")
    write_run(data, "asia", "2026-11-29T10-00-00Z", [record(1, version=2)])
    build(data, folder, file_format="jsonl")
    [file] = list(folder.glob("data/publisher=Sputnik%20International/section=asia/month=2026-11/*.jsonl"))
    rows = [json.loads(line) for line in file.read_text().splitlines()]
    assert [(row["article_key"], row["version"], row["is_latest"]) for row in rows] == [
        ("sputnik:1121000001", 1, False), ("sputnik:1121000001", 2, True), ("sputnik:1121000002", 1, True)]
    assert rows[0]["quotes"] == [] and rows[0]["sources"] == [] and rows[0]["published_utc"] == "2026-11-27T06:00:00+00:00"
    assert (folder / "README.md").exists()


def test_changing_the_format_or_shape_of_a_dataset_asks_for_a_rebuild(runs, tmp_path):
    folder = tmp_path / "dataset"
    build(runs, folder)
    write_run(runs, "asia", "2026-11-30T10-00-00Z", [record(7)])
    with pytest.raises(InputError, match="--rebuild"):
        build(runs, folder, latest=True)
    outcome = build(runs, folder, latest=True, rebuild=True)
    assert outcome.runs == 4 and outcome.rows == outcome.articles == 4


def test_a_field_added_to_the_schema_rewrites_every_partition_with_it(runs, tmp_path):
    folder = tmp_path / "dataset"
    build(runs, folder)
    json_schema = copy.deepcopy(load_schema())
    json_schema["properties"]["paywalled"] = {"type": ["boolean", "null"]}
    assert build(runs, folder, columns=Columns(json_schema)).partitions_written == 2
    assert all("paywalled" in pq.read_schema(path).names for path in folder.rglob("*.parquet"))
