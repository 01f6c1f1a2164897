"""Where the dataset lives and how a new state of it replaces the old one, whole or not at all.

The dataset is data files in Hive-style partition folders (`data/publisher=…/section=…/month=…/part-<generation>.
parquet`), and beside `data/` `manifest.json` (the runs consolidated, each partition's file and figures) and the
card, README.md: readers given the data folder find data files only.

- **A local folder**: the new dataset is built in `<name>.tmp-<pid>` beside it (the partitions that did not
  change hard-linked from the old one, the others written), then renamed into place: the old folder to
  `<name>.old`, the new one to `<name>`, the old one removed. A reader sees the old dataset or the new one (for
  the instant between the renames, none). A crash leaves the old one intact and a `.tmp-…` that the next run
  removes; a crash between the two renames leaves `<name>.old`, which the next run puts back. A lock file,
  `<name>.lock`, keeps one `scrapy dataset` at a time on a folder.
- **S3** (no rename there): each new state is written under a new generation prefix, `<prefix>/gen-00042/`
  (unchanged partitions copied server-side, the others written); then `manifest.json`,
  which names that generation, is written last (one PUT, atomic), then the card at the top. Readers that
  follow the manifest see the previous generation or the new one, never half of one. The generation before
  is kept for readers still on it; older ones, and a half-written one a failed run left, are deleted by the
  next run. One writer at a time: nothing on S3 locks it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
import pyarrow.fs as pafs  # type: ignore[import-untyped]  # pyarrow ships no type information
import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information

from newscrawl.dataset.consolidate import Partition, partition_from_path, partition_path
from newscrawl.dataset.schema import UTC_SUFFIX, arrow_schema, from_arrow, is_datetime, to_arrow, utc_timestamp
from newscrawl.pipelines.validation import load_schema
from newscrawl.recovery import sync_folder
from newscrawl.runlock import RunLock

MANIFEST = "manifest.json"
CARD = "README.md"
SUFFIXES = {"parquet": ".parquet", "jsonl": ".jsonl"}
COMPUTED = ("is_latest",)
"""Columns computed anew whenever a partition is written: not read back."""


def data_file_name(generation: int, file_format: str) -> str:
    """The name of a partition's data file written by this generation.

    >>> data_file_name(3, "parquet"), data_file_name(12, "jsonl")
    ('part-00003.parquet', 'part-00012.jsonl')
    """
    return f"part-{generation:05d}{SUFFIXES[file_format]}"


def partition_files(manifest: dict | None) -> dict[Partition, str]:
    """The data file of each partition a manifest lists, relative to the data folder."""
    if not manifest:
        return {}
    return {partition_from_path(f"{path}/{entry['file']}"): f"{path}/{entry['file']}"
            for path, entry in manifest["partitions"].items()}


class Columns:
    """A row's values as the dataset's files hold them, and back; derived from the JSON Schema."""

    def __init__(self, json_schema: dict | None = None):
        self.properties = (json_schema or load_schema())["properties"]
        self.schema = arrow_schema(json_schema)
        self.datetimes = [name for name, prop in self.properties.items() if is_datetime(prop)]

    def arrow_row(self, row: dict) -> dict:
        """A row as the Arrow table takes it: open-keyed objects as lists, date-times with their UTC timestamp."""
        values = {name: to_arrow(prop, row.get(name)) for name, prop in self.properties.items()}
        values.update({name + UTC_SUFFIX: utc_timestamp(row.get(name)) for name in self.datetimes})
        return {**row, **values}

    def json_row(self, row: dict) -> dict:
        """A row as the JSON Lines form holds it: the Parquet form's columns and shapes (open-keyed objects as
        [{key, value}] lists, which JSON readers type alike in every file), the UTC times as ISO text."""
        values = self.arrow_row(row)
        return {field.name: iso(values.get(field.name)) for field in self.schema}

    def row(self, stored: dict) -> dict:
        """A stored row back as a record with the dataset's columns (computed ones left out)."""
        derived = {name + UTC_SUFFIX for name in self.datetimes} | set(COMPUTED)
        row = {name: value for name, value in stored.items() if name not in derived}
        row.update({name: from_arrow(prop, stored.get(name)) for name, prop in self.properties.items()})
        return row

    def table(self, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist([self.arrow_row(row) for row in rows], schema=self.schema)


class Store:
    """A dataset on a pyarrow filesystem: its manifest, its rows, its files."""

    def __init__(self, filesystem: pafs.FileSystem, root: str, location: str, columns: Columns):
        self.fs = filesystem
        self.root = root.rstrip("/")
        self.location = location
        """The dataset as the user named it (a folder or an s3:// URL), for messages and the card."""
        self.columns = columns

    def data_root(self, manifest: dict) -> str:
        return f"{self.root}/{manifest['data']}" if manifest.get("data") else self.root

    def manifest(self) -> dict | None:
        """The current manifest, or None when there is no dataset yet."""
        path = f"{self.root}/{MANIFEST}"
        if self.fs.get_file_info(path).type == pafs.FileType.NotFound:
            return None
        with self.fs.open_input_stream(path) as stream:
            return json.loads(stream.read())

    def read_rows(self, manifest: dict, relative: str) -> list[dict]:
        """The rows of one data file of the dataset."""
        path = f"{self.data_root(manifest)}/{relative}"
        if manifest["format"] == "parquet":
            stored = pq.read_table(path, filesystem=self.fs).to_pylist()
        else:
            with self.fs.open_input_stream(path) as stream:
                stored = [json.loads(line) for line in stream.read().splitlines() if line.strip()]
        return [self.columns.row(row) for row in stored]

    def read_keys(self, manifest: dict) -> Iterator[tuple[str, Partition]]:
        """(article key, partition) of every row of the dataset: one column read, not the rows."""
        for partition, relative in partition_files(manifest).items():
            path = f"{self.data_root(manifest)}/{relative}"
            if manifest["format"] == "parquet":
                keys = pq.read_table(path, columns=["article_key"], filesystem=self.fs).column(0).to_pylist()
            else:
                with self.fs.open_input_stream(path) as stream:
                    keys = [json.loads(line)["article_key"] for line in stream.read().splitlines() if line.strip()]
            for key in keys:
                yield key, partition

    def write_file(self, path: str, rows: list[dict], file_format: str) -> None:
        if file_format == "parquet":
            pq.write_table(self.columns.table(rows), path, filesystem=self.fs, compression="zstd")
            return
        lines = (json.dumps(self.columns.json_row(row), ensure_ascii=False, default=str) + "\n" for row in rows)
        with self.fs.open_output_stream(path) as stream:
            stream.write("".join(lines).encode("utf-8"))

    def write_text(self, path: str, text: str) -> None:
        with self.fs.open_output_stream(path) as stream:
            stream.write(text.encode("utf-8"))

    def write_partitions(self, base: str, manifest: dict, written: dict[Partition, list[dict]]) -> None:
        """Write the rewritten partitions' files under `base`."""
        for partition, rows in written.items():
            path = partition_path(partition)
            self.prepare_folder(f"{base}/{path}")
            self.write_file(f"{base}/{path}/{manifest['partitions'][path]['file']}", rows, manifest["format"])

    def data_folder(self, generation: int) -> str:
        """The folder of a generation's data files, relative to the dataset (apart from the card and manifest,
        which readers of a whole folder would take for data files)."""
        return "data"

    def prepare_folder(self, path: str) -> None:
        """Make a folder for files (object stores need none)."""

    @contextmanager
    def locked(self) -> Iterator[None]:
        yield

    def recover(self) -> None:
        """Tidy what an interrupted run left."""

    def commit(self, old: dict | None, new: dict, written: dict[Partition, list[dict]], card: str) -> None:
        raise NotImplementedError


class LocalStore(Store):
    def __init__(self, folder: Path, columns: Columns, location: str = ""):
        folder = folder.absolute()
        super().__init__(pafs.LocalFileSystem(), str(folder), location or str(folder), columns)
        self.folder = folder
        self.old = folder.with_name(folder.name + ".old")

    def prepare_folder(self, path: str) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        lock = RunLock(self.folder.with_name(self.folder.name + ".lock"))
        lock.acquire()  # AlreadyRunning: another `scrapy dataset` writes this folder
        try:
            yield
        finally:
            lock.release()

    def recover(self) -> None:
        if self.old.exists():
            if self.folder.exists():
                shutil.rmtree(self.old)  # interrupted while removing the old dataset
            else:
                os.rename(self.old, self.folder)  # interrupted between the renames: the old one is current
        for stale in self.folder.parent.glob(f"{self.folder.name}.tmp-*"):
            shutil.rmtree(stale)  # a dataset half written by an interrupted run

    def commit(self, old: dict | None, new: dict, written: dict[Partition, list[dict]], card: str) -> None:
        temporary = self.folder.with_name(f"{self.folder.name}.tmp-{os.getpid()}")
        base = temporary / new["data"]
        base.mkdir(parents=True)
        for path, entry in new["partitions"].items():
            if partition_from_path(f"{path}/x") not in written:  # unchanged: the same file, linked
                assert old is not None
                self.prepare_folder(f"{base}/{path}")
                linked_or_copied(Path(self.data_root(old), path, entry["file"]), base / path / entry["file"])
        self.write_partitions(str(base), new, written)
        self.write_text(f"{temporary}/{CARD}", card)
        self.write_text(f"{temporary}/{MANIFEST}", manifest_text(new))
        synced(temporary)
        if self.folder.exists():
            os.rename(self.folder, self.old)
        os.rename(temporary, self.folder)
        sync_folder(self.folder.parent)
        shutil.rmtree(self.old, ignore_errors=True)


def iso(value):
    """A timestamp as ISO text; any other value as it is."""
    return value.isoformat() if isinstance(value, datetime) else value


def linked_or_copied(source: Path, target: Path) -> None:
    """A hard link to an unchanged file (no copy: the dataset's files are never changed in place), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def synced(folder: Path) -> None:
    """Make a folder's files durable before it is renamed into place."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with open(path, "rb") as file:
                os.fsync(file.fileno())
        sync_folder(path if path.is_dir() else path.parent)
    sync_folder(folder)


class S3Store(Store):
    def data_folder(self, generation: int) -> str:
        return f"gen-{generation:05d}"

    def commit(self, old: dict | None, new: dict, written: dict[Partition, list[dict]], card: str) -> None:
        base = self.data_root(new)
        if self.fs.get_file_info(base).type != pafs.FileType.NotFound:
            self.fs.delete_dir(base)  # a generation a failed run left half written
        for path, entry in new["partitions"].items():
            if partition_from_path(f"{path}/x") not in written:  # unchanged: copied within S3
                assert old is not None
                self.fs.copy_file(f"{self.data_root(old)}/{path}/{entry['file']}", f"{base}/{path}/{entry['file']}")
        self.write_partitions(base, new, written)
        self.write_text(f"{self.root}/{MANIFEST}", manifest_text(new))  # the commit point
        self.write_text(f"{self.root}/{CARD}", card)
        self.remove_old_generations(keep={new["data"], old.get("data") if old else None})

    def remove_old_generations(self, keep: set) -> None:
        for info in self.fs.get_file_info(pafs.FileSelector(self.root, allow_not_found=True)):
            name = info.base_name
            if info.type == pafs.FileType.Directory and name.startswith("gen-") and name not in keep:
                self.fs.delete_dir(info.path)


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def open_store(target: str, columns: Columns) -> Store:
    """The dataset at a local folder or an s3:// URL (credentials and endpoint from the AWS_* environment)."""
    if target.startswith("s3://"):
        filesystem, root = pafs.FileSystem.from_uri(target)
        return S3Store(filesystem, root, target.rstrip("/"), columns)
    return LocalStore(Path(target), columns, location=target)


def now_text(now: datetime) -> str:
    return now.isoformat(timespec="seconds")
