"""The per-spider run lock: one holder at a time, and a dead holder's lock taken over."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT, project_settings
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from test_crawl_offline import isolated, scrapy

from newscrawl.commands.crawl import lock_path
from newscrawl.runlock import AlreadyRunning, LockUnavailable, RunLock


def test_second_holder_is_refused_until_the_first_releases(tmp_path):
    first, second = RunLock(tmp_path / "asia.lock"), RunLock(tmp_path / "asia.lock")
    first.acquire()
    with pytest.raises(AlreadyRunning, match="pid"):
        second.acquire()
    first.release()
    second.acquire()
    assert second.previous_holder is None, "a clean release leaves nothing to take over"
    second.release()


@pytest.mark.subprocess
def test_lock_of_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "locks" / "asia.lock"
    script = f"from newscrawl.runlock import RunLock; RunLock({str(path)!r}).acquire(); import os; os._exit(0)"
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path.parent, env={"PYTHONPATH": str(ROOT)})
    lock = RunLock(path)
    lock.acquire()
    assert lock.previous_holder and lock.previous_holder.startswith("pid ")
    lock.release()


GARBAGE = b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256)) * 40


def test_a_lock_file_of_binary_bytes_is_taken_over_and_named_on_one_short_line(tmp_path):
    path = tmp_path / "asia.lock"
    path.write_bytes(GARBAGE)
    lock = RunLock(path)
    lock.acquire()
    assert lock.previous_holder and "\n" not in lock.previous_holder and len(lock.previous_holder) <= 80
    assert path.read_text(encoding="utf-8").startswith(f"pid {os.getpid()} since ")
    lock.release()


def test_a_live_holder_of_a_binary_lock_file_still_refuses_the_second_run(tmp_path):
    path = tmp_path / "asia.lock"
    first = RunLock(path)
    first.acquire()
    path.write_bytes(GARBAGE)  # whatever the file says, the kernel's lock decides
    with pytest.raises(AlreadyRunning) as refused:
        RunLock(path).acquire()
    assert "\n" not in str(refused.value) and len(str(refused.value)) < len(str(path)) + 120
    first.release()


@pytest.mark.subprocess
def test_scrapy_crawl_takes_over_a_binary_lock_file(tmp_path):
    (tmp_path / "asia.lock").write_bytes(GARBAGE)
    run = scrapy("crawl", "asia", "-s", "NEWSCRAWL_REPLAY=fixtures/sputnik", *isolated(tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "taking over the lock left by a run that ended" in run.stderr
    assert (tmp_path / "asia.jsonl").read_text(encoding="utf-8").count("\n") > 0


@pytest.mark.subprocess
def test_a_lock_that_cannot_be_opened_is_one_line_and_exit_1_before_the_crawl(tmp_path):
    (tmp_path / "asia.lock").mkdir()  # a directory where the lock file goes
    with pytest.raises(LockUnavailable, match=r"NEWSCRAWL_LOCK=.*asia\.lock cannot be opened"):
        RunLock(tmp_path / "asia.lock").acquire()
    run = scrapy("crawl", "asia", "-s", "NEWSCRAWL_REPLAY=fixtures/sputnik", *isolated(tmp_path))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("scrapy crawl asia: the lock NEWSCRAWL_LOCK=")
    assert not (tmp_path / "asia.jsonl").exists()


REDIS = {"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0"}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"NEWSCRAWL_LOCK": ""}, None),
        ({}, "data/asia.lock"),
        ({"NEWSCRAWL_LOCK": "locks/%(name)s-%(worker)s.lock"}, "locks/asia-.lock"),
        ({"NEWSCRAWL_LOCK": "locks/%(name)s-%(worker)s.lock", "NEWSCRAWL_WORKER": "w1"}, "locks/asia-w1.lock"),
        (REDIS, None),  # an unnamed worker takes no lock
        ({**REDIS, "NEWSCRAWL_WORKER": "w1"}, "data/asia-w1.lock"),
        ({**REDIS, "NEWSCRAWL_WORKER": "w1", "NEWSCRAWL_LOCK": "locks/%(worker)s/%(name)s.lock"}, "locks/w1/asia.lock"),
    ],
)
def test_lock_path(settings, expected):
    assert lock_path(Settings(project_settings(**settings)), "asia") == expected


@pytest.mark.parametrize("template", ["data/%(wrk)s.lock", "data/%(name)d.lock", "data/%(name)s%.lock"])
def test_a_bad_lock_template_is_refused_naming_the_setting(template):
    with pytest.raises(UsageError, match=r"NEWSCRAWL_LOCK=.*it takes %\(name\)s, %\(worker\)s"):
        lock_path(Settings(project_settings(NEWSCRAWL_LOCK=template)), "asia")
