"""The named health checks over run summaries, and the summary built from a crawl's stats."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.settings import Settings

from newscrawl import health
from newscrawl import settings as project_settings
from newscrawl.extensions.report import build_summary, fresh_summary_path, previous_summaries, summary_path

SETTINGS = Settings()
SETTINGS.setmodule(project_settings)
FINISHED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def summary_of(**stats) -> dict:
    """A run summary from newscrawl stats given as keyword arguments (slashes as double underscores)."""
    reason = stats.pop("reason", "finished")
    values = {"start_time": FINISHED - timedelta(seconds=3)}
    values.update({key.replace("__", "/"): value for key, value in stats.items()})
    return build_summary(values, "asia", reason, FINISHED)


def codes(summary, previous=()) -> list[int]:
    return [code for code, _ in health.problems(summary, list(previous), SETTINGS)]


def test_an_empty_crawl_is_no_articles():
    assert codes(summary_of()) == [health.EXIT_NO_ARTICLES]


def test_nothing_new_since_the_last_run_is_healthy():
    assert codes(summary_of(newscrawl__skipped__already_written=12)) == []
    assert codes(summary_of(newscrawl__articles__unchanged=2)) == []
    assert codes(summary_of(newscrawl__skipped__older_than_since=6)) == []


def test_articles_listed_but_none_written_is_no_articles():
    summary = summary_of(newscrawl__discovered__listing=6, newscrawl__pages__article=6, newscrawl__dropped__missing_body=6)
    assert codes(summary)[0] == health.EXIT_NO_ARTICLES


def test_drop_rate_above_the_limit():
    healthy = summary_of(newscrawl__written=9, newscrawl__pages__article=10, newscrawl__dropped__missing_body=1)
    broken = summary_of(newscrawl__written=5, newscrawl__pages__article=8, newscrawl__dropped__missing_body=3,
                        **{"newscrawl__dropped__fetch_failed__http_404": 2})
    assert codes(healthy) == [] and codes(broken) == [health.EXIT_DROP_RATE]


def test_duplicates_and_the_limit_are_not_losses():
    summary = summary_of(newscrawl__written=4, newscrawl__pages__article=10, newscrawl__dropped__duplicate_id=3,
                         newscrawl__dropped__over_limit=3)
    assert codes(summary) == []


def test_blocked_by_403s():
    statuses = {f"downloader__response_status_count__{code}": n for code, n in {403: 5, 200: 2}.items()}
    assert health.EXIT_BLOCKED in codes(summary_of(**statuses))
    few = {"downloader__response_status_count__403": 2, "downloader__response_status_count__200": 30}
    assert health.EXIT_BLOCKED not in codes(summary_of(newscrawl__written=5, **few))


def test_coverage_drop_against_the_previous_runs():
    before = [summary_of(newscrawl__written=10, newscrawl__coverage__tags=10, newscrawl__coverage__quotes=4)] * 3
    now = summary_of(newscrawl__written=10, newscrawl__coverage__tags=2, newscrawl__coverage__quotes=3)
    assert codes(now, before) == [health.EXIT_COVERAGE_DROP]
    [(_, message)] = health.problems(now, before, SETTINGS)
    assert message == "coverage fell: tags 100% -> 20%"
    assert codes(now, []) == [], "no history, no baseline"


def test_an_interrupted_run_fails_and_a_limit_does_not():
    assert codes(summary_of(newscrawl__written=3, reason="shutdown")) == [health.EXIT_INTERRUPTED]
    assert codes(summary_of(newscrawl__written=3, reason="limit")) == []


@pytest.mark.parametrize("output", ["data/asia/2026-11-28T10-00-00Z.jsonl", "out.jsonl"])
def test_summary_sits_beside_the_output(output):
    assert summary_path(output).name == output.split("/")[-1].replace(".jsonl", ".summary.json")


def test_previous_summaries_skip_runs_that_wrote_nothing(tmp_path):
    for name, written in [("a", 3), ("b", 0), ("c", 5)]:
        summary = {"finish_reason": "finished", "articles": {"written": written}, "coverage": {}}
        (tmp_path / f"{name}.summary.json").write_text(json.dumps(summary))
    found = previous_summaries(tmp_path / "d.summary.json", 5)
    assert [run["articles"]["written"] for run in found] == [3, 5]


def test_runs_cut_short_are_no_coverage_baseline_and_a_damaged_summary_is_passed_over(tmp_path):
    # an interrupted run wrote a partial sample (the first articles listed): comparing with it cries wolf
    for name, reason in [("a", "finished"), ("b", "shutdown"), ("c", "limit"), ("d", "state_failed")]:
        summary = {"finish_reason": reason, "articles": {"written": 6}, "coverage": {}}
        (tmp_path / f"{name}.summary.json").write_text(json.dumps(summary))
    (tmp_path / "e.summary.json").write_bytes(b"\x00\xff not json")
    found = previous_summaries(tmp_path / "f.summary.json", 5)
    assert [run["finish_reason"] for run in found] == ["finished"]


def test_a_summary_never_overwrites_another_runs(tmp_path):
    output = str(tmp_path / "2026-11-28T10-00-00Z.jsonl")  # two runs in one second that wrote nothing
    assert fresh_summary_path(output).name == "2026-11-28T10-00-00Z.summary.json"
    fresh_summary_path(output).write_text("{}")
    assert fresh_summary_path(output).name == "2026-11-28T10-00-00Z-2.summary.json"


def test_a_failed_output_or_state_write_is_exit_9_whatever_else_the_run_did():
    summary = summary_of(
        reason="state_failed", newscrawl__written=12, newscrawl__storage_failed="The state store s.sqlite failed: disk full"
    )
    assert codes(summary) == [health.EXIT_STORAGE] == [9], "the drops that follow from it are no news"
    assert "disk full" in health.problems(summary, [], SETTINGS)[0][1]
    # a failure while finishing the file, after a normal ending, too
    assert codes(summary_of(newscrawl__written=3, newscrawl__storage_failed="rename failed"))[0] == 9


def test_no_answer_from_any_source_is_unreachable_exit_8_not_no_articles():
    summary = summary_of(**{
        "downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError": 9,
        "downloader/exception_type_count/twisted.internet.error.DNSLookupError": 2,
    })
    [(code, message)] = health.problems(summary, [], SETTINGS)
    assert code == health.EXIT_UNREACHABLE == 8
    assert message == "unreachable: no answer from the site (ConnectionRefusedError 9, DNSLookupError 2)"


def test_some_answers_and_some_network_errors_are_not_unreachable():
    summary = summary_of(**{
        "downloader/response_status_count/200": 3, "newscrawl__written": 1,
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 1,
    })
    assert health.EXIT_UNREACHABLE not in codes(summary)


def test_a_feed_export_that_failed_to_store_its_file_is_a_storage_failure():
    summary = summary_of(newscrawl__written=4, **{"feedexport/failed_count/FileFeedStorage": 1})
    assert codes(summary) == [health.EXIT_STORAGE]
    assert "feed export failed to store 1 FileFeedStorage" in summary["storage_failed"]


def test_a_run_that_only_finished_an_interrupted_runs_file_is_healthy():
    assert codes(summary_of(newscrawl__recovered=16, newscrawl__skipped__already_written=0)) == []


def test_the_summary_counts_each_site_apart():
    stats = {
        "newscrawl/written": 5, "newscrawl/sites/sputnik/discovered": 7, "newscrawl/sites/sputnik/written": 4,
        "newscrawl/sites/guardian/written": 1, "newscrawl/sites/example.com/discovered": 2,
    }
    summary = build_summary(stats, "asia", "finished", datetime(2026, 11, 30, tzinfo=UTC))
    assert summary["sites"] == {
        "sputnik": {"discovered": 7, "written": 4}, "guardian": {"written": 1}, "example.com": {"discovered": 2},
    }
