"""`scrapy state` run as a user runs it, against a state file filled through the store's API."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT

from newscrawl.state import Emitted, Pending
from newscrawl.state.sqlite import SQLiteStateStore

pytestmark = pytest.mark.subprocess

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = "2020-01-01T00:00:00+00:00"


def asia_url(n: int) -> str:
    return f"https://sputnikglobe.com/20261127/story-{1121000000 + n}.html"


def seen_at(n: int) -> datetime:
    """When asia article n was first written: n=0 15.5 hours ago, n=15 half an hour ago (off the hour boundaries)."""
    return NOW - timedelta(hours=15 - n, minutes=30)


def state(path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `scrapy state` of the project on the given state file."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "state", *args, "-s", f"NEWSCRAWL_STATE={path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def counts(path: Path) -> dict[str, int]:
    store = SQLiteStateStore(path)
    try:
        return store.counts()
    finally:
        store.close()


@pytest.fixture
def path(tmp_path):
    """A state file: 16 asia articles seen today (the newest twice, v2 now), 2 europe articles seen in 2020."""
    path = tmp_path / "state.sqlite"
    store = SQLiteStateStore(path)
    for n in range(16):
        store.record(Emitted("asia", asia_url(n), str(1121000000 + n), f"sha256:{n}", None, 1, "", seen_at(n).isoformat()))
    store.record(Emitted("asia", asia_url(15), "1121000015", "sha256:new", None, 2, "", NOW.isoformat()))
    store.record(Emitted("europe", "https://sputnikglobe.com/20200101/a-1.html", "1", "sha256:e1", None, 1, "", OLD))
    store.record(Emitted("europe", "https://sputnikglobe.com/20200101/b.html", None, "sha256:e2", None, 1, "", OLD))
    store.close()
    return path


def test_overview_shows_each_spider_with_its_count_and_newest_time(path):
    run = state(path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == f"State in {path}:"
    assert lines[1].split() == ["spider", "articles", "last", "seen"]
    assert [line.split() for line in lines[2:]] == [["asia", "16", NOW.isoformat()], ["europe", "2", OLD]]


def test_a_spider_shows_what_earlier_runs_listed_and_did_not_finish(path):
    store = SQLiteStateStore(path)
    store.add_pending([Pending("asia", asia_url(n), since=NOW.isoformat()) for n in (20, 21)])
    store.close()
    first = state(path, "asia").stdout.splitlines()[0]
    assert first == "asia: 16 articles, 2 URLs listed and not done yet (its next run requests them first)"


def test_a_spider_shows_its_count_then_its_ten_most_recent_entries(path):
    run = state(path, "asia")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "asia: 16 articles"
    assert lines[1].split() == [NOW.isoformat(), "v2", "1121000015", asia_url(15)]
    assert lines[2].split() == [seen_at(14).isoformat(), "v1", "1121000014", asia_url(14)]
    assert [line.split()[3] for line in lines[1:]] == [asia_url(n) for n in range(15, 5, -1)]


def test_recent_shows_as_many_entries_as_asked(path):
    run = state(path, "asia", "--recent", "50")
    assert [line.split()[3] for line in run.stdout.splitlines()[1:]] == [asia_url(n) for n in range(15, -1, -1)]
    europe = state(path, "europe", "--recent", "1").stdout.splitlines()
    assert europe[0] == "europe: 2 articles"
    assert len(europe) == 2


def test_reset_forgets_one_spider_so_its_next_run_emits_everything_again(path):
    run = state(path, "asia", "--reset")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "Forgot 16 articles of asia; its next run emits them again.\n"
    assert counts(path) == {"europe": 2}
    assert state(path, "asia").stdout == "asia: 0 articles\n"


def test_older_than_expires_entries_of_all_spiders(path):
    run = state(path, "--older-than", "90d")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Forgot 2 articles last seen before ")
    assert counts(path) == {"asia": 16}


def test_older_than_for_one_spider_keeps_the_others(path):
    run = state(path, "asia", "--older-than", "12h")
    assert run.stdout.startswith("Forgot 4 articles of asia last seen before ")  # seen 15.5 to 12.5 hours ago
    assert counts(path) == {"asia": 12, "europe": 2}


@pytest.mark.parametrize("args", [["--older-than", "soon"], ["asia", "--older-than", "90x"], ["--older-than", ""]])
def test_a_junk_age_fails_naming_it_and_forgets_nothing(path, args):
    run = state(path, *args)
    assert run.returncode != 0
    assert f"--older-than {args[-1]!r}" in run.stderr
    assert counts(path) == {"asia": 16, "europe": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reset"], "--reset needs a spider name"),
        (["asia", "--reset", "--older-than", "1d"], "--reset and --older-than do not combine"),
        (["asia", "europe", "--reset"], "give at most one spider"),
        (["asia", "--recent", "-1"], "--recent takes a number of entries"),
    ],
)
def test_ambiguous_requests_fail_before_touching_the_state(path, args, message):
    run = state(path, *args)
    assert run.returncode != 0
    assert message in run.stderr
    assert counts(path) == {"asia": 16, "europe": 2}


@pytest.mark.parametrize("args", [[], ["asia"], ["asia", "--reset"], ["--older-than", "1d"]])
def test_a_missing_state_file_is_reported_and_not_created(tmp_path, args):
    path = tmp_path / "data" / "state.sqlite"
    run = state(path, *args)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"No state yet at {path}\n"
    assert not path.parent.exists()
