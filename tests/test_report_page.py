"""`scrapy report`'s pure parts: reading summaries (bad ones first), the chart helpers and the page, in process.

`summary()` and `write_history()` make summaries shaped like newscrawl.extensions.report's; the browser test
(tests/test_report_browser.py) uses them too.
"""

from __future__ import annotations

import argparse
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from newscrawl.commands.report import Command
from newscrawl.runs_report import svg
from newscrawl.runs_report.page import render
from newscrawl.runs_report.summaries import NO_SITE, Malformed, parse_run, read_runs

STARTED = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
COVERAGE = {"url": 1.0, "headline": 1.0, "body": 1.0, "published": 1.0, "dateline": 0.9, "authors": 0.6, "tags": 0.8}


def summary(started: datetime = STARTED, written: int = 20, **overrides) -> dict:
    """A run summary as the crawl writes it (keys of extensions/report.py's build_summary), with overrides."""
    guardian = written // 3
    base = {
        "spider": "world",
        "worker": None,
        "finish_reason": "finished",
        "started": started.isoformat(timespec="seconds"),
        "finished": (started + timedelta(seconds=42)).isoformat(timespec="seconds"),
        "duration_seconds": 42.5,
        "output": f"data/world/{started:%Y-%m-%dT%H-%M-%SZ}.jsonl",
        "pages": {"listing": 2, "feed": 2, "sitemap": 4, "article": written + 2},
        "articles": {"discovered": written + 5, "written": written, "new": written, "updated": 0, "unchanged": 0,
                     "already_written": 3, "duplicate": 0, "recovered": 0, "by_other_workers": 0},
        "sites": {"sputnik": {"discovered": written, "written": written - guardian},
                  "guardian": {"discovered": 5, "written": guardian}} if written else {},
        "extraction": {"rules": written},
        "dropped": {"missing_body": 2},
        "skipped": {"other_section": 3, "already_written": 3},
        "coverage": dict(COVERAGE) if written else {},
        "http_status": {"200": written + 10, "301": 1},
        "download_errors": {},
        "storage_failed": None,
        "peak_memory_mb": 120.0,
        "health": {"exit_code": 0, "problems": []},
    }
    base.update(overrides)
    return base


def write_history(folder: Path, start: datetime) -> list[dict]:
    """Eight runs of `world`, six hours apart: a layout change at the sixth (dateline 90% -> 5%, authors gone:
    a coverage cliff, exit 4), then a blocked run (403s, nothing written, exit 6). Returns the summaries."""
    runs = []
    for n, written in enumerate([20, 18, 22, 19, 21, 20, 17, 0]):
        run = summary(start + timedelta(hours=6 * n), written, duration_seconds=30.0 + n)
        if n in (5, 6):
            run["coverage"] = {**{k: v for k, v in COVERAGE.items() if k != "authors"}, "dateline": 0.05}
            run["health"] = {"exit_code": 4, "problems": ["coverage fell: dateline 90% -> 5%, authors 60% -> 0%"]}
        if n == 7:
            run["http_status"] = {"200": 2, "403": 6}
            run["health"] = {"exit_code": 6, "problems": ["blocked: 6 of 8 answers were 403 Forbidden"]}
        runs.append(run)
    folder.mkdir(parents=True, exist_ok=True)
    for run in runs:
        name = Path(run["output"]).name.removesuffix(".jsonl")
        (folder / f"{name}.summary.json").write_text(json.dumps(run, indent=2), encoding="utf-8")
    return runs


def without(data: dict, *path: str) -> dict:
    """A deep copy of a summary with one key removed."""
    data = copy.deepcopy(data)
    inner = data
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return data


# --- parse_run: bad input first ------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "error"), [
    (None, "not a run summary (a JSON NoneType"),
    ("", "not a run summary (a JSON str"),
    ([], "not a run summary (a JSON list"),
    (42, "not a run summary"),
    ({}, "spider is missing"),
    (summary(spider=""), "spider is missing"),
    (summary(spider=["asia"]), "spider is missing"),
    (without(summary(), "started"), "started is missing or not a date: None"),
    ({**summary(), "started": "yesterday"}, "started is missing or not a date: 'yesterday'"),
    ({**summary(), "started": 20261120}, "started is missing or not a date"),
    (summary(articles="20"), "articles is not an object"),
    (without(summary(), "articles"), "articles/written is not a count: None"),  # a run's main figure: not made up
    (without(summary(), "articles", "written"), "articles/written is not a count: None"),
    (summary(articles={"written": "20"}), "articles/written is not a count: '20'"),
    (summary(articles={"written": -1}), "articles/written is not a count: -1"),
    (summary(articles={"written": True}), "articles/written is not a count: True"),
    (summary(articles={"written": 2.5}), "articles/written is not a count: 2.5"),
    (summary(sites=["sputnik"]), "sites is not an object"),
    (summary(sites={"sputnik": 3}), "sites/sputnik is not an object"),
    (summary(sites={"sputnik": {"written": None}}), "sites/sputnik/written is not a count"),
    (summary(coverage={"body": 1.5}), "coverage/body is not a share between 0 and 1: 1.5"),
    (summary(coverage={"body": "full"}), "coverage/body is not a share"),
    (summary(coverage={"body": float("nan")}), "coverage/body is not a share"),
    (summary(dropped={"missing_body": None}), "dropped/missing_body is not a count"),
    (summary(skipped=[1, 2]), "skipped is not an object"),
    (summary(http_status={"200": "many"}), "http_status/200 is not a count"),
    (summary(download_errors={"DNSLookupError": -2}), "download_errors/DNSLookupError is not a count"),
    (summary(duration_seconds="fast"), "duration_seconds is not a number of seconds"),
    (summary(duration_seconds=float("inf")), "duration_seconds is not a number of seconds"),
    (summary(health="ok"), "health is not an object"),
    (summary(health={"exit_code": "4"}), "health/exit_code is not a count"),
    (summary(health={"exit_code": 4, "problems": "coverage fell"}), "health/problems is not a list of messages"),
    (summary(health={"exit_code": 4, "problems": [None]}), "health/problems is not a list of messages"),
])
def test_a_bad_summary_is_refused_with_the_reason(raw, error):
    with pytest.raises(ValueError) as refused:
        parse_run(raw)
    assert str(refused.value).startswith(error)


def test_a_long_bad_value_is_cut_short_in_the_reason():
    with pytest.raises(ValueError, match=r"^articles/written is not a count: 'x{59}$"):
        parse_run(summary(articles={"written": "x" * 10_000}))


MINIMAL = {"spider": "asia", "started": "2026-11-20T06:00:00+00:00", "articles": {"written": 0}}


@pytest.mark.parametrize(("raw", "field", "expected"), [
    # the smallest summary: a spider, a start and the articles written; other missing parts are empty
    (MINIMAL, "written", 0),
    (MINIMAL, "exit_code", None),
    (MINIMAL, "duration", None),
    (MINIMAL, "finish_reason", "?"),
    (MINIMAL, "coverage", {}),
    # times: naive ones are UTC (the summaries write UTC), offsets are converted
    ({**MINIMAL, "started": "2026-11-20T06:00:00"}, "started", datetime(2026, 11, 20, 6, tzinfo=UTC)),
    ({**MINIMAL, "started": "2026-11-20T09:00:00+03:00"}, "started", datetime(2026, 11, 20, 6, tzinfo=UTC)),
    # written articles without a site keep the total right
    ({"spider": "asia", "started": "2026-11-20T06:00", "articles": {"written": 4}}, "sites", {NO_SITE: 4}),
    ({"spider": "asia", "started": "2026-11-20T06:00", "articles": {"written": 4},
      "sites": {"sputnik": {"written": 3}}}, "sites", {"sputnik": 3, NO_SITE: 1}),
    (summary(sites={}, articles={"written": 0}), "sites", {}),
    # requests that got no answer are counted beside the statuses
    (summary(http_status={"200": 3}, download_errors={"DNSLookupError": 2}), "responses",
     {"200": 3, "no answer: DNSLookupError": 2}),
    (summary(written=12), "sites", {"sputnik": 8, "guardian": 4}),
    (summary(), "coverage", COVERAGE),
    (summary(health={"exit_code": 4, "problems": ["coverage fell"]}), "problems", ("coverage fell",)),
    (summary(), "series", "world"),
])
def test_a_summary_is_read(raw, field, expected):
    assert getattr(parse_run(raw), field) == expected


@pytest.mark.parametrize(("path", "series"), [
    ("world/2026.summary.json", "world"),
    ("replay/world/2026.summary.json", "world (replay)"),  # offline runs of fixtures: never mixed with live ones
    ("2026.summary.json", "world"),
    ("replay.summary.json", "world"),
])
def test_offline_runs_are_a_series_of_their_own(path, series):
    assert parse_run(summary(), path).series == series


# --- read_runs: a folder of summaries, some broken ------------------------------------------------------------

def test_an_empty_or_summaryless_folder_has_no_runs(tmp_path):
    (tmp_path / "asia").mkdir()
    (tmp_path / "asia" / "2026.jsonl").write_text("{}\n", encoding="utf-8")
    assert read_runs(tmp_path) == ([], [])


def test_broken_summaries_are_named_and_the_rest_read(tmp_path):
    write_history(tmp_path / "world", STARTED)
    broken = {
        "not-json.summary.json": b"{\"spider\": ",
        "empty.summary.json": b"",
        "binary.summary.json": b"\xff\xfe\x00junk",
        "list.summary.json": b"[]",
        "deep.summary.json": b"[" * 100_000,  # json's recursion limit: a RecursionError, not a crash
        "bad-count.summary.json": json.dumps(summary(articles={"written": "x"})).encode(),
    }
    for name, content in broken.items():
        (tmp_path / "world" / name).write_bytes(content)
    (tmp_path / "world" / "folder.summary.json").mkdir()  # a directory named like a summary
    runs, bad = read_runs(tmp_path)
    assert len(runs) == 8 and [run.started for run in runs] == sorted(run.started for run in runs)
    reasons = {item.path: item.reason for item in bad}
    assert set(reasons) == {f"world/{name}" for name in [*broken, "folder.summary.json"]}
    assert reasons["world/not-json.summary.json"].startswith("not JSON")
    assert reasons["world/binary.summary.json"].startswith("cannot be read")
    assert reasons["world/deep.summary.json"].startswith("cannot be read")
    assert reasons["world/folder.summary.json"].startswith("cannot be read")
    assert reasons["world/list.summary.json"].startswith("not a run summary")
    assert reasons["world/bad-count.summary.json"] == "articles/written is not a count: 'x'"


def test_runs_are_chosen_by_spider(tmp_path):
    write_history(tmp_path / "world", STARTED)
    (tmp_path / "asia").mkdir()
    (tmp_path / "asia" / "a.summary.json").write_text(json.dumps(summary(spider="asia")), encoding="utf-8")
    assert {run.spider for run in read_runs(tmp_path, {"asia"})[0]} == {"asia"}
    assert len(read_runs(tmp_path, {"asia", "world"})[0]) == 9
    assert read_runs(tmp_path, {"europe"})[0] == []


# --- the chart helpers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "top"), [(-3, 1), (0, 1), (0.5, 1), (1, 1), (1.1, 2), (3, 5), (7, 10), (10, 10),
                                             (11, 20), (49, 50), (51, 100), (20_001, 50_000)])
def test_nice_top(value, top):
    assert svg.nice_top(value) == top


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (3.0, "3"), (0.94612, "0.9461"), (42.5, "42.5"), (1e6, "1000000")])
def test_fmt(value, text):
    assert svg.fmt(value) == text


def test_bars_escape_names_and_give_each_mark_its_figure():
    chart = svg.bars("<b>title</b>", ["a", "b"], {"<script>": [3, 0], "ok": [1, 2]}, {"<script>": "#000", "ok": "#111"},
                     "x", "y", unit=" s")
    assert "<script>" not in chart and "&lt;script&gt;" in chart and "<b>" not in chart
    assert chart.count('class="mark"') == 3  # a zero draws nothing
    assert "<title>a · &lt;script&gt;: 3 s</title>" in chart and "<title>b · ok: 2 s</title>" in chart


def test_empty_charts_draw_frames_without_marks():
    for chart in (svg.bars("t", [], {}, {}, "x", "y"),
                  svg.lines("t", [], {}, {}, "x", "y", top=1, y_ticks=[0, 1], y_text=str)):
        assert chart.startswith("<svg") and 'class="mark"' not in chart


def test_lines_leave_gaps_for_missing_values():
    chart = svg.lines("t", ["a", "b", "c", "d"], {"f": [1, None, 0.5, 0.5]}, {"f": "#000"}, "x", "y", top=1,
                      y_ticks=[0, 1], y_text=lambda v: f"{v:.0%}")
    [path] = [part for part in chart.split("<path")[1:]]
    assert path.count("M") == 2 and path.count("L") == 1  # the gap starts a new stroke
    assert chart.count("<circle") == 3 and "<title>c · f: 50%</title>" in chart


# --- the page -------------------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def page_of(tmp_path: Path, **options) -> str:
    runs, bad = read_runs(tmp_path)
    return render(runs, bad, data="data", generated=NOW, **options)


def test_no_runs_is_said_on_the_page():
    page = render([], [], data="data", generated=NOW)
    assert "No runs: no run summaries" in page and "<svg" not in page


def test_a_malformed_summary_is_counted_and_named_on_the_page():
    page = render([], [Malformed("asia/<x>.summary.json", "not JSON: Expecting value")], data="data", generated=NOW)
    assert "1 summary could not be read and is left out" in page
    assert "<code>asia/&lt;x&gt;.summary.json</code>: not JSON: Expecting value" in page


def test_the_page_fetches_nothing(tmp_path):
    write_history(tmp_path / "world", STARTED)
    page = page_of(tmp_path)
    for outside in ("<script", "<link", "<img", "src=", "url(", "@import", "href=\"http"):
        assert outside not in page
    assert "Content-Security-Policy\" content=\"default-src 'none'" in page


def test_the_page_shows_every_chart_with_its_figures(tmp_path):
    history = write_history(tmp_path / "world", STARTED)
    page = page_of(tmp_path)
    for kind in ("written-per-day", "written", "coverage", "drops-skips", "responses", "durations", "exit-codes"):
        assert f'data-chart="{kind}"' in page
    assert page.count("<svg") == 7 and 'class="nodata"' not in page
    # the coverage table at the cliff: fields in name order (authors, body, dateline); authors, missing, is 0
    assert "<tr><td>2026-11-21 12:00:00</td><td>0.0%</td><td>100.0%</td><td>5.0%</td>" in page
    assert sum(run["articles"]["written"] for run in history) == 137
    assert "<td>137</td>" in page  # the overview's total


def test_all_zero_charts_say_so_instead_of_drawing_nothing(tmp_path):
    (tmp_path / "asia").mkdir()
    quiet = summary(spider="asia", written=0, dropped={}, skipped={}, duration_seconds=None)
    (tmp_path / "asia" / "a.summary.json").write_text(json.dumps(quiet), encoding="utf-8")
    page = page_of(tmp_path)
    assert "Articles written per run, by site</strong>: Nothing to draw: all zero." in page
    assert "No run wrote articles: no coverage." in page
    assert "Drops and skips per run, by reason</strong>: Nothing to draw" in page
    assert page.count("<svg") == 2  # the requests and the exit code


def test_last_keeps_the_newest_runs(tmp_path):
    write_history(tmp_path / "world", STARTED)
    page = page_of(tmp_path, last=2)
    assert "The last 2 runs, from 2026-11-21 18:00:00 to 2026-11-22 00:00:00." in page


# --- the command, in process ----------------------------------------------------------------------------------

def command_and_parser() -> tuple[Command, argparse.ArgumentParser]:
    """The command as scrapy.cmdline sets it up (settings first: Scrapy's own options read them)."""
    command = Command()
    command.settings = Settings(Command.default_settings)
    parser = argparse.ArgumentParser()
    command.add_options(parser)
    return command, parser


def run_command(*argv: str) -> Command:
    command, parser = command_and_parser()
    command.run([], parser.parse_args(argv))
    return command


def test_the_command_on_an_empty_folder_writes_a_page_saying_so(tmp_path, capsys):
    out = tmp_path / "site" / "report.html"
    command = run_command("--data", str(tmp_path), "--out", str(out))
    assert command.exitcode == 0
    assert capsys.readouterr().out == f"No runs under {tmp_path}; wrote {out} saying so.\n"
    assert "No runs: no run summaries" in out.read_text(encoding="utf-8")
    assert [path.name for path in out.parent.iterdir()] == ["report.html"]  # no .part left


def test_the_command_names_broken_summaries(tmp_path, capsys):
    write_history(tmp_path / "world", STARTED)
    (tmp_path / "world" / "x.summary.json").write_text("junk", encoding="utf-8")
    run_command("--data", str(tmp_path), "--out", str(tmp_path / "r.html"), "--spiders", "world, asia")
    said = capsys.readouterr().out
    assert said == f"Wrote {tmp_path / 'r.html'}: 8 runs of 1 spider. 1 summary could not be read (named on the page).\n"


@pytest.mark.parametrize(("argv", "error"), [
    (["--data", "/nonexistent/newscrawl"], "--data /nonexistent/newscrawl: no such folder"),
    (["--last", "0"], "--last takes a number of runs, not 0"),
])
def test_the_command_refuses_bad_options(argv, error):
    with pytest.raises(UsageError, match=error):
        run_command(*argv)


def test_the_command_takes_no_arguments(tmp_path):
    command, parser = command_and_parser()
    with pytest.raises(UsageError, match="takes options only"):
        command.run(["asia"], parser.parse_args(["--data", str(tmp_path)]))


def test_the_daily_chart_spans_the_last_days_with_empty_days_shown(tmp_path):
    write_history(tmp_path / "world", STARTED)  # 2026-11-20 06:00 to 2026-11-21 24:00: three days
    (tmp_path / "old").mkdir()
    old = summary(datetime(1970, 1, 1, tzinfo=UTC), spider="old")
    (tmp_path / "old" / "a.summary.json").write_text(json.dumps(old), encoding="utf-8")
    page = page_of(tmp_path, last=5)
    days = page.split('data-chart="written-per-day"')[1].split("</figure>")[0]
    assert [line.split("<td>")[1] for line in days.split("<tr>")[2:]] == [
        "2026-11-18</td>", "2026-11-19</td>", "2026-11-20</td>", "2026-11-21</td>", "2026-11-22</td>"]
