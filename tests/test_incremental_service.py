"""The incremental service: one place decides, per URL, fetch or skip, which version to write, and what is done."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.processors.datetimes import parse_datetime
from newscrawl.state import Emitted, Pending
from newscrawl.state.incremental import WRITTEN_THIS_RUN, Incremental, StorageFailed
from newscrawl.state.sqlite import SQLiteStateStore

STARTED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
URL = "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html"
OLD_URL = "https://sputniknews.com/20261127/tokyo-drill-1121000001.html"
OTHER = "https://sputnikglobe.com/20261127/seoul-talks-1121000002.html"


def record(url=URL, **fields) -> dict:
    return {"url": url, "fetched_url": url, "article_id": "1121000001", "content_hash": "sha256:a", "modified": None,
            "version": 1, **fields}


@pytest.fixture
def store(tmp_path):
    opened = SQLiteStateStore(tmp_path / "state.sqlite")
    yield opened
    opened.close()


def service(store, started=STARTED, **kwargs) -> Incremental:
    return Incremental(store, "asia", started, rejected_hours=24, **kwargs)


def at(hours: float) -> str:
    return (STARTED + timedelta(hours=hours)).isoformat()


@pytest.mark.parametrize(
    ("state", "lastmod", "reason"),
    [
        # nothing known: fetch
        ([], None, None),
        ([], "junk", None),
        # written before: skip, unless a sitemap says it changed since
        ([("emitted", -5)], None, "already_written"),
        ([("emitted", -5)], "2026-11-28T06:00:00+03:00", "already_written"),
        ([("emitted", -5)], "2026-11-28T09:30:00+03:00", None),
        # rejected lately: skip for NEWSCRAWL_REJECTED_HOURS, unless it changed since
        ([("rejected", "missing_body", -5)], None, "rejected_before"),
        ([("rejected", "missing_body", -5)], "2026-11-28T12:00:00+03:00", None),
        ([("rejected", "missing_body", -48)], None, None),
        # another section's page stays rejected while its sitemap entry is unchanged, however long ago
        ([("rejected", "other_section", -48)], "2026-11-25T12:00:00+03:00", "rejected_before"),
        ([("rejected", "other_section", -48)], None, None),
    ],
)
def test_skip_reason(store, state, lastmod, reason):
    for kind, *values in state:
        if kind == "emitted":
            store.record(Emitted("asia", URL, "sputnik:1121000001", "sha256:a", None, 1, "", at(values[0])))
        else:
            store.reject("asia", URL, values[0], at(values[1]))
    assert service(store).skip_reason(URL, "1121000001", parse_datetime(lastmod)) == reason


def test_the_same_story_under_another_url_is_already_written(store):
    store.record(Emitted("asia", URL, "sputnik:1121000001", "sha256:a", None, 1, "", at(-5)))
    assert service(store).skip_reason(OLD_URL, "1121000001") == "already_written"


def test_what_this_run_wrote_is_no_skip_even_when_the_last_run_ended_in_the_same_second(store):
    # the previous run wrote OTHER in the very second this run starts: still a skip, counted as evidence
    store.record(Emitted("asia", OTHER, "sputnik:1121000002", "sha256:b", None, 1, "", STARTED.isoformat()))
    incremental = service(store)
    assert incremental.skip_reason(URL, "1121000001") is None
    incremental.written(record())
    assert incremental.skip_reason(URL, "1121000001") == WRITTEN_THIS_RUN
    assert incremental.skip_reason(OTHER, "1121000002") == "already_written"


def test_a_written_record_settles_every_url_it_was_listed_under(store):
    incremental = service(store)
    incremental.pending([Pending("asia", OLD_URL), Pending("asia", OTHER)])
    incremental.fetched(OLD_URL, URL)  # the old host answered with a redirect
    incremental.written(record())
    assert [entry.url for entry in store.pending("asia")] == [OTHER]
    assert incremental.claim(record()) is None and incremental.claim(record(content_hash="sha256:z")) == 2


def test_a_rejected_page_is_no_longer_pending(store):
    incremental = service(store)
    incremental.pending([Pending("asia", OLD_URL)])
    incremental.fetched(OLD_URL, URL)
    incremental.rejected(URL, "other_section")
    assert store.pending("asia") == []
    assert store.rejection("asia", OLD_URL).reason == "other_section"


@pytest.mark.parametrize(
    ("reason", "given_up_after"),
    [("http_404", 3), ("RedirectLoop", 3), ("http_503", None), ("http_429", None), ("DownloadTimeoutError", None),
     ("DownloadConnectionRefusedError", None), ("CannotResolveHostError", None)],
)
def test_only_failures_that_say_the_page_is_gone_give_up_on_it(store, reason, given_up_after):
    incremental = service(store)
    incremental.pending([Pending("asia", URL)])
    outcomes = [incremental.failed(URL, reason) for _ in range(5)]
    assert (outcomes.index(True) + 1 if True in outcomes else None) == given_up_after
    assert bool(store.pending("asia")) == (given_up_after is None)


def test_a_store_failure_stops_the_run_once_and_nothing_after_it_goes_through(store, monkeypatch):
    failures = []
    incremental = service(store, on_failure=failures.append)

    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "add_pending", full)
    with pytest.raises(StorageFailed, match="disk is full"):
        incremental.pending([Pending("asia", URL)])
    with pytest.raises(StorageFailed):
        incremental.skip_reason(OTHER)  # a read too: the run is stopping
    with pytest.raises(StorageFailed):
        incremental.written(record())
    assert len(failures) == 1 and store.find("asia", URL) is None
