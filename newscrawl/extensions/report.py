"""The end-of-run report: a JSON summary beside the output, a short table in the log, and the exit code.

The summary (`<output>.summary.json`) counts pages, articles new / updated / unchanged / duplicate, drops
and skips by reason, field coverage, HTTP statuses, duration and peak memory; the coverage of the previous
summaries of the same spider is the baseline of the health checks.
"""

from __future__ import annotations

import json
import logging
import resource
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals

from newscrawl import health

logger = logging.getLogger(__name__)


def under(stats: dict, prefix: str) -> dict:
    """Return the stats below a prefix, keyed by the rest of their name."""
    return {key.removeprefix(prefix): value for key, value in stats.items() if key.startswith(prefix)}


def per_site(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """{"sputnik/written": 3} -> {"sputnik": {"written": 3}}: a run over several sites, site by site."""
    sites: dict[str, dict[str, int]] = {}
    for key, number in counts.items():
        site, _, what = key.rpartition("/")
        sites.setdefault(site, {})[what] = number
    return sites


def build_summary(stats: dict, spider: str, reason: str, finished: datetime) -> dict:
    """Turn the crawl's stats into the run summary."""
    ours = under(stats, "newscrawl/")
    written = ours.get("written", 0)
    articles = under(ours, "articles/")
    started = stats.get("start_time") or finished
    return {
        "spider": spider,
        "worker": ours.get("worker"),  # scaled out (newscrawl.scaleout): whose run this is, else null
        "finish_reason": reason,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - started).total_seconds(), 3),
        "output": ours.get("output"),
        "pages": under(ours, "pages/"),
        "articles": {
            "discovered": sum(under(ours, "discovered/").values()),
            "written": written,
            "new": articles.get("new", 0),
            "updated": articles.get("updated", 0),
            "unchanged": articles.get("unchanged", 0),
            "already_written": ours.get("skipped/already_written", 0),
            "duplicate": sum(n for reason, n in under(ours, "dropped/").items() if reason.startswith("duplicate")),
            "recovered": ours.get("recovered", 0),
            # scale-out: what the other workers wrote while this one ran (newscrawl.scaleout)
            "by_other_workers": articles.get("by_other_workers", 0),
        },
        "sites": per_site(under(ours, "sites/")),
        "extraction": under(ours, "extraction/"),
        "dropped": under(ours, "dropped/"),
        "skipped": under(ours, "skipped/"),
        "coverage": {field: round(n / written, 3) for field, n in under(ours, "coverage/").items()} if written else {},
        "http_status": {str(code): n for code, n in under(stats, "downloader/response_status_count/").items()},
        # requests that got no answer at all, by exception (no network, DNS, refused, timeout)
        "download_errors": {
            name.rpartition(".")[2]: n for name, n in under(stats, "downloader/exception_type_count/").items()
        },
        "storage_failed": ours.get("storage_failed") or feed_failures(stats),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def feed_failures(stats: dict | None) -> str | None:
    """Say which of Scrapy's feed exports (`-o`, FEEDS) failed to store their file, or None."""
    failed = under(stats or {}, "feedexport/failed_count/")
    return f"the feed export failed to store {', '.join(f'{n} {kind}' for kind, n in failed.items())}" if failed else None


def summary_path(output: str) -> Path:
    """Where a run's summary goes: beside its output, `<name>.summary.json`."""
    path = Path(output)
    return path.with_name(path.name.removesuffix(path.suffix) + ".summary.json")


def previous_summaries(path: Path, count: int, before: str = "") -> list[dict]:
    """Read the newest earlier summaries beside this one of runs that finished and wrote articles (names sort in
    time order): a run cut short (a signal, `limit`, a failure) wrote a partial sample, no baseline. With `before`,
    only of runs finished by then (scaled out, the other workers of the same run are no baseline). A summary that
    cannot be read is passed over."""
    earlier = [run for p in sorted(path.parent.glob("*.summary.json")) if p != path and (run := read_summary(p))]
    earlier = [run for run in earlier if not before or run.get("finished", "") <= before]
    finished = [run for run in earlier if run.get("finish_reason") == "finished" and run.get("articles", {}).get("written")]
    return finished[-count:] if count else []


def read_summary(path: Path) -> dict | None:
    """Return a run summary, or None (logged) for a file that is not one."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        logger.warning("Passing over the run summary %s: %s", path, error)
        return None
    return summary if isinstance(summary, dict) else None


def fresh_summary_path(output: str) -> Path:
    """Where this run's summary goes: beside its output, under a name no earlier run's summary has (two runs
    in one second that wrote nothing share an output name)."""
    path, number = summary_path(output), 1
    while path.exists():
        number += 1
        stem, dot, suffix = output.rpartition(".")
        path = summary_path(f"{stem}-{number}.{suffix}" if dot else f"{output}-{number}")
    return path


def table(summary: dict) -> str:
    """Render the summary's main figures as a few log lines."""
    articles = summary["articles"]
    rows = [
        ("articles", ", ".join(f"{k} {v}" for k, v in articles.items() if v)),
        ("pages", ", ".join(f"{k} {v}" for k, v in sorted(summary["pages"].items()))),
        ("body by", ", ".join(f"{k} {v}" for k, v in sorted(summary["extraction"].items())) or "none"),
        ("dropped", ", ".join(f"{k} {v}" for k, v in sorted(summary["dropped"].items())) or "none"),
        ("skipped", ", ".join(f"{k} {v}" for k, v in sorted(summary["skipped"].items())) or "none"),
        ("http", ", ".join(f"{k}: {v}" for k, v in sorted(summary["http_status"].items()))),
        ("time", f"{summary['duration_seconds']} s, peak memory {summary['peak_memory_mb']} MB"),
        ("health", "; ".join(summary["health"]["problems"]) or "ok"),
    ]
    return "\n".join(f"  {name:<9} {value}" for name, value in rows)


class RunReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.closed: tuple[str, str] | None = None
        """(spider, reason) once the spider closed and the report was made."""
        self.reported: dict | None = None
        self.path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.feed_slot_closed, signal=signals.feed_slot_closed)
        return extension

    def spider_closed(self, spider, reason):
        self.closed = (spider.name, reason)
        self.report(spider.name, reason)

    def feed_slot_closed(self, slot):
        """Scrapy stores the feed exports (`-o s3://…`) while the spider_closed handlers run, this report's among
        them: a store that failed after the report was made turns it into a storage failure (exit 9)."""
        already_failed = self.reported is None or self.reported.get("storage_failed")
        if self.closed and not already_failed and feed_failures(self.crawler.stats.get_stats()):
            self.report(*self.closed)

    def report(self, spider_name: str, reason: str) -> None:
        stats, settings = self.crawler.stats, self.crawler.settings
        summary = build_summary(stats.get_stats(), spider_name, reason, datetime.now(UTC))
        if self.path is None and summary["output"]:
            self.path = fresh_summary_path(summary["output"])
        path = self.path  # a report made again (a feed failed late) replaces the first one
        history = settings.getint("NEWSCRAWL_COVERAGE_HISTORY")
        previous = previous_summaries(path, history, before=summary["started"]) if path else []
        found = health.problems(summary, previous, settings)
        summary["health"] = {"exit_code": found[0][0] if found else health.EXIT_OK, "problems": [m for _, m in found]}
        stats.set_value("newscrawl/exit_code", summary["health"]["exit_code"])
        if path:
            try:
                path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
            except OSError as error:
                logger.error("The run summary %s could not be written: %s", path, error)
                if not found:
                    stats.set_value("newscrawl/exit_code", health.EXIT_STORAGE)
        self.reported = summary
        level = logging.ERROR if found else logging.INFO
        where = f", summary in {path}" if path else ""
        logger.log(level, "newscrawl run of %s (%s)%s:\n%s", spider_name, reason, where, table(summary))
