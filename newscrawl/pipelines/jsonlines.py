"""Write the run's records as JSON Lines: UTF-8, one object a line, every field in the item's order.

Crash safety, in this order: a record's line is written and fsynced, and only then is the article recorded
in the state store. The file grows as `<output>.part`, locked while this run writes it, and takes its final
name when the run ends. A `.part` left by a killed run is recovered by the next run: its whole lines are kept
(and recorded, since they were written), a torn last line is cut off, and it gets its final name.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter

from newscrawl.extensions.state import state_of
from newscrawl.pipelines import drop
from newscrawl.runlock import try_lock
from newscrawl.scaleout import worker_id

PART = ".part"


def record_line(item) -> str:
    """Serialize one record as a JSON line, keys in field order, non-ASCII kept."""
    return json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False, separators=(", ", ": ")) + "\n"


def output_path(template: str, spider_name: str, started: datetime, worker: str = "") -> Path:
    """Fill the NEWSCRAWL_OUTPUT template for this run (`%(worker)s`: the worker's name, newscrawl.scaleout)."""
    return Path(template % {"name": spider_name, "time": started.strftime("%Y-%m-%dT%H-%M-%SZ"), "worker": worker})


def whole_lines(path: Path) -> list[dict]:
    """Return the records of a file's complete lines and cut off a torn last line."""
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with open(path, "r+b") as file:
            file.truncate(len(complete))
    return [json.loads(line) for line in complete.decode("utf-8").splitlines() if line.strip()]


class JsonLinesPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.template = crawler.settings.get("NEWSCRAWL_OUTPUT")
        self.fsync = crawler.settings.getbool("NEWSCRAWL_FSYNC")
        self.path: Path | None = None
        self.file = None
        self.written = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider_name(self) -> str:
        return self.crawler.spider.name

    def open_spider(self):
        if not self.template:
            return
        started = datetime.now(timezone.utc)
        self.path = output_path(self.template, self.spider_name, started, worker_id(self.crawler.settings))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.crawler.stats.set_value("newscrawl/output", str(self.path))
        self.recover_interrupted_runs()
        self.file = open(self.path.with_name(self.path.name + PART), "w", encoding="utf-8")
        try_lock(self.file)  # a fresh file: nobody else has it

    def recover_interrupted_runs(self):
        """Finish the .part files that killed runs left beside ours."""
        for partial in sorted(self.path.parent.glob(f"*{self.path.suffix}{PART}")):
            with open(partial, "rb") as file:
                if not try_lock(file):
                    continue  # another live run is writing it
                records = whole_lines(partial)
                for record in records:
                    self.remember(record)
                os.replace(partial, partial.with_name(partial.name.removesuffix(PART)))
            self.crawler.stats.inc_value("newscrawl/recovered", len(records))
            self.crawler.spider.logger.warning(
                "Recovered %d articles written by an interrupted run: %s", len(records), partial.name.removesuffix(PART)
            )

    def process_item(self, item):
        limit = getattr(self.crawler.spider, "limit", None)
        if limit and self.written >= limit:
            raise drop(self.crawler, "over_limit")
        if self.file:
            self.file.write(record_line(item))  # one write a record: no interleaved partial lines
            self.file.flush()
            if self.fsync:
                os.fsync(self.file.fileno())
        self.remember(ItemAdapter(item).asdict())
        self.written += 1
        self.count(item)
        return item

    def remember(self, record: dict) -> None:
        """Record in the state store that this version of the article is written."""
        store = state_of(self.crawler)
        if store is not None:
            store.record(
                self.spider_name, record["url"], record.get("article_id"), record.get("content_hash"),
                record.get("modified"), record.get("version", 1), datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )

    def count(self, item) -> None:
        """Count the written record, the path that gave its body, and which of its fields are filled."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/written")
        stats.inc_value(f"newscrawl/extraction/{ItemAdapter(item).get('extraction')}")
        for field, value in ItemAdapter(item).items():
            if value not in (None, "", [], {}):
                stats.inc_value(f"newscrawl/coverage/{field}")

    def close_spider(self):
        if not self.file:
            return
        self.file.close()
        partial = self.path.with_name(self.path.name + PART)
        if self.written:
            os.replace(partial, self.path)
            self.crawler.spider.logger.info("Wrote %d articles to %s", self.written, self.path)
        else:
            partial.unlink()  # nothing new: no empty file per cron run
            self.crawler.spider.logger.info("Nothing new to write")
