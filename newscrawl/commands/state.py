"""`scrapy state`: show, reset or expire what each spider has already emitted (the NEWSCRAWL_STATE file or Redis)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.processors.datetimes import parse_since
from newscrawl.state import Emitted, StateStore, open_state, state_path

RECENT_DEFAULT = 10


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict] = {"LOG_ENABLED": False}

    def syntax(self):
        return "[SPIDER] [--recent N | --reset | --older-than AGE]"

    def short_desc(self):
        return "Show, reset or expire the articles each spider has already emitted"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--recent", type=int, metavar="N", help=f"entries shown, default {RECENT_DEFAULT}")
        parser.add_argument("--reset", action="store_true", help="forget SPIDER's articles; its next run emits them")
        parser.add_argument(
            "--older-than", metavar="AGE", help="forget articles last seen before AGE: 90d, 12h, 2w, 30m ago or a date"
        )

    def run(self, args, opts):
        # redis and scrapy-redis are imported here: every `scrapy` start imports this module
        from newscrawl.scaleout import ScaleOutAddon

        spider = chosen_spider(args, opts)
        cutoff = older_than(opts.older_than, datetime.now(UTC)) if opts.older_than is not None else None
        assert self.settings is not None  # set by scrapy.cmdline before run()
        settings = self.settings.copy()
        ScaleOutAddon().update_settings(settings)  # scaled out (NEWSCRAWL_REDIS_URL): the state the workers share
        path = state_path(settings)
        if "://" not in path and not Path(path).exists():  # a Redis URL is a server, not a file
            print(f"No state yet at {path}")  # reading must not create it
            return
        with closing(open_state(settings)) as store:
            if opts.reset:
                assert spider is not None  # chosen_spider refuses --reset without one
                print(f"Forgot {articles(store.reset(spider))} of {spider}; its next run emits them again.")
            elif cutoff is not None:
                print(expired_message(store.expire(spider, cutoff), spider, cutoff))
            elif spider:
                print("\n".join(spider_lines(store, spider, RECENT_DEFAULT if opts.recent is None else opts.recent)))
            else:
                print("\n".join(overview_lines(store, path)))


def chosen_spider(args: list[str], opts) -> str | None:
    """Return the spider argument, after checking the options make sense together."""
    if len(args) > 1:
        raise UsageError(f"give at most one spider, not {len(args)}")
    spider = args[0] if args else None
    actions = {"--recent": opts.recent is not None, "--reset": opts.reset, "--older-than": opts.older_than is not None}
    given = [name for name, chosen in actions.items() if chosen]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} do not combine: give one")
    if not spider and (opts.reset or opts.recent is not None):
        # Forgetting every spider at once is deleting the file: a deliberate act, not a missing argument.
        raise UsageError(f"{given[0]} needs a spider name, e.g. `scrapy state asia {given[0]}`")
    if opts.recent is not None and opts.recent < 0:
        raise UsageError(f"--recent takes a number of entries, not {opts.recent}")
    return spider


def older_than(value: str, now: datetime) -> datetime:
    """Read --older-than: a duration before now or a date."""
    try:
        cutoff = parse_since(value, now)
    except ValueError:
        cutoff = None
    if cutoff is None:
        raise UsageError(f"--older-than {value!r} is neither a duration like 90d, 12h, 2w, 30m nor a date")
    return cutoff


def articles(count: int) -> str:
    """Say "1 article" or "16 articles"."""
    return f"{count} article{'' if count == 1 else 's'}"


def expired_message(count: int, spider: str | None, cutoff: datetime) -> str:
    """Say what --older-than forgot and what follows from it."""
    whose = f" of {spider}" if spider else ""
    before = cutoff.isoformat(timespec="seconds")
    return f"Forgot {articles(count)}{whose} last seen before {before}; a run that finds them emits them again."


def spider_lines(store: StateStore, spider: str, limit: int) -> list[str]:
    """Return the spider's count, then its most recent entries one per line."""
    lines = [f"{spider}: {articles(store.counts().get(spider, 0))}"]
    if pending := len(store.pending(spider)):
        lines[0] += f", {pending} URLs listed and not done yet (its next run requests them first)"
    if limit:
        lines += aligned([entry_cells(entry) for entry in store.recent(spider, limit)])
    return lines


def entry_cells(entry: Emitted) -> tuple[str, ...]:
    """Return what a user checks of an entry: when, which version, which article."""
    return entry.last_seen, f"v{entry.version}", entry.article_id or "-", entry.url


def overview_lines(store: StateStore, path: str) -> list[str]:
    """Return per spider the number of articles and when the newest was written."""
    counts = store.counts()
    if not counts:
        return [f"No articles recorded yet in {path}"]
    rows = [("spider", "articles", "last seen")]
    rows += [(spider, str(count), store.recent(spider, 1)[0].last_seen) for spider, count in counts.items()]
    return [f"State in {path}:", *aligned(rows)]


def aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Lay rows out in columns two spaces apart."""
    if not rows:
        return []
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
