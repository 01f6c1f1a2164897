"""`scrapy dataset`: consolidate the spiders' finished JSON Lines runs into one Parquet dataset with its card.

Exit codes, as `scrapy crawl`'s where they overlap: 0 done (also "nothing new"), 1 the runs cannot be
consolidated (a damaged line, named by file and line; options that do not fit the dataset), 2 bad usage,
9 the dataset could not be written (a full disk, S3 refusing or unreachable; the dataset stays as it was),
75 another `scrapy dataset` is writing the same folder.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.health import EXIT_LOCKED, EXIT_STORAGE
from newscrawl.runlock import AlreadyRunning, LockUnavailable

FORMATS = ("parquet", "jsonl")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict] = {"LOG_ENABLED": False}

    def syntax(self):
        return "[--spiders asia,world] [--data data] [--to FOLDER | s3://BUCKET/PREFIX] [--format parquet|jsonl] [--latest]"

    def short_desc(self):
        return "Consolidate the finished JSON Lines runs into a partitioned Parquet dataset with its card"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--spiders", metavar="NAMES", help="comma-separated spiders; default: all with runs")
        parser.add_argument("--data", default="data", help="the folder of the runs, <data>/<spider>/*.jsonl (default data)")
        parser.add_argument("--to", metavar="TARGET", help="the dataset: a folder or s3://bucket/prefix (default <data>/dataset)")
        parser.add_argument("--format", choices=FORMATS, default="parquet", help="parquet (default) or jsonl")
        parser.add_argument("--latest", action="store_true", help="one row per article, its latest version")
        parser.add_argument("--rebuild", action="store_true", help="write the dataset anew from every run")

    def run(self, args, opts):
        # pyarrow is imported here, not above: Scrapy imports every command module on every `scrapy` start
        from newscrawl.dataset.build import InputError, build_dataset
        from newscrawl.dataset.runs import BadLine
        from newscrawl.dataset.store import Columns, open_store

        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        data = Path(opts.data)
        target = opts.to or str(data / "dataset")
        spiders = [name.strip() for name in (opts.spiders or "").split(",") if name.strip()] or None
        try:
            store = open_store(target, Columns())
        except (OSError, ValueError) as error:
            return self.fail(1, f"cannot open the dataset {target}: {error}")
        exclude = None if target.startswith("s3://") else Path(target)
        try:
            outcome = build_dataset(store, data, spiders, opts.format, opts.latest, opts.rebuild,
                                    datetime.now(UTC), exclude=exclude)
        except (BadLine, InputError) as error:
            return self.fail(1, f"{error}; the dataset at {target} is unchanged")
        except AlreadyRunning as busy:
            return self.fail(EXIT_LOCKED, f"another scrapy dataset is writing {target} ({busy}); try later")
        except (OSError, LockUnavailable) as error:
            return self.fail(EXIT_STORAGE, f"the dataset at {target} could not be read or written: {error}; "
                                           "it is unchanged (the next run writes it)")
        if outcome is None:
            print(f"Nothing new to consolidate: {target} is up to date")
            return
        print(f"Consolidated {outcome.runs} new runs ({outcome.records} records, {outcome.duplicates} duplicates left "
              f"out) into {target}: {outcome.rows} rows, {outcome.articles} articles; "
              f"{outcome.partitions_written} partitions written")

    def fail(self, code: int, message: str) -> None:
        print(f"scrapy dataset: {message}", file=sys.stderr)
        self.exitcode = code
