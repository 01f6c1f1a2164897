"""Each URL is asked of the state store once a run: the real `scrapy crawl asia` against the fixture site, with
the store's lookups (`find`, `rejection`) counted per URL, on a first run and on a second run with nothing new."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_crawl_offline import expected_asia_urls
from test_incremental import crawl_args, finished_records

pytestmark = pytest.mark.subprocess

# `scrapy crawl` as the command line runs it, with the SQLite store's lookups counted, written out at exit
COUNTED_CRAWL = """
import atexit, collections, json, os, sys
from newscrawl.state.sqlite import SQLiteStateStore

asked = collections.Counter()

def counting(name):
    lookup = getattr(SQLiteStateStore, name)

    def counted(self, spider, url=None, *args, **kwargs):
        asked[f"{name} {url or args[0]}"] += 1  # by URL, or by article id when asked without one
        return lookup(self, spider, url, *args, **kwargs)

    return counted

for name in ("find", "rejection"):
    setattr(SQLiteStateStore, name, counting(name))
atexit.register(lambda: open(os.environ["COUNTS"], "w").write(json.dumps(asked)))

from scrapy.cmdline import execute
execute(["scrapy", *sys.argv[1:]])
"""


def counted_crawl(workdir: Path, label: str) -> dict[str, int]:
    """Run the crawl with its lookups counted; return how often each was asked."""
    counts = workdir / f"{label}.json"
    command = [sys.executable, "-c", COUNTED_CRAWL, *crawl_args(workdir)[3:]]  # after `python -m scrapy`
    environment = {**os.environ, "COUNTS": str(counts)}
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=environment)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(counts.read_text())


def test_each_url_is_asked_of_the_store_once_a_run_first_and_nothing_new(tmp_path):
    first = counted_crawl(tmp_path, "first")
    written = {record["url"] for record in finished_records(tmp_path)}
    assert written == expected_asia_urls()
    assert {f"find {url}" for url in written} <= set(first), "every written article was looked up"
    assert {key: n for key, n in first.items() if n > 1} == {}

    second = counted_crawl(tmp_path, "second")
    assert {record["url"] for record in finished_records(tmp_path)} == written, "nothing new the second time"
    assert second, "the second run looked its listed URLs up"
    assert {key: n for key, n in second.items() if n > 1} == {}
