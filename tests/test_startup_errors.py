"""`scrapy crawl` that cannot start: a user's mistake is one line on stderr and exit 1, before anything is crawled;
a bug keeps its traceback, printed once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT

from newscrawl.runlock import RunLock

pytestmark = pytest.mark.subprocess

NEVER_RETRIEVED = "exception was never retrieved"

# Item pipelines that fail while the crawler builds them, imported from tmp_path by the crawl
PIPELINES = '''
from scrapy.exceptions import UsageError

from newscrawl.state import StateUnavailable


class Refusing:
    def __init__(self):
        raise UsageError("NEWSCRAWL_X: not a valid value")


class Unavailable:
    def __init__(self):
        raise StateUnavailable("NEWSCRAWL_Y: the state store cannot be opened")


class Broken:
    def __init__(self):
        raise RuntimeError("a bug in a pipeline")
'''


def crawl(tmp_path: Path, *args: str, spider: str = "asia") -> subprocess.CompletedProcess:
    """Run `scrapy crawl` offline with output, state and lock in tmp_path (which is also on the import path)."""
    isolated = {
        "NEWSCRAWL_REPLAY": FIXTURE_SITE,
        "NEWSCRAWL_OUTPUT": tmp_path / "%(name)s.jsonl",
        "NEWSCRAWL_STATE": tmp_path / "state.sqlite",
        "NEWSCRAWL_LOCK": tmp_path / "%(name)s.lock",
    }
    settings = [arg for name, value in isolated.items() for arg in ("-s", f"{name}={value}")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", spider, *settings, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def refused_in_one_line(run: subprocess.CompletedProcess, spider: str = "asia") -> str:
    """Check the run stopped with exit 1, one clear last line and no traceback; return that line."""
    assert run.returncode == 1, run.stderr[-3000:]
    assert "Traceback" not in run.stderr and NEVER_RETRIEVED not in run.stderr, run.stderr[-3000:]
    last = run.stderr.splitlines()[-1]
    assert last.startswith(f"scrapy crawl {spider}: "), run.stderr[-3000:]
    return last


def test_a_mistyped_argument_is_refused_naming_it_and_the_ones_the_spider_takes(tmp_path):
    line = refused_in_one_line(crawl(tmp_path, "-a", "limt=2"))
    assert "limt" in line
    assert all(name in line for name in ("max_pages", "since", "limit"))
    assert not (tmp_path / "asia.jsonl").exists()


def test_the_ccnews_spider_takes_its_own_arguments_too(tmp_path):
    line = refused_in_one_line(crawl(tmp_path, "-a", "regoin=asia", spider="ccnews"), "ccnews")
    assert "regoin" in line and all(name in line for name in ("warc", "region", "since", "limit"))


def test_scrapyd_job_argument_is_accepted(tmp_path):
    run = crawl(tmp_path, "-a", "_job=6487ec79", "-a", "limit=1")
    assert run.returncode == 0, run.stderr[-3000:]
    assert len((tmp_path / "asia.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_an_unknown_spider_is_refused_listing_the_spiders(tmp_path):
    line = refused_in_one_line(crawl(tmp_path, spider="asai"), "asai")
    assert "asai" in line and "asia" in line and "ccnews" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(["-a", "since=100000000d"], "since='100000000d'", id="since-overflow"),
        pytest.param(["-a", "since=yesterday-ish"], "since='yesterday-ish'", id="since-junk"),
        pytest.param(["-a", "max_pages=abc"], "max_pages", id="max-pages-junk"),
        pytest.param(["-s", "NEWSCRAWL_MAX_PAGES=abc"], "'abc'", id="setting-not-a-number"),
        pytest.param(["-s", "NEWSCRAWL_REPLAY=nowhere"], "NEWSCRAWL_REPLAY=nowhere", id="replay-missing"),
        pytest.param(["-s", "NEWSCRAWL_LOCK=%(wrk)s.lock"], "%(wrk)s", id="lock-placeholder"),
        pytest.param(["-s", "ITEM_PIPELINES={\"pipelines_at_startup.Refusing\": 1}"], "NEWSCRAWL_X", id="pipeline"),
        pytest.param(["-s", "ITEM_PIPELINES={\"pipelines_at_startup.Unavailable\": 1}"], "NEWSCRAWL_Y", id="state"),
        pytest.param(["-s", "NEWSCRAWL_STATE=/dev/null/state.sqlite"], "NEWSCRAWL_STATE", id="state-not-openable"),
        pytest.param(["-s", "NEWSCRAWL_OUTPUT=/dev/null/%(name)s.jsonl"], "NEWSCRAWL_OUTPUT", id="output-folder"),
        pytest.param(["-s", "NEWSCRAWL_OUTPUT=%(nme)s.jsonl"], "%(nme)s", id="output-placeholder"),
        pytest.param(["-o", "/tmp:jsonl"], "the feed export target /tmp is a directory", id="feed-target-directory"),
    ],
)
def test_a_startup_error_is_one_line_and_exit_1(tmp_path, args, says):
    (tmp_path / "pipelines_at_startup.py").write_text(PIPELINES, encoding="utf-8")
    line = refused_in_one_line(crawl(tmp_path, *args))
    assert says in line
    assert not (tmp_path / "asia.jsonl").exists()


def test_a_bug_at_startup_keeps_its_traceback_printed_once(tmp_path):
    (tmp_path / "pipelines_at_startup.py").write_text(PIPELINES, encoding="utf-8")
    run = crawl(tmp_path, "-s", "ITEM_PIPELINES={\"pipelines_at_startup.Broken\": 1}")
    assert run.returncode == 1
    assert run.stderr.count("Traceback") == 1 and NEVER_RETRIEVED not in run.stderr, run.stderr[-3000:]
    assert run.stderr.splitlines()[-1] == "RuntimeError: a bug in a pipeline"


def test_a_worker_placeholder_in_the_lock_is_filled(tmp_path):
    run = crawl(tmp_path, "-s", f"NEWSCRAWL_LOCK={tmp_path / '%(name)s-%(worker)s.lock'}", "-s", "NEWSCRAWL_WORKER=w1",
                "-a", "limit=1")
    assert run.returncode == 0, run.stderr[-3000:]
    assert (tmp_path / "asia-w1.lock").exists()


def test_a_held_lock_still_exits_75(tmp_path):
    holder = RunLock(tmp_path / "asia.lock")
    holder.acquire()
    try:
        run = crawl(tmp_path)
    finally:
        holder.release()
    assert run.returncode == 75 and "another run is in progress" in run.stderr.splitlines()[-1]
