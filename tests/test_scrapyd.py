"""A Scrapyd deployment: `scrapyd-deploy` builds the egg and uploads it to a real Scrapyd on 127.0.0.1, whose
schedule.json runs `asia` offline on the fixture site.

Scrapyd ignores a job's exit code: listjobs.json and the web pages list a failed run as finished, like a healthy
one, and only Scrapyd's own log says "Process died: exitstatus=N". What a Scrapyd user reads is the run summary
(`health.exit_code`, `health.problems`) and the job log (log_url): the report's table with its health line and the
stats dump's `'newscrawl/exit_code': N`. The test pins both.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from conftest import FIXTURE_SITE, ROOT
from ports import free_port
from test_crawl_offline import expected_asia_urls

from newscrawl.runlock import RunLock

if not (importlib.util.find_spec("scrapyd") and importlib.util.find_spec("scrapyd_client")):
    pytest.skip(
        "scrapyd and scrapyd-client are not installed (`pip install scrapyd==1.6.0 scrapyd-client==2.0.3`)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.subprocess

PROJECT = "newscrawl"  # scrapy.cfg's [deploy] project
CLONE_FILES = ("newscrawl", "scrapy.cfg", "pyproject.toml", "README.md")
"""What of a clean clone the egg is built from (pyproject.toml names README.md); no fixtures, no tests."""
JOB_TIMEOUT = 180  # seconds; generous: a job is a few seconds, but the suite shares 2 cores


@dataclass
class Scrapyd:
    url: str
    home: Path
    log: Path  # Scrapyd's own log: the only place a job's exit status shows

    def get(self, endpoint: str, **params) -> dict:
        with urlopen(f"{self.url}{endpoint}?{urlencode(params)}", timeout=30) as answer:
            return json.load(answer)

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict:
        with urlopen(f"{self.url}{endpoint}", data=urlencode(fields).encode(), timeout=60) as answer:
            reply = json.load(answer)
        assert reply["status"] == "ok", reply
        return reply

    def read(self, path: str) -> str:
        """A file Scrapyd serves (log_url, items_url), read as a Scrapyd user reads it: over HTTP."""
        with urlopen(self.url + path.lstrip("/"), timeout=30) as answer:
            return answer.read().decode("utf-8")

    def lines_of(self, job: str) -> list[str]:
        """Scrapyd's own log lines about a job, and what the job printed to stderr (Scrapyd logs it by pid)."""
        lines = self.log.read_text(encoding="utf-8").splitlines()
        pids = {line.split(" pid=")[1].split()[0] for line in lines if f"job='{job}' pid=" in line}
        return [line for line in lines if f"job='{job}'" in line or any(f"Launcher,{pid}/" in line for pid in pids)]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """A real Scrapyd on a free port of 127.0.0.1, its eggs, logs, items and queues in a tmp folder."""
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\ndbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.2\n"  # the default 5 s between queue polls would dominate the test's time
        "max_proc = 4\n",  # the four jobs below at once
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")}
    env["HOME"] = str(home)  # Scrapyd also reads ~/.scrapyd.conf; and jobs must import newscrawl from the egg only
    log = home / "scrapyd.log"
    with open(log, "w", encoding="utf-8") as output:  # a file: a pipe nobody reads could fill up
        # cwd: Scrapyd reads ./scrapyd.conf (and its job runner does too, to find the eggs)
        server = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    service = Scrapyd(f"http://127.0.0.1:{port}/", home, log)
    deadline = time.monotonic() + 30
    while True:
        try:
            if service.get("daemonstatus.json")["status"] == "ok":
                break
        except OSError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
        time.sleep(0.1)
    yield service
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def deployed(scrapyd, tmp_path_factory) -> tuple[dict, Path]:
    """Run `scrapyd-deploy` in a copy of the files a clone builds its egg from; return Scrapyd's answer and the copy.

    scrapyd-deploy writes setup.py, build/ and newscrawl.egg-info/ beside scrapy.cfg: in the copy, not the repo.
    """
    clone = tmp_path_factory.mktemp("clone")
    for name in CLONE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, clone / name)
    config = clone / "scrapy.cfg"
    config.write_text(config.read_text(encoding="utf-8") + f"\n[deploy:test]\nurl = {scrapyd.url}\n", encoding="utf-8")
    # the scrapyd-deploy command's own code, in this Python
    run = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "test"], cwd=clone, capture_output=True, text=True, timeout=180
    )
    # scrapyd-deploy exits 0 when Scrapyd answers an error (a broken egg): its answer says
    assert run.returncode == 0 and '"status": "ok"' in run.stdout, run.stdout + run.stderr
    return json.loads(run.stdout), clone


@dataclass
class Job:
    id: str
    folder: Path  # where its output, summary, state and lock go
    listed: dict  # its entry in listjobs.json's finished jobs
    log: str  # the job log (log_url)
    service: list[str]  # Scrapyd's own log lines about it

    def summary(self) -> dict:
        return json.loads((self.folder / "asia.summary.json").read_text(encoding="utf-8"))


def schedule(scrapyd: Scrapyd, job: str, folder: Path, site: Path, **arguments: str) -> str:
    """schedule.json for `asia`, offline on a fixture site, its files in folder (the egg holds no fixtures, and the
    default relative paths would land in Scrapyd's working folder)."""
    settings = {
        "NEWSCRAWL_REPLAY": site,
        "NEWSCRAWL_OUTPUT": folder / "%(name)s.jsonl",
        "NEWSCRAWL_STATE": folder / "state.sqlite",
        "NEWSCRAWL_LOCK": folder / "%(name)s.lock",
    }
    fields = [("project", PROJECT), ("spider", "asia"), ("jobid", job)]
    fields += [("setting", f"{name}={value}") for name, value in settings.items()]
    fields += list(arguments.items())  # spider arguments: `-a name=value`, beside Scrapyd's own `-a _job=…`
    return scrapyd.post("schedule.json", fields)["jobid"]


def finished(scrapyd: Scrapyd, job: str) -> dict:
    """Poll listjobs.json until the job is among the finished ones; return its entry."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        done = [entry for entry in scrapyd.get("listjobs.json", project=PROJECT)["finished"] if entry["id"] == job]
        if done:
            return done[0]
        assert time.monotonic() < deadline, f"job {job} did not finish: {scrapyd.lines_of(job)}"
        time.sleep(0.25)


@pytest.fixture(scope="module")
def jobs(scrapyd, deployed, tmp_path_factory) -> dict[str, Job]:
    """Four runs scheduled at once (they run side by side): healthy, no articles, lock held, a mistyped argument."""
    runs = tmp_path_factory.mktemp("runs")
    empty_site = runs / "empty-site"
    empty_site.mkdir()
    (empty_site / "site.json").write_text('{"responses": []}', encoding="utf-8")  # every URL answers 404
    folders = {name: runs / name for name in ("healthy", "no-articles", "locked", "bad-argument")}
    held = RunLock(folders["locked"] / "asia.lock")
    held.acquire()  # as if a run of asia were in progress
    try:
        for name, site, arguments in [
            ("healthy", FIXTURE_SITE, {}),
            ("no-articles", empty_site, {}),
            ("locked", FIXTURE_SITE, {}),
            ("bad-argument", FIXTURE_SITE, {"limt": "2"}),
        ]:
            schedule(scrapyd, name, folders[name], site, **arguments)
        listed = {name: finished(scrapyd, name) for name in folders}
    finally:
        held.release()
    return {
        name: Job(name, folders[name], entry, scrapyd.read(entry["log_url"]), scrapyd.lines_of(name))
        for name, entry in listed.items()
    }


def check_the_egg(scrapyd: Scrapyd, answer: dict, clone: Path) -> None:
    """scrapyd-deploy built the egg from a clean clone (no setup.py committed) and Scrapyd took it."""
    assert answer["project"] == PROJECT and answer["spiders"] >= 1  # Scrapyd listed them with the egg
    # no setup.py is committed: scrapyd-deploy generated one; with pyproject.toml's [project] it names the egg
    assert "Automatically created by: scrapyd-deploy" in (clone / "setup.py").read_text(encoding="utf-8")
    [egg] = (scrapyd.home / "eggs" / PROJECT).glob("*.egg")
    with zipfile.ZipFile(egg) as archive:
        names = archive.namelist()
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "settings = newscrawl.settings" in entry_points, "Scrapyd finds the project's settings through it"
    assert "newscrawl/article.schema.json" in names  # package data, read with importlib.resources from the egg
    assert {name.split("/")[0] for name in names} == {"newscrawl", "EGG-INFO"}, "only the package: no tests, fixtures"


def check_the_healthy_run(scrapyd: Scrapyd, job: Job) -> None:
    """The scheduled run wrote the articles of the offline crawl, once each, and says it is healthy."""
    records = [json.loads(line) for line in (job.folder / "asia.jsonl").read_text(encoding="utf-8").splitlines()]
    urls = [record["url"] for record in records]
    crawl = json.loads((FIXTURE_SITE / "site.json").read_text(encoding="utf-8"))["crawl"]
    assert set(urls) == expected_asia_urls() and len(urls) == crawl["written"]
    assert job.summary()["health"] == {"exit_code": 0, "problems": []}
    assert "  health    ok" in job.log and "'newscrawl/exit_code': 0," in job.log
    assert "Warning" not in job.log, "a deprecation today is a broken crawl after the next upgrade"
    # Scrapyd's items_dir feed (items_url) holds the same records
    items = [json.loads(line)["url"] for line in scrapyd.read(job.listed["items_url"]).splitlines()]
    assert sorted(items) == sorted(urls)
    assert any("Process finished:" in line for line in job.service)
    assert any("'-a', '_job=healthy'" in line for line in job.service), "Scrapyd passes -a _job; the crawl takes it"
    assert (job.folder / "asia.lock").read_text(encoding="utf-8") == "", "the lock was let go"


def check_the_failed_run(job: Job) -> None:
    """Scrapyd lists the run that found no articles as finished; its summary and job log say exit code 3, and why."""
    assert not any("exit" in key or "status" in key for key in job.listed), "listjobs.json has no exit code"
    summary = job.summary()
    assert summary["health"]["exit_code"] == 3
    assert summary["health"]["problems"][0].startswith("no articles:")
    # the job log: the report's error, naming the summary, its health line, and the exit code in the stats dump
    assert f"ERROR: newscrawl run of asia (finished), summary in {job.folder / 'asia.summary.json'}:" in job.log
    assert "  health    no articles: " in job.log
    assert "'newscrawl/exit_code': 3," in job.log
    # the process's exit status reaches Scrapyd (scrapyd.runner -> scrapy.cmdline.execute -> sys.exit), which only logs it
    assert any("Process died: exitstatus=3 " in line for line in job.service)


def check_the_locked_run(job: Job) -> None:
    """A run that finds the spider's lock held exits 75 at once, touching none of the running one's files."""
    assert [path.name for path in job.folder.iterdir()] == ["asia.lock"], "no output, summary or state of its own"
    # it says why on stderr, which Scrapyd copies into its own log, not into the job log
    assert any("scrapy crawl asia: another run is in progress" in line for line in job.service)
    assert any("Process died: exitstatus=75 " in line for line in job.service)


def check_the_mistyped_argument(job: Job) -> None:
    """A mistyped spider argument is refused in the job log (exit 1); Scrapyd's own `-a _job` is not named."""
    [line] = [line for line in job.log.splitlines() if "unknown argument" in line]
    assert "ERROR: scrapy crawl asia: unknown argument -a limt=2; asia takes " in line and "_job" not in line
    assert any("Process died: exitstatus=1 " in line for line in job.service)
    assert not (job.folder / "asia.summary.json").exists()


# One test, not one per check: pytest-xdist's xdist_group does not hold under pytest 9.2 (it renames item._nodeid,
# which pytest 9 no longer reads), so separate tests could land on both workers, each starting its own Scrapyd.
def test_a_scrapyd_deployment_and_what_its_users_read(scrapyd, deployed, jobs):
    check_the_egg(scrapyd, *deployed)
    check_the_healthy_run(scrapyd, jobs["healthy"])
    check_the_failed_run(jobs["no-articles"])
    check_the_locked_run(jobs["locked"])
    check_the_mistyped_argument(jobs["bad-argument"])
