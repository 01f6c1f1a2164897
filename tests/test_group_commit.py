"""Durability at the cost of a batch: the JSON Lines writer makes a group of records durable with one fsync of
the output, then records the group in the state with one commit, in that order, never the other way round."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest
from conftest import article
from scrapy.exceptions import DropItem

from newscrawl.extensions.state import incremental_of, state_of
from newscrawl.pipelines import jsonlines
from newscrawl.pipelines.jsonlines import JsonLinesPipeline
from newscrawl.state import Pending


def story(n: int):
    return article(url=f"https://sputnikglobe.com/20261127/story-{n}-{1121000100 + n}.html",
                   fetched_url=f"https://sputnikglobe.com/20261127/story-{n}-{1121000100 + n}.html",
                   article_id=str(1121000100 + n), content_hash=f"sha256:{n:064x}")


def lines_in(folder) -> list[str]:
    """The URLs of the record lines of every output file, finished or not."""
    files = sorted(folder.glob("*.jsonl*"))
    return [json.loads(line)["url"] for file in files for line in file.read_text().splitlines()]


@pytest.fixture
def journal(monkeypatch):
    """What reaches the disk, in order: `fsync` of the output, `commit` of records to the state."""
    events = []
    fsync = os.fsync

    def journaled(descriptor):
        if not stat.S_ISDIR(os.fstat(descriptor).st_mode):  # a folder's sync makes a rename durable
            events.append("fsync")
        fsync(descriptor)

    monkeypatch.setattr(os, "fsync", journaled)
    return events


def writer(crawler, journal) -> JsonLinesPipeline:
    store = state_of(crawler)
    apply = store.apply

    def commit(writes):
        journal.append(f"commit {len(writes.records)}")
        apply(writes)

    store.apply = commit
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def test_a_group_is_synced_once_then_committed_once(make_crawler, tmp_path, journal):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    pipeline = writer(crawler, journal)
    for n in range(5):
        pipeline.process_item(story(n))
    assert len(lines_in(tmp_path)) == 5, "each line is in the file at once"
    assert journal == [] and state_of(crawler).find("asia", story(0).url) is None, "the state waits for the sync"
    pipeline.close_spider()
    assert journal == ["fsync", "commit 5"]
    assert all(state_of(crawler).find("asia", story(n).url) for n in range(5))


def test_a_group_is_committed_within_commit_seconds_while_the_crawl_runs(make_crawler, tmp_path, journal, monkeypatch):
    timers = []
    monkeypatch.setattr(jsonlines, "call_later", lambda delay, call: timers.append((delay, call)) or Timer())
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"), NEWSCRAWL_COMMIT_SECONDS=2.5)
    crawler.crawling = True
    pipeline = writer(crawler, journal)
    pipeline.process_item(story(1))
    pipeline.process_item(story(2))
    [(delay, commit)] = timers  # one timer for the group
    assert delay == 2.5
    commit()  # the time is up
    assert journal == ["fsync", "commit 2"]
    pipeline.process_item(story(3))
    assert len(timers) == 2, "the next group has its own"
    pipeline.close_spider()
    assert journal == ["fsync", "commit 2", "fsync", "commit 1"]


class Timer:
    def cancel(self):
        pass


def test_a_full_group_is_committed_at_once(make_crawler, tmp_path, journal, monkeypatch):
    monkeypatch.setattr(jsonlines, "MAX_GROUP", 3)
    pipeline = writer(make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl")), journal)
    for n in range(7):
        pipeline.process_item(story(n))
    assert journal == ["fsync", "commit 3", "fsync", "commit 3"]
    pipeline.close_spider()
    assert journal[-2:] == ["fsync", "commit 1"]


def test_commit_seconds_0_commits_every_record(make_crawler, tmp_path, journal):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"), NEWSCRAWL_COMMIT_SECONDS=0)
    pipeline = writer(crawler, journal)
    pipeline.process_item(story(1))
    pipeline.process_item(story(2))
    assert journal == ["fsync", "commit 1", "fsync", "commit 1"]
    pipeline.close_spider()


def test_a_run_killed_before_its_group_commit_leaves_whole_lines_the_next_run_records(make_crawler, tmp_path):
    template = str(tmp_path / "%(time)s.jsonl")
    killed = JsonLinesPipeline.from_crawler(make_crawler(NEWSCRAWL_OUTPUT=template))
    killed.open_spider()
    for n in range(3):
        killed.process_item(story(n))
    killed.file.close()  # and no close_spider: the process is gone
    crawler = make_crawler(NEWSCRAWL_OUTPUT=template)
    nxt = JsonLinesPipeline.from_crawler(crawler)
    nxt.open_spider()
    nxt.close_spider()
    assert sorted(lines_in(tmp_path)) == sorted(story(n).url for n in range(3))
    assert crawler.stats.get_value("newscrawl/recovered") == 3
    assert all(state_of(crawler).find("asia", story(n).url) for n in range(3))


def test_a_failed_state_commit_leaves_the_part_for_the_next_run(make_crawler, tmp_path, monkeypatch):
    template = str(tmp_path / "%(time)s.jsonl")
    crawler = make_crawler(NEWSCRAWL_OUTPUT=template)
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(story(1))
    monkeypatch.setattr(state_of(crawler), "apply", lambda writes: (_ for _ in ()).throw(OSError("disk full")))
    pipeline.close_spider()
    assert "disk full" in crawler.stats.get_value("newscrawl/storage_failed")
    [_left] = tmp_path.glob("*.jsonl.part")
    monkeypatch.undo()
    nxt = make_crawler(NEWSCRAWL_OUTPUT=template)
    JsonLinesPipeline.from_crawler(nxt).open_spider()
    assert nxt.stats.get_value("newscrawl/recovered") == 1 and state_of(nxt).find("asia", story(1).url) is not None


def test_a_failed_sync_takes_the_group_off_the_file_and_out_of_the_state(make_crawler, tmp_path, monkeypatch):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"), NEWSCRAWL_COMMIT_SECONDS=0)
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(story(1))  # committed: its own group

    def broken(descriptor):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(DropItem, match="storage_failed"):
        pipeline.process_item(story(2))
    monkeypatch.undo()
    pipeline.close_spider()
    assert "Input/output error" in crawler.stats.get_value("newscrawl/storage_failed")
    assert lines_in(tmp_path) == [story(1).url]
    assert state_of(crawler).find("asia", story(1).url) and not state_of(crawler).find("asia", story(2).url)


def test_listed_urls_are_noted_at_once_and_those_settled_without_a_record_at_the_next_commit(make_crawler, tmp_path):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    incremental = incremental_of(crawler)
    incremental.pending([Pending("asia", story(1).url), Pending("asia", story(2).url)])
    assert len(state_of(crawler).pending("asia")) == 2, "durable before they are requested"
    incremental.done(story(1).url)  # e.g. a listing page read
    pipeline.close_spider()
    assert [entry.url for entry in state_of(crawler).pending("asia")] == [story(2).url]


def test_a_store_many_workers_share_gets_every_record_at_once(make_crawler, tmp_path, journal):
    # scaled out, a worker that dies leaves what it had not recorded to be written again by another
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    state_of(crawler).shared = True  # as the Redis store is
    pipeline = writer(crawler, journal)
    pipeline.process_item(story(1))
    pipeline.process_item(story(2))
    assert journal == ["fsync", "commit 1", "fsync", "commit 1"]
    pipeline.close_spider()
