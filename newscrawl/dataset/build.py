"""One consolidation: the runs not in the dataset yet, read, merged into the partitions they touch, committed.

Incremental: the manifest lists the runs already consolidated; only the others are read. The partitions their
rows go to, and those holding other versions of their articles (whose `is_latest` may flip), are rewritten from
their current rows plus the new ones; every other partition is kept as it is. Nothing new: nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newscrawl.dataset import card
from newscrawl.dataset.consolidate import (
    Partition,
    affected_partitions,
    by_partition,
    consolidated,
    filled_fields,
    partition_path,
    row_of,
)
from newscrawl.dataset.runs import RecordCheck, Run, finished_runs, read_records, spider_folders
from newscrawl.dataset.store import Columns, Store, data_file_name, now_text, partition_files
from newscrawl.items import SCHEMA_VERSION


class InputError(ValueError):
    """What was given cannot be consolidated (a damaged run, options that do not fit the dataset): exit 1."""


@dataclass
class Outcome:
    runs: int
    """New runs consolidated."""
    records: int
    rows: int
    articles: int
    partitions_written: int
    duplicates: int


def schema_fingerprint(columns: Columns) -> str:
    """Changes when the Arrow schema does (a field added to the JSON Schema): then every partition is rewritten,
    so all files share one schema."""
    return hashlib.sha256(str(columns.schema).encode()).hexdigest()[:16]


def chosen_spiders(data: Path, spiders: list[str] | None, exclude: Path | None) -> list[str]:
    """The spiders asked for (each must have a folder under data), or all that have finished runs."""
    if not spiders:
        return spider_folders(data, exclude)
    missing = [spider for spider in spiders if not (data / spider).is_dir()]
    if missing:
        raise InputError(f"no runs of {', '.join(missing)} under {data} (there are: "
                         f"{', '.join(spider_folders(data, exclude)) or 'none'})")
    return spiders


def new_runs(runs: list[Run], manifest: dict | None) -> list[Run]:
    """The runs the manifest does not list; a listed run whose size changed is an error (runs never change)."""
    done = manifest["runs"] if manifest else {}
    for run in runs:
        if run.name in done and done[run.name]["bytes"] != run.size:
            raise InputError(f"{run.path} changed since it was consolidated ({done[run.name]['bytes']} bytes, now "
                             f"{run.size}); rebuild the dataset with --rebuild")
    return [run for run in runs if run.name not in done]


def check_options(manifest: dict | None, file_format: str, latest_only: bool, location: str) -> None:
    """An existing dataset keeps its format and shape; changing them is a --rebuild."""
    if manifest and (manifest["format"], manifest["latest_only"]) != (file_format, latest_only):
        shape = "--latest" if manifest["latest_only"] else "every version"
        raise InputError(f"the dataset at {location} is {manifest['format']} with {shape}; give the same "
                         f"--format and --latest, or --rebuild to write it anew")


def partition_entry(rows: list[dict], file: str, fields: list[str]) -> dict:
    """A partition's file and figures, for the manifest and the card."""
    crawled = [row["crawled_at"] for row in rows if row.get("crawled_at")]
    return {
        "file": file,
        "rows": len(rows),
        "articles": sum(1 for row in rows if row["is_latest"]),
        "first_crawled": min(crawled, default=None),
        "last_crawled": max(crawled, default=None),
        "filled": filled_fields(rows, fields),
    }


def build_dataset(
    store: Store, data: Path, spiders: list[str] | None, file_format: str, latest_only: bool, rebuild: bool,
    now: datetime, exclude: Path | None = None,
) -> Outcome | None:
    """Consolidate the new runs into the store's dataset; None when there was nothing new."""
    columns = store.columns
    with store.locked():
        store.recover()
        current = store.manifest()
        base = None if rebuild else current
        rewrite_all = bool(base and base.get("schema") != schema_fingerprint(columns))  # the schema changed
        check_options(base, file_format, latest_only, store.location)
        runs = finished_runs(data, chosen_spiders(data, spiders, exclude))
        todo = new_runs(runs, base)
        if not todo and not rewrite_all:
            if base:
                return None
            raise InputError(f"no finished runs under {data} to consolidate")
        check = RecordCheck()
        new_rows, run_entries = [], {}
        for run in todo:
            records = [row_of(record, run.spider) for record in read_records(run, check)]
            new_rows += records
            run_entries[run.name] = {"bytes": run.size, "records": len(records)}

        files = partition_files(base)
        index = list(store.read_keys(base)) if base and not rewrite_all else []
        affected = set(files) if rewrite_all else affected_partitions(new_rows, index)
        existing = [row for partition in sorted(affected & set(files)) for row in store.read_rows(base or {}, files[partition])]
        rows, duplicates = consolidated(existing + new_rows, latest_only)
        written: dict[Partition, list[dict]] = by_partition(rows)

        generation = (current["generation"] if current else 0) + 1
        fields = list(columns.properties)
        partitions = {path: entry for path, entry in (base["partitions"] if base else {}).items()}
        for partition in affected:
            partitions.pop(partition_path(partition), None)
        for partition, group in written.items():
            partitions[partition_path(partition)] = partition_entry(group, data_file_name(generation, file_format), fields)
        manifest = {
            "format": file_format,
            "latest_only": latest_only,
            "schema_version": SCHEMA_VERSION,
            "schema": schema_fingerprint(columns),
            "generation": generation,
            "data": store.data_folder(generation),
            "updated": now_text(now),
            "duplicates": (base.get("duplicates", 0) if base else 0) + duplicates,
            "runs": {**(base["runs"] if base else {}), **run_entries},
            "partitions": dict(sorted(partitions.items())),
        }
        text = card.render(manifest, columns.schema, columns.properties, store.location)
        store.commit(current, manifest, written, text)
        return Outcome(
            runs=len(todo), records=len(new_rows), rows=sum(entry["rows"] for entry in partitions.values()),
            articles=sum(entry["articles"] for entry in partitions.values()), partitions_written=len(written),
            duplicates=duplicates,
        )
