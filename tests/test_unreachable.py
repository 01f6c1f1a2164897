"""A site that accepts connections and never answers: the run ends on its own, within the bound the timeouts set, with
exit 8 ("unreachable"), and writes nothing. (A refused connection is the fault sweep's `unreachable` case.)"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from test_crawl_offline import isolated, scrapy

pytestmark = pytest.mark.subprocess

TIMEOUT = 1
RETRIES = 1
PHASES = 3
"""Discovery requests that wait on one another: robots.txt and the listing and section feed in parallel; the site
feed once the section feed failed; nothing follows when nothing answered."""


@pytest.fixture
def silent_server():
    """A loopback port that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_site_that_never_answers_is_reported_unreachable_within_the_timeouts_bound(silent_server, tmp_path):
    resolve = json.dumps({"sputnikglobe.com": silent_server, "sputniknews.com": silent_server})
    started = time.monotonic()
    run = scrapy("crawl", "asia", "-s", f"NEWSCRAWL_RESOLVE={resolve}", "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}",
                 "-s", f"RETRY_TIMES={RETRIES}", *isolated(tmp_path))
    took = time.monotonic() - started
    assert run.returncode == 8, run.stderr[-3000:]
    assert "unreachable: no answer from the site (DownloadTimeoutError" in run.stderr
    assert not list(tmp_path.glob("*.jsonl*")), "nothing written"
    # the bound the README gives, plus a minute for start-up on a loaded machine: what matters is that it ends
    bound = PHASES * (RETRIES + 1) * TIMEOUT
    assert took < bound + 60, f"took {took:.0f} s; the timeouts bound it at {bound} s"
    # and it did wait for the answers: every source was tried, not given up at once
    assert took >= (RETRIES + 1) * TIMEOUT
