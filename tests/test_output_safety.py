"""The JSON Lines output under faults: full disks, fixed names, damaged leftovers. Nothing lost, nothing twice,
the state never ahead of the output, and a failure stops the run instead of reporting it healthy."""

from __future__ import annotations

import errno
import json
import random
import sqlite3

import pytest
from conftest import article
from scrapy.exceptions import DropItem, UsageError

from newscrawl.extensions.state import state_of
from newscrawl.pipelines.jsonlines import JsonLinesPipeline, record_line
from newscrawl.recovery import read_leftover

SECOND = "https://sputnikglobe.com/20261127/b-1121000003.html"
THIRD = "https://sputnikglobe.com/20261127/c-1121000004.html"


def second(**fields):
    return article(url=SECOND, fetched_url=SECOND, article_id="1121000003", content_hash="sha256:" + "b" * 64, **fields)


def third():
    return article(url=THIRD, fetched_url=THIRD, article_id="1121000004", content_hash="sha256:" + "c" * 64)


def run(crawler, *items) -> JsonLinesPipeline:
    """Open the writer, pass the items through it, close it: one run."""
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    for item in items:
        pipeline.process_item(item)
    pipeline.close_spider()
    return pipeline


def urls_in(folder) -> list[str]:
    """The URLs of every record line of every finished file in a folder."""
    return [json.loads(line)["url"] for file in sorted(folder.glob("*.jsonl")) for line in file.read_text().splitlines()]


class FullDisk:
    """A file whose writes fail with ENOSPC once `room` bytes are written, after writing what fits (a torn line)."""

    def __init__(self, file, room: int):
        self.file, self.room = file, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.file.write(data[: self.room])
            self.file.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


def test_a_fixed_output_name_is_never_overwritten_by_the_next_run(make_crawler, tmp_path):
    fixed = str(tmp_path / "out" / "asia.jsonl")  # no %(time)s: every run names the same file
    run(make_crawler(NEWSCRAWL_OUTPUT=fixed), article(), second())
    run(make_crawler(NEWSCRAWL_OUTPUT=fixed), third())
    assert sorted(urls_in(tmp_path / "out")) == sorted([article().url, SECOND, THIRD])
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["asia-2.jsonl", "asia.jsonl"]


def test_runs_starting_in_the_same_second_keep_both_files(make_crawler, tmp_path):
    template = str(tmp_path / "%(name)s" / "2026-11-28T10-00-00Z.jsonl")  # what %(time)s gives both
    run(make_crawler(NEWSCRAWL_OUTPUT=template), article())
    pipeline = run(make_crawler(NEWSCRAWL_OUTPUT=template), second())
    assert sorted(urls_in(tmp_path / "asia")) == sorted([article().url, SECOND])
    assert pipeline.crawler.stats.get_value("newscrawl/output").endswith("2026-11-28T10-00-00Z-2.jsonl"), (
        "the summary names the file this run wrote"
    )


def test_an_output_path_that_is_a_directory_is_refused_before_the_crawl(make_crawler, tmp_path):
    (tmp_path / "asia.jsonl").mkdir()
    with pytest.raises(UsageError, match=r"NEWSCRAWL_OUTPUT=.*is a directory"):
        JsonLinesPipeline.from_crawler(make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(name)s.jsonl")))
    assert not list(tmp_path.glob("*.part"))


def test_a_full_disk_stops_the_run_keeps_whole_lines_and_records_only_what_was_written(make_crawler, tmp_path):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(article())
    pipeline.file = FullDisk(pipeline.file, room=100)  # the next record does not fit
    with pytest.raises(DropItem, match="storage_failed"):
        pipeline.process_item(second())
    with pytest.raises(DropItem, match="storage_failed"):
        pipeline.process_item(third())  # nothing more is written once the output failed
    assert "No space left on device" in crawler.stats.get_value("newscrawl/storage_failed")
    pipeline.close_spider()
    assert urls_in(tmp_path) == [article().url], "the torn line was cut back off"
    store = state_of(crawler)
    assert store.find("asia", article().url) and not store.find("asia", SECOND) and not store.find("asia", THIRD)


def test_a_failed_state_write_stops_the_run_and_the_next_run_records_the_line(make_crawler, tmp_path, monkeypatch):
    template = str(tmp_path / "%(time)s.jsonl")
    crawler = make_crawler(NEWSCRAWL_OUTPUT=template)
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(article())
    store = state_of(crawler)

    def full(entry):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "record", full)
    with pytest.raises(DropItem, match="storage_failed"):
        pipeline.process_item(second())
    assert "database or disk is full" in crawler.stats.get_value("newscrawl/storage_failed")
    pipeline.close_spider()
    [left] = tmp_path.glob("*.jsonl.part")  # its last line is in no state: left for the next run
    monkeypatch.undo()

    nxt = make_crawler(NEWSCRAWL_OUTPUT=template)
    run(nxt)
    assert not left.exists() and sorted(urls_in(tmp_path)) == sorted([article().url, SECOND])
    assert state_of(nxt).find("asia", SECOND) is not None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda good: random.Random(8).randbytes(4096), id="random-bytes"),
        pytest.param(lambda good: b"\x00\x9f\xff binary\n", id="binary-line"),
        pytest.param(lambda good: b"{}\n", id="empty-object"),
        pytest.param(lambda good: good + b"\x00\xff garbage\n", id="good-lines-then-garbage"),
        pytest.param(lambda good: b"[1, 2]\n" + good, id="garbage-then-good-lines"),
    ],
)
def test_a_damaged_leftover_is_kept_aside_its_records_recovered_and_the_run_goes_on(make_crawler, tmp_path, damage):
    good = record_line(article()) + record_line(second())
    data = damage(good)
    leftover = tmp_path / "2026-01-01T00-00-00Z.jsonl.part"
    leftover.write_bytes(data)
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    run(crawler, third())
    [aside] = tmp_path.glob("2026-01-01T00-00-00Z.jsonl.part.corrupt-*")
    assert aside.read_bytes() == data, "kept as it was, never deleted"
    recovered = read_leftover(data).records
    assert sorted(urls_in(tmp_path)) == sorted([r["url"] for r in recovered] + [THIRD])
    for record in recovered:  # recorded as written: the next run does not write them again
        assert state_of(crawler).find("asia", record["url"]) is not None
    assert not list(tmp_path.glob("*.part"))


def test_a_torn_last_line_is_cut_without_setting_anything_aside(make_crawler, tmp_path):
    leftover = tmp_path / "2026-01-01T00-00-00Z.jsonl.part"
    leftover.write_bytes(record_line(article()) + record_line(second())[:40])
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl"))
    run(crawler)
    assert urls_in(tmp_path) == [article().url]
    assert not list(tmp_path.glob("*corrupt*"))
    assert crawler.stats.get_value("newscrawl/recovered") == 1


def test_a_recovered_old_version_does_not_move_the_state_back(make_crawler, tmp_path):
    template = str(tmp_path / "%(time)s.jsonl")
    old = article()
    run(make_crawler(NEWSCRAWL_OUTPUT=template), article(version=2, content_hash="sha256:" + "d" * 64))
    (tmp_path / "2026-01-01T00-00-00Z.jsonl.part").write_bytes(record_line(old))  # an older run's leftover
    crawler = make_crawler(NEWSCRAWL_OUTPUT=template)
    run(crawler)
    assert state_of(crawler).find("asia", old.url).version == 2


def test_another_spiders_leftover_in_a_shared_folder_is_left_to_it(make_crawler, tmp_path):
    # one folder for every spider (%(name)s in the file name): europe's interrupted run is not asia's to record
    europe = tmp_path / "europe-2026-01-01T00-00-00Z.jsonl.part"
    europe.write_bytes(record_line(second()))
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(name)s-%(time)s.jsonl"))
    run(crawler, article())
    assert europe.read_bytes() == record_line(second())
    assert state_of(crawler).find("asia", SECOND) is None
