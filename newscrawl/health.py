"""Named crawl-health checks over a run summary: each returns a problem (exit code, message) or None.

A problem makes `scrapy crawl` exit non-zero, so cron and its mail see a broken run. "Nothing new since
the last run" is healthy: the sources listed articles, all written before.
"""

from __future__ import annotations

from statistics import median

EXIT_OK = 0
EXIT_NO_ARTICLES = 3
EXIT_COVERAGE_DROP = 4
EXIT_DROP_RATE = 5
EXIT_BLOCKED = 6
EXIT_INTERRUPTED = 7
EXIT_UNREACHABLE = 8
EXIT_STORAGE = 9
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later

NORMAL_ENDINGS = ("finished", "limit")
MIN_SAMPLE = 5  # runs writing fewer articles say too little about coverage
MIN_SAMPLE_GAP = 3  # and a fall must miss at least this many values


def check_storage(summary: dict) -> tuple[int, str] | None:
    """The output or the state could not be written (a full disk, a file-size limit): the run stopped. Also a
    feed export (`-o s3://…`, FEEDS) that failed to store its file (newscrawl.extensions.report.feed_failures)."""
    failed = summary.get("storage_failed")
    return (EXIT_STORAGE, f"storage failed: {failed}") if failed else None


def check_unreachable(summary: dict) -> tuple[int, str] | None:
    """No source answered at all: no network, a DNS failure, the site down."""
    if summary["http_status"] or not summary.get("download_errors"):
        return None
    errors = ", ".join(f"{name} {count}" for name, count in sorted(summary["download_errors"].items()))
    return EXIT_UNREACHABLE, f"unreachable: no answer from the site ({errors})"


def check_blocked(summary: dict, blocked_after: int) -> tuple[int, str] | None:
    """A run of 403 answers: the site is refusing us."""
    statuses = summary["http_status"]
    refused, total = statuses.get("403", 0), sum(statuses.values())
    if refused >= blocked_after and refused * 2 >= total:
        return EXIT_BLOCKED, f"blocked: {refused} of {total} answers were 403 Forbidden"
    return None


def check_no_articles(summary: dict) -> tuple[int, str] | None:
    """Nothing written and no sign that the sources listed only articles written before (or that other workers
    of a scaled-out crawl wrote them)."""
    articles, skipped = summary["articles"], summary["skipped"]
    evidence = (
        articles["written"] + articles["unchanged"] + articles["already_written"] + articles["by_other_workers"]
        + articles["recovered"]  # what an interrupted run wrote, finished by this one
    )
    if evidence or skipped.get("older_than_since"):
        return None
    if summary.get("worker") and not summary["http_status"]:
        return None  # a worker of a scaled-out crawl that the others left nothing to fetch
    listed = articles["discovered"]
    return EXIT_NO_ARTICLES, f"no articles: the sources listed {listed} article links and none was written"


def check_drop_rate(summary: dict, max_rate: float) -> tuple[int, str] | None:
    """Too many fetched articles lost to drops and fetch errors."""
    lost = sum(n for reason, n in summary["dropped"].items() if not reason.startswith(("duplicate", "over_limit")))
    fetched = summary["pages"].get("article", 0) + sum(
        n for reason, n in summary["dropped"].items() if reason.startswith("fetch_failed")
    )
    if fetched >= 4 and lost > max_rate * fetched:
        return EXIT_DROP_RATE, f"drop rate: {lost} of {fetched} articles were dropped or failed (limit {max_rate:.0%})"
    return None


def check_coverage(summary: dict, previous: list[dict], drop: float) -> tuple[int, str] | None:
    """A field filled far less often than in the spider's previous runs: likely a layout change."""
    written = summary["articles"]["written"]
    baseline = [run for run in previous if run["articles"]["written"] >= MIN_SAMPLE]
    if written < MIN_SAMPLE or not baseline:
        return None
    fallen = []
    for field in sorted({field for run in baseline for field in run["coverage"]}):
        usual = median(run["coverage"].get(field, 0.0) for run in baseline)
        share = summary["coverage"].get(field, 0.0)
        # small runs vary by chance: also ask for a few missing values, not one or two
        if share < drop * usual and (usual - share) * written >= MIN_SAMPLE_GAP:
            fallen.append(f"{field} {usual:.0%} -> {share:.0%}")
    if fallen:
        return EXIT_COVERAGE_DROP, "coverage fell: " + ", ".join(fallen)
    return None


def check_interrupted(summary: dict) -> tuple[int, str] | None:
    """The run was stopped before it finished (a signal, a shutdown)."""
    reason = summary["finish_reason"]
    if reason in NORMAL_ENDINGS or reason.startswith("closespider_"):
        return None
    return EXIT_INTERRUPTED, f"interrupted: the crawl ended with {reason!r}"


def problems(summary: dict, previous: list[dict], settings) -> list[tuple[int, str]]:
    """Run every check, most fundamental first; the first problem's code is the exit code. A storage failure or
    an unreachable site is the whole story: the drops and the missing articles that follow are not listed."""
    for cause in (check_storage(summary), check_unreachable(summary)):
        if cause:
            return [cause]
    found = [
        check_interrupted(summary),
        check_blocked(summary, settings.getint("NEWSCRAWL_BLOCKED_AFTER")),
        check_no_articles(summary),
        check_drop_rate(summary, settings.getfloat("NEWSCRAWL_MAX_DROP_RATE")),
        check_coverage(summary, previous, settings.getfloat("NEWSCRAWL_COVERAGE_DROP")),
    ]
    return [problem for problem in found if problem]
