"""The persistent state: what each spider emitted, found again by URL or id, versioned, reset and expired."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ROOT

from newscrawl.state import Emitted, Pending, Rejected, StateUnavailable, next_version, open_state
from newscrawl.state.sqlite import SQLiteStateStore

URL = "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html"
MOVED_URL = "https://sputnikglobe.com/20261127/tokyo-holds-drill-1121000001.html"
OTHER_URL = "https://sputnikglobe.com/20261127/seoul-talks-1121000002.html"
T1, T2, T3 = "2026-11-27T10:00:00+00:00", "2026-11-28T10:00:00+00:00", "2026-11-29T10:00:00+00:00"


def emit(store, spider="asia", **fields):
    """Record an emission; tests give the fields they are about."""
    values = {"url": URL, "article_id": "1121000001", "content_hash": "sha256:a", "modified": None, "version": 1}
    values = {**values, "at": T1, **fields}
    at = values.pop("at")
    store.record(Emitted(spider, **values, first_seen=at, last_seen=at))


def story(spider="asia", url=URL, article_id="1121000001", content_hash="sha256:a", modified=None) -> Emitted:
    """What `claim` is asked about: a record's identity and content, before it has a version."""
    return Emitted(spider, url, article_id, content_hash, modified, 1, "", "")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "state.sqlite"


@pytest.fixture
def store(path):
    opened = SQLiteStateStore(path)
    yield opened
    opened.close()


def test_a_new_store_creates_its_folder_and_an_inspectable_schema(path, store):
    assert store.counts() == {}
    with closing(sqlite3.connect(path)) as db:  # what a user sees with `sqlite3 data/state.sqlite`
        columns = [row[1] for row in db.execute("PRAGMA table_info(emitted)")]
        rejected = [row[1] for row in db.execute("PRAGMA table_info(rejected)")]
        pending = [row[1] for row in db.execute("PRAGMA table_info(pending)")]
        assert db.execute("PRAGMA user_version").fetchone() == (5,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert columns == ["spider", "url", "article_id", "content_hash", "modified", "version", "first_seen", "last_seen"]
    assert rejected == ["spider", "url", "reason", "at"]
    assert pending == ["spider", "url", "kind", "source", "page", "check_section", "since", "attempts"]
    assert store.db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL: a recorded article survives a power cut


def test_find_by_url_or_by_article_id_within_one_spider(store):
    emit(store)
    expected = Emitted("asia", URL, "1121000001", "sha256:a", None, 1, T1, T1)
    assert store.find("asia", url=URL) == expected
    assert store.find("asia", article_id="1121000001") == expected
    assert store.find("asia", url=MOVED_URL, article_id="1121000001") == expected
    assert store.find("europe", url=URL) is None
    assert store.find("asia", url=OTHER_URL, article_id="1121000002") is None
    assert store.find("asia") is None


def test_an_update_found_by_id_moves_the_entry_to_the_new_url(store):
    emit(store, at=T1)
    emit(store, url=MOVED_URL, content_hash="sha256:b", version=2, at=T2)
    assert store.counts() == {"asia": 1}
    assert store.find("asia", url=URL) is None
    assert store.find("asia", url=MOVED_URL) == Emitted("asia", MOVED_URL, "1121000001", "sha256:b", None, 2, T1, T2)


def test_the_urls_own_entry_wins_over_another_entrys_id(store):
    emit(store, url=URL, article_id="1")
    emit(store, url=OTHER_URL, article_id="2")
    assert store.find("asia", url=URL, article_id="2").url == URL
    emit(store, url=URL, article_id="2", version=2, at=T2)  # must not collide with OTHER_URL's row
    assert store.find("asia", url=URL).version == 2
    assert store.find("asia", url=OTHER_URL).version == 1


def test_a_version_without_an_id_keeps_the_known_id(store):
    emit(store)
    emit(store, article_id=None, content_hash="sha256:b", version=2, at=T2)
    emit(store, url=MOVED_URL, content_hash="sha256:c", version=3, at=T3)  # recognized by the kept id
    assert store.counts() == {"asia": 1}
    assert store.find("asia", url=MOVED_URL).version == 3


def test_a_second_run_emits_only_changes_each_as_the_next_version(store):
    runs = [("sha256:a", None), ("sha256:a", None), ("sha256:b", None), ("sha256:b", "2026-11-28T09:00:00+00:00")]
    emitted = []
    for at, (content_hash, modified) in zip([T1, T2, T3, "2026-11-30T10:00:00+00:00"], runs):
        version = next_version(store.find("asia", URL, "1121000001"), content_hash, modified)
        if version is not None:
            emit(store, content_hash=content_hash, modified=modified, version=version, at=at)
            emitted.append(version)
    assert emitted == [1, 2, 3]
    assert store.find("asia", URL).first_seen == T1


def test_times_are_stored_as_utc_text_so_they_order_as_instants(store):
    emit(store, url=URL, at="2026-11-28T12:00:00+03:00")  # 09:00 UTC
    emit(store, url=OTHER_URL, article_id="2", at="2026-11-28T10:00:00Z")
    assert [(e.url, e.last_seen) for e in store.recent("asia")] == [
        (OTHER_URL, "2026-11-28T10:00:00+00:00"),
        (URL, "2026-11-28T09:00:00+00:00"),
    ]


def test_counts_and_recent_per_spider(store):
    for n, at in enumerate([T2, T1, T3]):
        emit(store, url=f"https://sputnikglobe.com/{n}.html", article_id=str(n), at=at)
    emit(store, spider="europe")
    assert store.counts() == {"asia": 3, "europe": 1}
    assert [e.last_seen for e in store.recent("asia")] == [T3, T2, T1]
    assert [e.article_id for e in store.recent("asia", limit=2)] == ["2", "0"]
    assert store.recent("africa") == []


def test_reset_forgets_one_spider_only(store):
    emit(store, url=URL)
    emit(store, url=OTHER_URL, article_id="2")
    emit(store, spider="europe")
    assert store.reset("asia") == 2
    assert store.reset("asia") == 0
    assert store.counts() == {"europe": 1}
    assert store.find("asia", url=URL) is None and store.find("asia", url=OTHER_URL) is None


def test_expire_forgets_entries_last_seen_before_the_cutoff(store):
    emit(store, url=URL, at=T1)
    emit(store, url=OTHER_URL, article_id="2", at=T3)
    emit(store, spider="europe", at=T1)
    cutoff = datetime(2026, 11, 28, 13, 0, tzinfo=timezone(timedelta(hours=3)))  # T2, given in Moscow time
    assert store.expire("asia", cutoff) == 1
    assert store.counts() == {"asia": 1, "europe": 1}
    assert store.expire(None, cutoff) == 1
    assert store.counts() == {"asia": 1}
    assert store.expire(None, datetime.fromisoformat(T3)) == 0  # last seen exactly then: not before


def test_expire_refuses_a_cutoff_without_timezone(store):
    emit(store)
    with pytest.raises(ValueError, match="no timezone"):
        store.expire(None, datetime(2030, 1, 1))
    assert store.counts() == {"asia": 1}


def test_a_failed_record_leaves_the_store_usable(store):
    with pytest.raises(sqlite3.IntegrityError):
        emit(store, url=None, article_id=None)
    emit(store)
    assert store.counts() == {"asia": 1}


def test_reopening_the_file_keeps_everything(path, store):
    emit(store, modified="2026-11-27T09:00:00+00:00")
    emit(store, url=OTHER_URL, article_id=None, content_hash=None, spider="europe", at=T2)
    store.close()
    reopened = SQLiteStateStore(path)
    modified = "2026-11-27T09:00:00+00:00"
    assert reopened.find("asia", URL) == Emitted("asia", URL, "1121000001", "sha256:a", modified, 1, T1, T1)
    assert reopened.find("europe", OTHER_URL) == Emitted("europe", OTHER_URL, None, None, None, 1, T2, T2)
    reopened.close()


def test_two_connections_to_one_file_see_each_others_commits(path, store):
    other = SQLiteStateStore(path)  # e.g. a running crawl and `scrapy state`
    emit(store)
    assert other.find("asia", URL).version == 1
    emit(other, content_hash="sha256:b", version=2, at=T2)
    assert store.find("asia", URL).version == 2
    assert other.reset("asia") == 1
    assert store.counts() == {}
    other.close()


def test_a_writer_waits_for_another_processes_write_instead_of_failing(path, store):
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # e.g. another crawl in the middle of recording
    release = threading.Timer(0.3, other.execute, ["COMMIT"])
    release.start()
    emit(store)
    release.join()
    other.close()
    assert store.counts() == {"asia": 1}


def test_a_file_from_a_newer_schema_is_refused(path, store):
    store.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 6")
    with pytest.raises(RuntimeError, match="state schema 6"):
        SQLiteStateStore(path)


def test_open_state_reads_the_setting_else_uses_data_state_sqlite(tmp_path, monkeypatch):
    chosen = tmp_path / "elsewhere" / "state.sqlite"
    open_state({"NEWSCRAWL_STATE": str(chosen)}).close()
    monkeypatch.chdir(tmp_path)
    open_state({}).close()
    assert chosen.is_file()
    assert (tmp_path / "data" / "state.sqlite").is_file()


@pytest.mark.subprocess
def test_the_state_package_imports_no_scrapy():
    code = "import sys, newscrawl.state.sqlite; print(sorted(m for m in sys.modules if m.split('.')[0] == 'scrapy'))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


EARLIER = Emitted("asia", URL, "1121000001", "sha256:a", "2026-11-27T09:00:00+00:00", 2, T1, T2)
BLANK = Emitted("asia", URL, None, None, None, 1, T1, T1)


@pytest.mark.parametrize(
    ("previous", "content_hash", "modified", "expected"),
    [
        (None, None, None, 1),
        (None, "", "", 1),
        (None, "sha256:a", "2026-11-27T09:00:00+00:00", 1),
        (BLANK, None, None, None),
        (BLANK, "", "", None),  # empty is absent, as stored
        (BLANK, "sha256:a", None, 2),
        (EARLIER, "sha256:a", "2026-11-27T09:00:00+00:00", None),
        (EARLIER, "sha256:b", "2026-11-27T09:00:00+00:00", 3),
        (EARLIER, "sha256:a", "2026-11-28T09:00:00+00:00", 3),
        (EARLIER, "sha256:a", None, 3),
        (EARLIER, None, "2026-11-27T09:00:00+00:00", 3),
    ],
)
def test_next_version(previous, content_hash, modified, expected):
    assert next_version(previous, content_hash, modified) == expected


def test_a_version_3_file_gets_the_index_that_finds_the_newest_entry_of_an_id(path, store):
    emit(store)
    store.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP INDEX emitted_article_id")
        db.execute("CREATE INDEX emitted_article_id ON emitted (spider, article_id)")  # as version 3 made it
        db.execute("PRAGMA user_version = 3")
    upgraded = SQLiteStateStore(path)
    columns = [row[2] for row in upgraded.db.execute("PRAGMA index_info(emitted_article_id)")]
    assert columns == ["spider", "article_id", "last_seen"]
    assert upgraded.find("asia", article_id="sputnik:1121000001").url == URL
    upgraded.close()


def test_a_version_4_file_keeps_each_article_id_within_its_site(path, store):
    emit(store)
    store.close()
    with closing(sqlite3.connect(path)) as db, db:  # as schema 4 kept them: bare ids, equal across sites
        db.execute("INSERT INTO emitted VALUES ('asia', 'https://www.example.com/news/1121000001', '1121000001',"
                    " NULL, NULL, 1, ?, ?)", (T1, T1))
        db.execute("PRAGMA user_version = 4")
    upgraded = SQLiteStateStore(path)
    ids = dict(upgraded.db.execute("SELECT url, article_id FROM emitted"))
    assert ids == {URL: "sputnik:1121000001", "https://www.example.com/news/1121000001": "example.com:1121000001"}
    assert upgraded.find("asia", article_id="sputnik:1121000001").url == URL, "two sites' equal ids stay apart"
    upgraded.close()


def test_a_version_1_file_is_upgraded_and_keeps_its_articles(path, store):
    emit(store)
    store.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE rejected")
        db.execute("DROP TABLE pending")
        db.execute("PRAGMA user_version = 1")
    upgraded = SQLiteStateStore(path)
    assert upgraded.find("asia", url=URL) is not None
    upgraded.reject("asia", OTHER_URL, "missing_body", T2)
    assert upgraded.rejection("asia", OTHER_URL, since=T1).reason == "missing_body"
    upgraded.add_pending([Pending("asia", URL, since=T2)])
    assert [entry.url for entry in upgraded.pending("asia")] == [URL]
    upgraded.close()


def test_rejections_are_per_spider_recent_only_and_renewed(store):
    assert store.rejection("asia", URL, since=T1) is None
    store.reject("asia", URL, "other_section", T1)
    assert store.rejection("asia", URL, since=T1) == Rejected("asia", URL, "other_section", T1)
    assert store.rejection("asia", URL, since=T2) is None, "an old rejection is tried again"
    assert store.rejection("europe", URL, since=T1) is None
    store.reject("asia", URL, "missing_body", T3)
    assert store.rejection("asia", URL, since=T2) == Rejected("asia", URL, "missing_body", T3)


def test_reset_and_expire_forget_rejections_too(store):
    store.reject("asia", URL, "missing_body", T1)
    store.reject("asia", OTHER_URL, "missing_body", T3)
    store.expire("asia", datetime.fromisoformat(T2))
    assert store.rejection("asia", URL, since=T1) is None and store.rejection("asia", OTHER_URL, since=T1)
    store.reset("asia")
    assert store.rejection("asia", OTHER_URL, since=T1) is None


def test_claim_gives_the_version_to_write_and_none_for_the_same_story_unchanged(store):
    assert store.claim(story()) == 1
    emit(store)
    assert store.claim(story()) is None
    assert store.claim(story(url=MOVED_URL)) is None, "the same story under another URL"
    assert store.claim(story(content_hash="sha256:b")) == 2
    assert store.claim(story(spider="europe")) == 1


def test_a_late_record_of_an_older_version_never_moves_an_article_back(store):
    # a .part left by an old interrupted run is recovered after a later run wrote version 2
    emit(store, content_hash="sha256:b", version=2, at=T2)
    emit(store, content_hash="sha256:a", version=1, at=T3)
    assert store.find("asia", URL).version == 2 and store.find("asia", URL).content_hash == "sha256:b"
    assert store.claim(story(content_hash="sha256:b")) is None


def test_pending_urls_stay_until_written_rejected_or_settled_and_keep_their_first_entry(store):
    assert store.pending("asia") == []
    store.add_pending([Pending("asia", URL, since=T1), Pending("asia", OTHER_URL, source="sitemap", check_section=True,
                                                              since=T2)])
    store.add_pending([Pending("asia", URL, source="feed", since=T3)])  # listed again: the first entry stays
    store.add_pending([Pending("europe", URL, since=T1)])
    assert store.pending("asia") == [
        Pending("asia", URL, "article", "listing", 0, False, T1, 0),
        Pending("asia", OTHER_URL, "article", "sitemap", 0, True, T2, 0),
    ]
    assert store.failed_attempt("asia", OTHER_URL) == 1 and store.failed_attempt("asia", OTHER_URL) == 2
    assert store.failed_attempt("asia", "https://sputnikglobe.com/never-listed.html") == 0
    emit(store)  # written
    store.reject("asia", OTHER_URL, "other_section", T2)
    assert store.pending("asia") == []
    assert [entry.url for entry in store.pending("europe")] == [URL]
    store.settle("europe", [URL])
    assert store.pending("europe") == []


def test_listing_pages_are_pending_with_their_position(store):
    more = "https://sputnikglobe.com/services/asia/more.html?id=1&date=20261126T000000"
    store.add_pending([Pending("asia", more, kind="listing", page=3, since=T1)])
    [entry] = store.pending("asia")
    assert (entry.kind, entry.page, entry.check_section) == ("listing", 3, False)


def test_reset_and_expire_forget_pending_urls_too(store):
    store.add_pending([Pending("asia", URL, since=T1), Pending("asia", OTHER_URL, since=T3)])
    store.expire("asia", datetime.fromisoformat(T2))
    assert [entry.url for entry in store.pending("asia")] == [OTHER_URL]
    store.reset("asia")
    assert store.pending("asia") == []


def test_written_since_counts_what_any_process_wrote(store):
    emit(store, url=URL, at=T1)
    emit(store, url=OTHER_URL, article_id="2", at=T3)
    assert store.written_since("asia", T2) == 1 and store.written_since("asia", T1) == 2
    assert store.written_since("europe", T1) == 0


def test_a_state_file_that_is_no_database_is_refused_naming_it_and_the_setting(tmp_path):
    junk = tmp_path / "state.sqlite"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(StateUnavailable, match=f"NEWSCRAWL_STATE={junk} cannot be opened"):
        open_state({"NEWSCRAWL_STATE": str(junk)})
    assert junk.read_bytes() == bytes(range(256)) * 8, "left as it was, for its owner to look at"
