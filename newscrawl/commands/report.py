"""`scrapy report`: write one static HTML page (no script, nothing fetched) over the run summaries under a data
folder: articles written per run and per day, field coverage, drops and skips, HTTP statuses, durations and exit
codes, each chart with a table of its figures. A summary that cannot be read is named on the page and passed over.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.recovery import write_durably
from newscrawl.runs_report.page import LAST, plural, render


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict] = {"LOG_ENABLED": False}

    def syntax(self):
        return "[--data DIR] [--spiders NAME,...] [--out FILE.html] [--last N]"

    def short_desc(self):
        return "Write an HTML page of charts over the runs' summaries"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--data", default="data", help="folder searched for *.summary.json, default data")
        parser.add_argument("--spiders", default="", help="only these spiders, comma-separated; default all")
        parser.add_argument("--out", default="data/report.html", help="the page written, default data/report.html")
        parser.add_argument("--last", type=int, default=LAST,
                            help=f"runs per spider and days shown, default {LAST}")

    def run(self, args, opts):
        if args:
            raise UsageError(f"scrapy report takes options only, not {' '.join(args)!r}")
        if opts.last < 1:
            raise UsageError(f"--last takes a number of runs, not {opts.last}")
        data = Path(opts.data)
        if not data.is_dir():
            raise UsageError(f"--data {opts.data}: no such folder")
        spiders = {name.strip() for name in opts.spiders.split(",") if name.strip()}
        from newscrawl.runs_report.summaries import read_runs  # here: every `scrapy` start imports this module

        runs, malformed = read_runs(data, spiders)
        page = render(runs, malformed, data=opts.data, generated=datetime.now(UTC), last=opts.last)
        out = Path(opts.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_durably(out, page.encode("utf-8"))  # whoever has the page open or serves it never sees half of one
        print(message(len(runs), len({run.series for run in runs}), len(malformed), opts.data, spiders, out))


def message(runs: int, spiders: int, malformed: int, data: str, chosen: set[str], out: Path) -> str:
    """One line saying what the page shows.

    >>> message(0, 0, 1, "data", set(), Path("data/report.html"))
    'No runs under data; wrote data/report.html saying so. 1 summary could not be read (named on the page).'
    """
    of = f" of {', '.join(sorted(chosen))}" if chosen else ""
    said = (f"Wrote {out}: {plural(runs, 'run')} of {plural(spiders, 'spider')}." if runs
            else f"No runs{of} under {data}; wrote {out} saying so.")
    if malformed:
        said += f" {plural(malformed, 'summary')} could not be read (named on the page)."
    return said
