"""Rows of the dataset from records: their article, duplicates, the latest version, partitions. Pure functions.

An article is identified as the state and the deduplication identify it within its site: its publisher id
scoped by site (`sputnik:1121133120`, newscrawl.state.scoped_id), else its canonical URL. A version is one
record of it; the same version written twice (by two spiders, or by two scaled-out workers at the one moment
the README's guarantees except) is the same article key, version and content hash: kept once, its first crawl.
The latest version of an article is its highest `version`, then its latest `crawled_at` (two spiders count
versions each on their own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import quote, unquote

from newscrawl.dataset.schema import PARTITIONS, UNKNOWN, utc_timestamp
from newscrawl.state import scoped_id

Partition = tuple[str, str, str]
"""(publisher, section, month) of a row: its folder in the dataset."""


def article_key(record: dict | None) -> str | None:
    """The article a record is a version of, within its site.

    >>> article_key({"url": "https://sputnikglobe.com/20261127/a-1121000001.html", "article_id": "1121000001"})
    'sputnik:1121000001'
    >>> article_key({"url": "https://x.test/a", "article_id": None}), article_key({}), article_key({"url": ""})
    ('https://x.test/a', None, None)
    """
    record = record if isinstance(record, dict) else {}
    return scoped_id(record.get("url"), record.get("article_id")) or record.get("url") or None


def month_of(published: str | None) -> str:
    """The UTC month of a publication time, `YYYY-MM` (UNKNOWN without one).

    >>> month_of("2026-11-30T23:30:00-02:00"), month_of(None), month_of(""), month_of("junk")
    ('2026-12', 'unknown', 'unknown', 'unknown')
    """
    moment = utc_timestamp(published)
    return moment.astimezone(UTC).strftime("%Y-%m") if moment else UNKNOWN


def row_of(record: dict, spider: str) -> dict:
    """A record as a dataset row: with its spider, article key and month; a missing publisher or section is
    UNKNOWN (it names the row's folder)."""
    return {
        **record,
        "publisher": record.get("publisher") or UNKNOWN,
        "section": record.get("section") or UNKNOWN,
        "spider": spider,
        "article_key": article_key(record),
        "month": month_of(record.get("published")),
    }


def partition_of(row: dict) -> Partition:
    """The folder values of a row.

    >>> partition_of({"publisher": "Sputnik International", "section": "asia", "month": "2026-11"})
    ('Sputnik International', 'asia', '2026-11')
    """
    return row["publisher"], row["section"], row["month"]


def partition_path(partition: Partition) -> str:
    """The Hive-style folder of a partition, its values percent-encoded as pyarrow and DuckDB decode them.

    >>> partition_path(("Sputnik International", "asia/pacific", "2026-11"))
    'publisher=Sputnik%20International/section=asia%2Fpacific/month=2026-11'
    """
    return "/".join(f"{name}={quote(value, safe='')}" for name, value in zip(PARTITIONS, partition))


def partition_from_path(path: str) -> Partition:
    """The partition of a data file's path (relative to the data folder); undoes `partition_path`.

    >>> partition_from_path("publisher=Sputnik%20International/section=asia/month=2026-11/part-00001.parquet")
    ('Sputnik International', 'asia', '2026-11')
    >>> partition_from_path("junk.parquet")
    Traceback (most recent call last):
    ...
    ValueError: junk.parquet is not in a publisher=…/section=…/month=… folder
    """
    values = dict(part.split("=", 1) for part in path.split("/")[:-1] if "=" in part)
    if set(values) != set(PARTITIONS):
        raise ValueError(f"{path} is not in a publisher=…/section=…/month=… folder")
    publisher, section, month = (unquote(values[name]) for name in PARTITIONS)
    return publisher, section, month


def version_identity(row: dict) -> tuple:
    """What makes two rows the same version of the same article."""
    return row["article_key"], row.get("version"), row.get("content_hash")


def without_duplicates(rows: Iterable[dict]) -> tuple[list[dict], int]:
    """Each version once (its first crawl); and how many duplicate rows were left out.

    >>> rows = [{"article_key": "k", "version": 1, "content_hash": "h", "crawled_at": t} for t in ("2", "1")]
    >>> kept, dropped = without_duplicates(rows); [row["crawled_at"] for row in kept], dropped
    (['1'], 1)
    >>> without_duplicates([])
    ([], 0)
    """
    first: dict[tuple, dict] = {}
    count = 0
    for row in rows:
        count += 1
        key = version_identity(row)
        if key not in first or (row.get("crawled_at") or "") < (first[key].get("crawled_at") or ""):
            first[key] = row
    return list(first.values()), count - len(first)


def recency(row: dict) -> tuple:
    """Order of the versions of one article: the highest version, then the latest crawl, is the latest."""
    return row.get("version") or 0, row.get("crawled_at") or ""


def mark_latest(rows: Iterable[dict]) -> list[dict]:
    """The rows, each with `is_latest`: true for one row per article.

    >>> rows = [{"article_key": "k", "version": v, "crawled_at": c} for v, c in ((1, "a"), (2, "b"))]
    >>> [(row["version"], row["is_latest"]) for row in mark_latest(rows)]
    [(1, False), (2, True)]
    >>> mark_latest([])
    []
    """
    rows = list(rows)
    latest: dict[str, dict] = {}
    for row in rows:
        key = row["article_key"]
        if key not in latest or recency(row) > recency(latest[key]):
            latest[key] = row
    chosen = {id(row) for row in latest.values()}
    return [{**row, "is_latest": id(row) in chosen} for row in rows]


def consolidated(rows: Iterable[dict], latest_only: bool) -> tuple[list[dict], int]:
    """All versions of the articles, each once and marked `is_latest` (or only the latest with `latest_only`),
    and the number of duplicate rows left out."""
    unique, duplicates = without_duplicates(rows)
    marked = mark_latest(unique)
    return ([row for row in marked if row["is_latest"]] if latest_only else marked), duplicates


def by_partition(rows: Iterable[dict]) -> dict[Partition, list[dict]]:
    """Rows grouped by partition, each group in a stable order (publication, article, version)."""
    groups: dict[Partition, list[dict]] = {}
    for row in rows:
        groups.setdefault(partition_of(row), []).append(row)
    return {
        partition: sorted(group, key=lambda row: (row.get("published") or "", row["article_key"], row.get("version") or 0))
        for partition, group in sorted(groups.items())
    }


def affected_partitions(new_rows: Iterable[dict], index: Iterable[tuple[str, Partition]]) -> set[Partition]:
    """The partitions to rewrite: those the new rows go to, and those holding other versions of their articles
    (whose `is_latest` may change: a version 2 can move to another month when its date was corrected).

    >>> new = [{"article_key": "k", "publisher": "P", "section": "asia", "month": "2026-12"}]
    >>> sorted(affected_partitions(new, [("k", ("P", "asia", "2026-11")), ("j", ("P", "asia", "2026-10"))]))
    [('P', 'asia', '2026-11'), ('P', 'asia', '2026-12')]
    >>> affected_partitions([], [])
    set()
    """
    new_rows = list(new_rows)
    keys = {row["article_key"] for row in new_rows}
    return {partition_of(row) for row in new_rows} | {partition for key, partition in index if key in keys}


FIELD_EMPTY: tuple = (None, "", [], {})


def filled_fields(rows: Iterable[dict], fields: Iterable[str]) -> dict[str, int]:
    """Per field, the number of rows with a non-empty value (None, "", [], {} and an UNKNOWN partition are empty).

    >>> filled_fields([{"a": "x", "b": []}, {"a": None, "b": [1]}, {}], ["a", "b"])
    {'a': 1, 'b': 1}
    >>> filled_fields([{"section": "unknown"}, {"section": "asia"}], ["section"])
    {'section': 1}
    """
    fields = list(fields)
    counts = dict.fromkeys(fields, 0)
    for row in rows:
        for field in fields:
            value = row.get(field)
            if value not in FIELD_EMPTY and not (field in PARTITIONS and value == UNKNOWN):
                counts[field] += 1
    return counts
