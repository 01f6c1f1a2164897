"""Write the run's records as JSON Lines: UTF-8, one object a line, every field in the item's order.

Crash safety, in this order: a record's line is written and made durable (fsync), and only then is the article
recorded in the state store. Both are done per group of records (a group commit): each line is written at
once, whole, so a killed run leaves whole lines; then the file is fsynced and the group's records committed to
the state in one step, at most NEWSCRAWL_COMMIT_SECONDS after the group's first record (or MAX_GROUP records),
at the end of the run, and before a failure stops it. One fsync and one state commit for many records.

The file grows as `<output>.part`, locked while this run writes it, and takes its final name when the run ends
(a name already taken gets `-2`, `-3`…: no run overwrites another's file). A `.part` left by an interrupted run
is finished by the next run before it crawls (newscrawl.recovery): its record lines are made durable and
recorded, a torn last line is cut off, a damaged file is copied aside first.

A failure to write a line, or to record it, stops the run at once (exit code 9): the failed line is cut back
off the file and the lines before it are committed; when the state failed, the `.part` is left for the next
run to record and finish.
"""

from __future__ import annotations

import glob
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from scrapy.exceptions import CloseSpider, DropItem, UsageError
from scrapy.utils.asyncio import call_later

from newscrawl.extensions.state import incremental_of
from newscrawl.paths import fill
from newscrawl.pipelines import as_record, drop
from newscrawl.recovery import PART, finish, read_leftover, set_aside, write_durably
from newscrawl.runlock import try_lock
from newscrawl.scaleout import worker_id
from newscrawl.sites import site_key
from newscrawl.state.incremental import StorageFailed
from newscrawl.storage import OUTPUT_FAILED, STATE_FAILED, stop_for_storage

# Records committed at once at most, however fast they come: bounds what one state transaction holds.
MAX_GROUP = 1000


def record_line(item) -> bytes:
    """Serialize one record as a JSON line, keys in field order, non-ASCII kept."""
    line = json.dumps(as_record(item), ensure_ascii=False, separators=(", ", ": ")) + "\n"
    return line.encode("utf-8")


def output_path(template: str, spider_name: str, started: datetime, worker: str = "") -> Path:
    """Fill the NEWSCRAWL_OUTPUT template for this run (`%(worker)s`: the worker's name, newscrawl.scaleout)."""
    time = started.strftime("%Y-%m-%dT%H-%M-%SZ")
    return Path(fill("NEWSCRAWL_OUTPUT", template, name=spider_name, time=time, worker=worker))


def leftover_pattern(template: str, spider_name: str) -> str:
    """The glob of the `.part` files this spider's runs write: other spiders' files in a shared folder are theirs.

    >>> leftover_pattern("data/%(name)s/%(time)s-%(worker)s.jsonl", "asia")
    'data/asia/*-*.jsonl.part'
    >>> leftover_pattern("out/[x]/%(name)s.jsonl", "asia")
    'out/[[]x]/asia.jsonl.part'
    """
    literals = re.split(r"%\((?:time|worker)\)s", template)
    return "*".join(glob.escape(fill("NEWSCRAWL_OUTPUT", literal, name=spider_name)) for literal in literals) + PART


class JsonLinesPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.template = crawler.settings.get("NEWSCRAWL_OUTPUT")
        self.fsync = crawler.settings.getbool("NEWSCRAWL_FSYNC")
        self.commit_seconds = crawler.settings.getfloat("NEWSCRAWL_COMMIT_SECONDS")
        self.path: Path | None = None
        """The output file's final name; None without NEWSCRAWL_OUTPUT."""
        self.partial: Path | None = None
        self.file: BinaryIO | None = None
        self.size = 0
        """Bytes of whole lines in the file."""
        self.durable = 0
        """Bytes of those lines made durable and recorded: the file is cut back to them if a sync fails."""
        self.group = 0
        """Records written since the last commit."""
        self.committed = 0
        """Records made durable and recorded."""
        self.timer = None
        """The commit due for the group, while the crawl runs."""
        self.written = 0
        self.failed: str | None = None
        """OUTPUT_FAILED or STATE_FAILED once a write failed: nothing more is written."""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        if pipeline.template:
            # before the crawl starts: a wrong output is a one-line start-up error (exit 1), not a failed run
            started = datetime.now(UTC)
            pipeline.path = output_path(pipeline.template, crawler.spider.name, started, worker_id(crawler.settings))
            if pipeline.path.is_dir():
                raise UsageError(f"NEWSCRAWL_OUTPUT={pipeline.template}: {pipeline.path} is a directory; give a file name")
            try:
                pipeline.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UsageError(f"NEWSCRAWL_OUTPUT={pipeline.template}: cannot create {pipeline.path.parent}: {error}") from None
        return pipeline

    @property
    def spider_name(self) -> str:
        return self.crawler.spider.name

    def open_spider(self):
        incremental = incremental_of(self.crawler)
        if incremental:
            incremental.hold()  # records, and the URLs they settle, wait for their group's commit
            if incremental.store.shared:
                # a worker that dies leaves its unrecorded records to be written again by the one taking over
                # its requests: one at most, as without groups
                self.commit_seconds = 0
        if self.path is None:  # no NEWSCRAWL_OUTPUT
            return
        self.crawler.stats.set_value("newscrawl/output", str(self.path))
        try:
            self.recover_interrupted_runs()
            self.partial = self.path.with_name(self.path.name + PART)
            self.file = open(self.partial, "wb")  # noqa: SIM115 (open for the whole run)
            try_lock(self.file)  # a fresh file: nobody else has it
        except StorageFailed:
            raise CloseSpider(STATE_FAILED) from None  # the state extension said why
        except OSError as error:
            stop_for_storage(self.crawler, OUTPUT_FAILED, f"The output folder {self.path.parent} failed: {error}")
            raise CloseSpider(OUTPUT_FAILED) from None

    def recover_interrupted_runs(self):
        """Finish the .part files that interrupted runs of this spider left (any time, any worker)."""
        for partial in sorted(map(Path, glob.glob(leftover_pattern(self.template, self.spider_name)))):
            with open(partial, "rb") as file:
                if not try_lock(file):
                    continue  # another live run is writing it
                os.fsync(file.fileno())  # a killed run's last lines may be on no disk yet: durable before recorded
                self.recover(partial, file.read())

    def recover(self, partial: Path, data: bytes) -> None:
        """Keep a leftover's record lines (copying a damaged file aside first), record them, finish it."""
        leftover = read_leftover(data)
        logger = self.crawler.spider.logger
        if leftover.bad_lines:
            aside = set_aside(partial, data)
            logger.error(
                "The leftover %s had %d lines that are no records (line %s); kept as %s, its %d whole records "
                "recovered", partial, len(leftover.bad_lines), ", ".join(map(str, leftover.bad_lines[:10])), aside,
                len(leftover.records),
            )
        if leftover.bad_lines or leftover.torn:
            write_durably(partial, leftover.good)  # the state must never be ahead of the output
        incremental = incremental_of(self.crawler)
        if incremental:
            for record in leftover.records:
                incremental.written(record, by_this_run=False)
            incremental.commit()  # the whole file in one step, before it takes its final name
        if leftover.records:
            final = finish(partial)
            self.crawler.stats.inc_value("newscrawl/recovered", len(leftover.records))
            logger.warning("Recovered %d articles written by an interrupted run: %s", len(leftover.records), final.name)
        else:
            partial.unlink()

    def process_item(self, item):
        if self.failed:
            raise drop(self.crawler, "storage_failed", "the run is stopping: the output or state failed")
        limit = getattr(self.crawler.spider, "limit", None)
        if limit and self.written >= limit:
            raise drop(self.crawler, "over_limit")
        record = as_record(item)
        if self.file:
            self.write(self.file, record_line(record))
        incremental = incremental_of(self.crawler)
        if incremental:
            try:
                incremental.written(record)  # held until the group's commit, after the output's sync
            except StorageFailed:
                # the line is in the .part: the next run records it and finishes the file
                self.failed = STATE_FAILED
                raise drop(self.crawler, "storage_failed", "the state failed") from None
        self.group += 1
        if self.group >= MAX_GROUP or self.commit_seconds <= 0:
            self.commit()
        elif self.timer is None and self.crawler.crawling:
            self.timer = call_later(self.commit_seconds, self.commit)
        if self.failed:
            raise drop(self.crawler, "storage_failed", "the output or state failed")
        self.written += 1
        self.count(record)
        return item

    def write(self, file: BinaryIO, line: bytes) -> None:
        """Append one line to the output file, whole; or, when that fails, cut the file back to its whole lines,
        commit them, and stop the run."""
        try:
            file.write(line)  # one write a record: no interleaved partial lines
            file.flush()  # handed to the kernel at once: a killed run leaves it whole
        except OSError as error:
            self.cut_back(self.size)
            self.commit()  # the records before this one stay written
            self.fail(OUTPUT_FAILED, f"The output {self.partial} could not be written: {error}")
            raise DropItem(f"storage_failed: {error}") from None
        self.size += len(line)

    def commit(self) -> None:
        """Make the group's lines durable (fsync), then record the group in the state in one step: the group
        commit. A sync that fails takes the group's lines back off the file, which the state never heard of."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.failed:
            return
        try:
            if self.file and self.group:
                self.file.flush()
                if self.fsync:
                    os.fsync(self.file.fileno())
        except OSError as error:
            self.cut_back(self.durable)
            self.written = self.committed
            incremental = incremental_of(self.crawler)
            if incremental:
                incremental.discard()  # their URLs stay pending: the next run fetches them
            self.fail(OUTPUT_FAILED, f"The output {self.partial} could not be synced: {error}")
            return
        incremental = incremental_of(self.crawler)
        try:
            if incremental:
                incremental.commit()  # with the URLs settled meanwhile, written or not
        except StorageFailed:
            self.failed = STATE_FAILED  # the lines are in the .part: the next run records them and finishes it
            return
        self.durable, self.committed, self.group = self.size, self.committed + self.group, 0

    def fail(self, reason: str, message: str) -> None:
        """Write nothing more, and stop the run (a state failure that came first keeps its .part for recovery)."""
        self.failed = self.failed or reason
        stop_for_storage(self.crawler, reason, message)

    def cut_back(self, size: int) -> None:
        """Leave only the file's first `size` bytes, whole lines (best effort: the next run cuts it too)."""
        if self.file is None or self.partial is None:
            return  # no output file
        try:
            self.file = reopened(self.file, self.partial, size)
            self.size = size
        except OSError:
            pass

    def count(self, record: dict) -> None:
        """Count the written record, the path that gave its body, and which of its fields are filled."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/written")
        stats.inc_value(f"newscrawl/sites/{site_key(record.get('url')) or 'unknown'}/written")
        stats.inc_value(f"newscrawl/extraction/{record.get('extraction')}")
        for field, value in record.items():
            if value not in (None, "", [], {}):
                stats.inc_value(f"newscrawl/coverage/{field}")

    def close_spider(self):
        self.commit()
        if not self.file or self.partial is None:
            return  # no output file
        logger = self.crawler.spider.logger
        try:
            self.file.close()
        except OSError:
            pass  # a failed flush: the file keeps its whole lines, recovered by the next run
        if self.failed == STATE_FAILED:
            logger.error("Left %s for the next run to record and finish", self.partial)
            return
        try:
            if self.written:
                final = finish(self.partial)
                self.crawler.stats.set_value("newscrawl/output", str(final))
                logger.info("Wrote %d articles to %s", self.written, final)
            else:
                self.partial.unlink()  # nothing new: no empty file per cron run
                logger.info("Nothing new to write")
        except OSError as error:
            self.crawler.stats.set_value("newscrawl/storage_failed", f"The output {self.partial} could not be finished: {error}")
            logger.error("The output %s could not be finished (%s); the next run finishes it", self.partial, error)


def reopened(file: BinaryIO, path: Path, size: int) -> BinaryIO:
    """Close a file, cut it to `size` bytes, and reopen it for appending."""
    try:
        file.close()
    except OSError:
        pass
    with open(path, "r+b") as cut:
        cut.truncate(size)
    return open(path, "ab")
