"""Shared test helpers: paths of the fixture sites, a crawler built the way Scrapy builds one, results shared by
the xdist workers of one test run, and the `subprocess` marker's rules (a test that starts a child process says so:
`pytest -m "not subprocess"` is the fast run)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.extension import ExtensionManager
from scrapy.utils.test import get_crawler

from newscrawl.extensions.state import state_of
from newscrawl.items import Article
from newscrawl.spiders.asia import AsiaSpider

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "fixtures" / "sputnik"
FIXTURE_SITES = sorted(path.parent for path in (ROOT / "fixtures").glob("*/site.json"))
"""Every fixture site folder (fixtures/<site>/ with its site.json manifest)."""


def next_second() -> None:
    """Sleep to the start of the next wall-clock second: a run started now is named (`%(time)s`, to the second) after
    every run that ended before this call."""
    time.sleep(1.01 - time.time() % 1)


def project_settings(**overrides) -> dict:
    """Return the project's settings module as a dict, with overrides."""
    from newscrawl import settings

    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return {**values, **overrides}


@pytest.fixture
def make_crawler(tmp_path):
    """Build a crawler with the project settings, its extensions (the state store in tmp_path) and an `asia`
    spider attached, as `scrapy crawl` would."""
    crawlers = []

    def build(spider_kwargs=None, **settings):
        settings.setdefault("NEWSCRAWL_STATE", str(tmp_path / "state.sqlite"))
        crawler = get_crawler(AsiaSpider, project_settings(**settings))
        crawler.extensions = ExtensionManager.from_crawler(crawler)
        crawler.spider = AsiaSpider.from_crawler(crawler, **(spider_kwargs or {}))
        crawlers.append(crawler)
        return crawler

    yield build
    for crawler in crawlers:
        state_of(crawler).close()


def article(**fields) -> Article:
    """A valid article record; tests override the fields they are about."""
    values = {
        "url": "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html",
        "fetched_url": "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html",
        "article_id": "1121000001",
        "publisher": "Sputnik International",
        "section": "asia",
        "headline": "Tokyo Holds Drill",
        "body": "Tokyo held a drill on Friday.",
        "published": "2026-11-27T06:00:00+00:00",
        "published_raw": "2026-11-27T09:00:00+03:00",
        "published_source": "jsonld",
        "extraction": "rules",
        "language": "en",
        "layout": "ria",
        "content_hash": "sha256:" + "a" * 64,
        "crawled_at": "2026-11-28T10:00:00+00:00",
    }
    values.update(fields)
    return Article(**values)


# -- the subprocess marker ----------------------------------------------------------------------------------------

CHILD_PROCESS_FIXTURES = {"redis_server"}
"""Fixtures that start a child process: a test using one (directly or through another fixture) is a subprocess test."""


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    """Mark the tests using a child-process fixture; then order the run so that the long tests start first and the
    many short ones fill the end: the fault sweep (3 to 17 s a case), the other subprocess tests, the rest (a stable
    sort: each group keeps its order). xdist hands the tests out in this order, so no worker is left alone at the
    end with a long one."""
    for item in items:
        if CHILD_PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.subprocess)
    items.sort(key=lambda item: 0 if item.get_closest_marker("faultsweep") else
               1 if item.get_closest_marker("subprocess") else 2)


class _Running:
    """The test running now, when it is not marked `subprocess` (None when it is, and outside tests), and how many
    child processes the tests of this process have started."""

    unmarked: str | None = None
    children = 0


def _refuse_unmarked(what: str) -> None:
    if _Running.unmarked is not None:
        pytest.fail(f"{_Running.unmarked} {what} but is not marked `subprocess`: add @pytest.mark.subprocess (or "
                    'pytestmark = pytest.mark.subprocess), so that `pytest -m "not subprocess"` stays the fast run',
                    pytrace=False)


_execute_child = subprocess.Popen._execute_child


def _checked_execute_child(self, args, *rest, **options):
    _refuse_unmarked(f"starts a child process ({args if isinstance(args, str) else list(args)[:4]})")
    _Running.children += 1
    return _execute_child(self, args, *rest, **options)


subprocess.Popen._execute_child = _checked_execute_child


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Hold every test to its marker: one that starts a child process (setup, call or teardown) must be marked."""
    _Running.unmarked = None if item.get_closest_marker("subprocess") else item.nodeid
    try:
        return (yield)
    finally:
        _Running.unmarked = None


# -- xdist_group -------------------------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)  # before xdist's worker sends the collected ids to the scheduler
def pytest_collection_finish(session):
    """Make `--dist loadgroup` group again: pytest-xdist 3.8 puts a test of `@pytest.mark.xdist_group("name")` in
    group "name" by suffixing `Item._nodeid` with "@name", which pytest 9.2 no longer reads (its node ids are
    structured, in `Item._id`), so every test went on its own and a group's module fixtures ran on every worker
    (pytest-dev/pytest-xdist#1386). This gives the structured id the suffix; a no-op once xdist does it."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    for item in session.items:
        names = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                 for mark in item.iter_markers("xdist_group")}
        suffix = "@" + "_".join(sorted(names))
        node_id = getattr(item, "_id", None)
        if names and not item.nodeid.endswith(suffix) and hasattr(node_id, "parse"):
            item._id = type(node_id).parse(item.nodeid + suffix)


# -- results shared by the xdist workers of one run -----------------------------------------------------------------


def shared_folder(tmp_path_factory, name: str) -> Path:
    """A folder of this test run that every xdist worker sees (the run's own basetemp: never another run's)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # /tmp/pytest-of-<user>/pytest-<n>/popen-gw<k> -> the run's pytest-<n>
    return base / f"shared-{name}"


def shared(tmp_path_factory, name: str, produce: Callable[[Path], object]):
    """`produce(folder)` run once per test run, by whichever xdist worker asks first; the others wait for it and
    read its result (JSON: tuples come back as lists). The folder and what `produce` left in it stay for the run.

    A failed `produce` leaves no result: the next worker to ask runs it again, and fails on its own. A result made
    with child processes is one more reason for the test asking to be marked `subprocess`, whoever made it."""
    folder = shared_folder(tmp_path_factory, name)
    result = folder.with_name(folder.name + ".json")
    with open(folder.with_name(folder.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir(parents=True)
            children = _Running.children
            value = produce(folder)
            made = {"value": value, "children": _Running.children > children}
            result.write_text(json.dumps(made), encoding="utf-8")
        made = json.loads(result.read_text(encoding="utf-8"))
    if made["children"]:
        _refuse_unmarked(f"uses the shared result {name!r}, made by child processes,")
    return made["value"]
