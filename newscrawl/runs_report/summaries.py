"""Read the run summaries (`<output>.summary.json`, newscrawl.extensions.report) under a data folder into
checked runs. A file that is not a summary is named with the reason and passed over, never a crash: the page
must still show every other run.

The summaries carry each field's coverage (share of written records with the field filled), so the output
files are not read.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

NO_SITE = "(no site)"
"""Articles a summary counts as written but gives no site for."""


@dataclass(frozen=True)
class Run:
    path: str
    spider: str
    series: str  # what the page groups runs by: the spider, apart for offline (replay) runs
    started: datetime  # UTC
    finish_reason: str
    duration: float | None
    written: int
    sites: dict[str, int]  # site -> articles written
    coverage: dict[str, float]  # field -> share of written records with it filled, empty when none written
    dropped: dict[str, int]
    skipped: dict[str, int]
    responses: dict[str, int]  # HTTP status -> answers; requests without one as "no answer: <exception>"
    exit_code: int | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Malformed:
    path: str
    reason: str


def read_runs(data: Path, spiders: Collection[str] = ()) -> tuple[list[Run], list[Malformed]]:
    """Return the runs under `data` (of `spiders` only, when given) in start order, and the unreadable files."""
    runs, bad = [], []
    for path in sorted(data.rglob("*.summary.json")):
        where = str(path.relative_to(data))
        try:
            run = parse_run(load(path), where)
        except ValueError as error:
            bad.append(Malformed(where, str(error)))
            continue
        if not spiders or run.spider in spiders:
            runs.append(run)
    return sorted(runs, key=lambda run: (run.started, run.path)), bad


def load(path: Path) -> object:
    """The file's JSON, or ValueError saying why not."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"cannot be read: {error}") from None
    except ValueError as error:
        raise ValueError(f"not JSON: {error}") from None


def parse_run(raw: object, path: str = "") -> Run:
    """Check one summary and return its run, or raise ValueError naming the first thing wrong.

    >>> parse_run({"spider": "asia", "started": "2026-11-30T15:36:47+00:00", "articles": {"written": 2}}).sites
    {'(no site)': 2}
    >>> parse_run({"spider": "asia", "articles": {"written": 2}})
    Traceback (most recent call last):
    ...
    ValueError: started is missing or not a date: None
    """
    if not isinstance(raw, dict):
        raise ValueError(f"not a run summary (a JSON {type(raw).__name__}, not an object)")
    spider = raw.get("spider")
    if not isinstance(spider, str) or not spider:
        raise ValueError(f"spider is missing or not a name: {spider!r}")
    articles = mapping(raw.get("articles"), "articles")
    written = count(articles.get("written"), "articles/written")
    sites = {site: count(mapping(n, f"sites/{site}").get("written", 0), f"sites/{site}/written")
             for site, n in mapping(raw.get("sites"), "sites").items()}
    if written > sum(sites.values()):  # older or hand-made summaries: keep the total right
        sites[NO_SITE] = written - sum(sites.values())
    health = mapping(raw.get("health"), "health")
    exit_code = health.get("exit_code")
    problems = health.get("problems") or []
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        raise ValueError(f"health/problems is not a list of messages: {problems!r}")
    no_answer = counts(raw.get("download_errors"), "download_errors")
    return Run(
        path=path,
        spider=spider,
        series=f"{spider} (replay)" if "replay" in Path(path).parts[:-1] else spider,  # data/replay/: fixtures
        started=moment(raw.get("started")),
        finish_reason=str(raw.get("finish_reason") or "?"),
        duration=None if raw.get("duration_seconds") is None else number(raw["duration_seconds"], "duration_seconds"),
        written=written,
        sites=sites,
        coverage={field: share(value, f"coverage/{field}") for field, value in mapping(raw.get("coverage"), "coverage").items()},
        dropped=counts(raw.get("dropped"), "dropped"),
        skipped=counts(raw.get("skipped"), "skipped"),
        responses={**counts(raw.get("http_status"), "http_status"), **{f"no answer: {k}": n for k, n in no_answer.items()}},
        exit_code=None if exit_code is None else count(exit_code, "health/exit_code"),
        problems=tuple(problems),
    )


def mapping(value: object, what: str) -> dict:
    """An object of the summary; missing is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not an object: {value!r:.60}")
    return value


def count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} is not a count: {value!r:.60}")
    return value


def counts(value: object, what: str) -> dict[str, int]:
    return {str(key): count(n, f"{what}/{key}") for key, n in mapping(value, what).items()}


def number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < float("inf"):
        raise ValueError(f"{what} is not a number of seconds: {value!r:.60}")
    return float(value)


def share(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{what} is not a share between 0 and 1: {value!r:.60}")
    return float(value)


def moment(value: object) -> datetime:
    """An ISO 8601 time; one without a zone is taken as UTC, as the summaries write UTC."""
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        raise ValueError(f"started is missing or not a date: {value!r:.60}")
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
