"""Finish the `.part` output files that interrupted runs left: keep every whole record line, lose nothing.

A run writes `<output>.part` and renames it when it ends. One killed (SIGKILL, a power cut), or stopped by a
full disk, leaves its `.part`: whole lines that are records (written articles), maybe a torn last line. A file
damaged otherwise (random bytes, a binary or `{}` line) is copied aside as `<name>.corrupt-<UTC time>`, never
deleted, and its record lines are kept. No Scrapy imports here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PART = ".part"


@dataclass
class Leftover:
    """What a `.part` file holds."""

    records: list[dict] = field(default_factory=list)
    """Its whole lines that are records, in order."""
    good: bytes = b""
    """Those lines' bytes."""
    bad_lines: list[int] = field(default_factory=list)
    """Numbers (1-based) of whole lines that are no record."""
    torn: bool = False
    """It ends with an unterminated line (a write cut short)."""


def is_record(value) -> bool:
    """Tell a JSON value that is an article record as newscrawl writes it.

    >>> is_record({"url": "https://x.test/1.html", "version": 1}), is_record({}), is_record([1])
    (True, False, False)
    """
    return (
        isinstance(value, dict)
        and isinstance(value.get("url"), str)
        and value["url"].startswith(("http://", "https://"))
        and type(value.get("version", 1)) is int
    )


def parse_line(line: bytes) -> dict | None:
    """Return the record a line holds, or None.

    >>> parse_line(b'{"url": "https://x.test/1.html", "version": 2}')["version"], parse_line(b"\\xff\\xfe"), parse_line(b"{}")
    (2, None, None)
    """
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if is_record(value) else None


def read_leftover(data: bytes) -> Leftover:
    """Sort a `.part` file's bytes into record lines, bad lines and a torn end.

    >>> found = read_leftover(b'{"url": "https://x.test/1.html"}\\n{}\\n{"url": "https://x')
    >>> len(found.records), found.bad_lines, found.torn
    (1, [2], True)
    >>> read_leftover(b"\\x00\\xff binary").bad_lines
    [1]
    """
    lines = data.split(b"\n")
    tail = lines.pop()  # what follows the last newline: nothing, when the last write was whole
    found = Leftover(torn=bool(tail))
    if tail and not tail.startswith(b'{"'):
        lines.append(tail)  # not the start of a record cut short: damage, to keep aside
        found.torn = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record = parse_line(line)
        if record is None:
            found.bad_lines.append(number)
        else:
            found.records.append(record)
            found.good += line + b"\n"
    return found


def write_durably(path: Path, data: bytes) -> None:
    """Replace a file's content in one step that survives a crash: a synced temporary file renamed over it."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make renames in a folder durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def set_aside(path: Path, data: bytes, now: datetime | None = None) -> Path:
    """Keep a damaged file's bytes beside it as `<name>.corrupt-<UTC time>`; return that path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H-%M-%SZ")
    aside = unused(path.with_name(f"{path.name}.corrupt-{stamp}"))
    write_durably(aside, data)
    return aside


def unused(path: Path) -> Path:
    """Return the path, or the first free `<stem>-2<suffix>`, `-3`…: no run overwrites another's file.

    >>> unused(Path("/nonexistent/asia.jsonl")).name
    'asia.jsonl'
    """
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def finished_name(partial: Path) -> Path:
    """The name a `.part` file takes when finished, made unique.

    >>> finished_name(Path("/nonexistent/2026-11-28T10-00-00Z.jsonl.part")).name
    '2026-11-28T10-00-00Z.jsonl'
    """
    return unused(partial.with_name(partial.name.removesuffix(PART)))


def finish(partial: Path) -> Path:
    """Give a `.part` file its final (unique) name, durably; return it."""
    final = finished_name(partial)
    os.replace(partial, final)
    sync_folder(final.parent)
    return final
