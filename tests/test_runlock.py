"""The per-spider run lock: one holder at a time, and a dead holder's lock taken over."""

import subprocess
import sys

import pytest

from newscrawl.runlock import AlreadyRunning, RunLock


def test_second_holder_is_refused_until_the_first_releases(tmp_path):
    first, second = RunLock(tmp_path / "asia.lock"), RunLock(tmp_path / "asia.lock")
    first.acquire()
    with pytest.raises(AlreadyRunning, match="pid"):
        second.acquire()
    first.release()
    second.acquire()
    assert second.previous_holder is None, "a clean release leaves nothing to take over"
    second.release()


def test_lock_of_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "locks" / "asia.lock"
    script = f"from newscrawl.runlock import RunLock; RunLock({str(path)!r}).acquire(); import os; os._exit(0)"
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path.parent, env={"PYTHONPATH": str(__import__("conftest").ROOT)})
    lock = RunLock(path)
    lock.acquire()
    assert lock.previous_holder and lock.previous_holder.startswith("pid ")
    lock.release()
