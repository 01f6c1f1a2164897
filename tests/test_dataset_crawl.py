"""`scrapy dataset` as a user runs it, on the real offline crawl's output; and every loading snippet of the
generated dataset card, taken from the card and run against that dataset (pyarrow, pandas, DuckDB, Hugging Face
`datasets`, offline)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information
import pytest
from conftest import FIXTURE_SITE, ROOT
from test_crawl_offline import scrapy

pytestmark = pytest.mark.subprocess

FIXTURE_ARTICLES = 16
"""The fixture's Asia articles (tests/test_crawl_offline.py checks which)."""


def crawl_into(folder: Path) -> subprocess.CompletedProcess:
    """The real offline crawl of asia, its run written as `<folder>/asia/<UTC start>.jsonl`."""
    return scrapy(
        "crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}",
        "-s", f"NEWSCRAWL_OUTPUT={folder / '%(name)s' / '%(time)s.jsonl'}",
        "-s", f"NEWSCRAWL_STATE={folder / 'state.sqlite'}", "-s", f"NEWSCRAWL_LOCK={folder / '%(name)s.lock'}",
    )


def dataset(*args: str) -> subprocess.CompletedProcess:
    return scrapy("dataset", *args)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """One offline crawl for the module: the data folder holding its run."""
    data = tmp_path_factory.mktemp("data")
    run = crawl_into(data)
    assert run.returncode == 0, run.stderr[-3000:]
    return data


@pytest.fixture(scope="module")
def parquet_dataset(crawled, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parquet") / "dataset"
    run = dataset("--data", str(crawled), "--to", str(folder))
    assert run.returncode == 0, run.stderr
    assert f"Consolidated 1 new runs ({FIXTURE_ARTICLES} records" in run.stdout
    return folder


def json_lines(data: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(data.glob("asia/*.jsonl")) for line in path.read_text().splitlines()]


def test_the_dataset_holds_every_record_of_the_runs(crawled, parquet_dataset):
    records = json_lines(crawled)
    rows = pq.read_table(parquet_dataset / "data").to_pylist()
    assert len(records) == len(rows) == FIXTURE_ARTICLES
    assert sorted(row["url"] for row in rows) == sorted(record["url"] for record in records)
    by_url = {row["url"]: row for row in rows}
    for record in records:
        row = by_url[record["url"]]
        assert row["quotes"] == record["quotes"] and row["images"] == record["images"]
        assert row["dateline"] == record["dateline"] and row["published"] == record["published"]
        assert {pair["key"]: pair["value"] for pair in row["sources"]} == record["sources"]
    assert all(row["is_latest"] for row in rows)
    folders = {path.parent.relative_to(parquet_dataset / "data").as_posix() for path in parquet_dataset.rglob("*.parquet")}
    assert "publisher=Sputnik%20International/section=asia/month=2026-11" in folders


def test_a_second_run_has_nothing_new(crawled, parquet_dataset):
    before = {path: path.read_bytes() for path in parquet_dataset.rglob("*") if path.is_file()}
    run = dataset("--data", str(crawled), "--to", str(parquet_dataset))
    assert run.returncode == 0 and "Nothing new to consolidate" in run.stdout
    assert {path: path.read_bytes() for path in parquet_dataset.rglob("*") if path.is_file()} == before


SNIPPET_RUNNER = """
import json, sys
results = {}
for number, code in enumerate(json.load(sys.stdin)):
    names = {}
    exec(compile(code, f"snippet {number}", "exec"), names)
    results[number] = {name: repr(value)[:2000] for name, value in names.items()
                       if name in ("table", "frame", "counts", "articles")}
    loaded = [names[name] for name in ("table", "frame", "articles") if name in names]
    results[number]["rows"] = len(loaded[0]) if loaded else None
print(json.dumps(results))
"""


def card_snippets(card: Path) -> list[str]:
    """The Python code blocks of a dataset card."""
    return re.findall(r"```python\n(.*?)```", card.read_text(encoding="utf-8"), flags=re.S)


def run_snippets(snippets: list[str], home: Path) -> dict:
    """Run each snippet in one fresh Python (Hugging Face offline, its cache in `home`); what each left behind."""
    environment = {**os.environ, "HF_HOME": str(home), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-c", SNIPPET_RUNNER], input=json.dumps(snippets), capture_output=True,
                         text=True, env=environment, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.splitlines()[-1])


def test_every_snippet_of_the_card_loads_the_dataset(parquet_dataset, tmp_path):
    snippets = card_snippets(parquet_dataset / "README.md")
    assert [s.splitlines()[0] for s in snippets] == [
        "import pyarrow.parquet as pq", "import pandas as pd", "import duckdb", "from datasets import load_dataset"]
    pyarrow, pandas, duckdb, datasets = run_snippets(snippets, tmp_path).values()
    assert pyarrow["rows"] == pandas["rows"] == datasets["rows"] == FIXTURE_ARTICLES
    assert duckdb["counts"] == f"[('asia', {FIXTURE_ARTICLES})]"
    assert "num_rows: 16" in datasets["articles"] and "'quotes'" in datasets["articles"]


def test_the_card_counts_and_covers(parquet_dataset):
    card = (parquet_dataset / "README.md").read_text(encoding="utf-8")
    assert f"**{FIXTURE_ARTICLES} rows, {FIXTURE_ARTICLES} articles**" in card
    assert f"| Sputnik International | {FIXTURE_ARTICLES} | {FIXTURE_ARTICLES} |" in card
    assert "| `headline` | 100.0% |" in card and "| `warc_file` | 0.0% |" in card
    assert "| `published_utc` | `timestamp[us, tz=UTC]` |" in card
    assert "| runs consolidated | 1 (asia 1) |" in card


def test_the_json_lines_form_and_its_card(crawled, tmp_path):
    folder = tmp_path / "dataset"
    run = dataset("--data", str(crawled), "--to", str(folder), "--format", "jsonl", "--latest")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for path in folder.rglob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(lines) == FIXTURE_ARTICLES and all(line["is_latest"] for line in lines)
    results = list(run_snippets(card_snippets(folder / "README.md"), tmp_path / "hf").values())
    assert [result["rows"] for result in results if "counts" not in result] == [FIXTURE_ARTICLES] * 3
    assert results[2]["counts"] == f"[('asia', {FIXTURE_ARTICLES})]"


def test_a_damaged_line_exits_1_naming_file_and_line_and_a_part_is_ignored(crawled, tmp_path):
    data = tmp_path / "data"
    (data / "asia").mkdir(parents=True)
    [run_file] = crawled.glob("asia/*.jsonl")
    lines = run_file.read_text().splitlines(keepends=True)
    (data / "asia" / run_file.name).write_text("".join(lines))
    (data / "asia" / "2026-12-01T00-00-00Z.jsonl.part").write_text("a crawl writing now, {torn")
    folder = tmp_path / "dataset"
    assert dataset("--data", str(data), "--to", str(folder)).returncode == 0
    damaged = data / "asia" / "2026-12-02T00-00-00Z.jsonl"
    damaged.write_text(lines[0] + "{\"url\": 1}\n")
    run = dataset("--data", str(data), "--to", str(folder))
    assert run.returncode == 1
    assert f"{damaged}:2: not a valid record" in run.stderr and "is unchanged" in run.stderr
    unknown = dataset("--data", str(data), "--to", str(folder), "--spiders", "asia,nope")
    assert unknown.returncode == 1 and "no runs of nope" in unknown.stderr
