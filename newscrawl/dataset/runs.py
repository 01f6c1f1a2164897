"""The finished runs under a data folder, and their records, line by line.

A finished run is `<data>/<spider>/*.jsonl`: a crawl writes `….jsonl.part` and renames it when it ends (or the
next run finishes a leftover one), so a `.jsonl` is whole and never written again, and a `.part` (a crawl
writing now) is never read. Summaries (`.summary.json`) and damaged copies set aside (`.corrupt-…`) are no runs.

A line that is not a record (not JSON, not an object, not valid against article.schema.json) stops the
consolidation with its file and line number: the crawler writes whole records only, so such a line is a damaged
file, and a dataset silently short of its articles would be worse than none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jsonschema.exceptions import best_match

from newscrawl.pipelines.schema import SchemaCheck
from newscrawl.pipelines.validation import load_schema

RUN_GLOB = "*.jsonl"


@dataclass(frozen=True)
class Run:
    spider: str
    path: Path
    name: str
    """`<spider>/<file>`: the run's name in the dataset's manifest."""
    size: int


class BadLine(ValueError):
    """A line of a finished run that is not a record: the message names the file and line."""


def spider_folders(data: Path, exclude: Path | None = None) -> list[str]:
    """The spiders with finished runs under `data`: its folders holding `*.jsonl` files (not the dataset's own).

    >>> spider_folders(Path("/nonexistent"))
    []
    """
    if not data.is_dir():
        return []
    skip = exclude.resolve() if exclude else None
    return sorted(
        folder.name for folder in data.iterdir()
        if folder.is_dir() and folder.resolve() != skip and any(folder.glob(RUN_GLOB))
    )


def finished_runs(data: Path, spiders: list[str]) -> list[Run]:
    """The finished runs of these spiders, oldest first (names start with the run's UTC start time)."""
    runs = []
    for spider in spiders:
        for path in sorted((data / spider).glob(RUN_GLOB)):
            if path.is_file():
                runs.append(Run(spider=spider, path=path, name=f"{spider}/{path.name}", size=path.stat().st_size))
    return runs


class RecordCheck:
    """Tell whether a parsed line is a record of article.schema.json, and why not (the validation pipeline's
    check: the fast compiled check first, jsonschema's explanation only for a refused line)."""

    def __init__(self, json_schema: dict | None = None):
        self.schema = SchemaCheck(json_schema or load_schema())

    def problem(self, value: object) -> str | None:
        """None for a valid record, else what is wrong with it.

        >>> check = RecordCheck()
        >>> check.problem(None), check.problem([]), check.problem({})
        ('not a JSON object', 'not a JSON object', "not a valid record: 'url' is a required property")
        """
        if not isinstance(value, dict):
            return "not a JSON object"
        error = best_match(self.schema.errors(value))
        if error is None:
            return None
        where = "/".join(map(str, error.absolute_path))
        return f"not a valid record: {where + ': ' if where else ''}{error.message}"


def read_records(run: Run, check: RecordCheck) -> Iterator[dict]:
    """The records of a run, in order; BadLine names the first line that is none."""
    with open(run.path, "rb") as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as error:
                raise BadLine(f"{run.path}:{number}: not JSON ({error})") from None
            if problem := check.problem(value):
                raise BadLine(f"{run.path}:{number}: {problem}")
            yield value
