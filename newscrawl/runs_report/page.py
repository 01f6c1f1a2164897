"""The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched) over the runs.

Per spider (offline replay runs apart), over its last runs: articles written per site, field coverage (a
layout change shows as a cliff), drops and skips by reason, requests by HTTP status, durations and exit codes;
over all spiders, articles written per day. Every chart has a table of its figures under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from html import escape

from newscrawl.runs_report import svg
from newscrawl.runs_report.summaries import Malformed, Run

LAST = 100
"""Default for --last: runs per spider in the per-run charts, days in the daily chart."""

EXIT_COLOURS = {0: "#59a14f", 75: "#7f7f7f"}  # healthy green, "locked" grey; every problem red
PROBLEM_COLOUR = "#e15759"

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; max-width: 960px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 36px; border-bottom: 1px solid #ccc; }
figure { margin: 24px 0; }
.chart .title { font-size: 14px; font-weight: 600; } .chart .tick { font-size: 11px; fill: #555; }
.chart .label { font-size: 12px; fill: #333; } .chart .axis { stroke: #333; } .chart .grid { stroke: #e5e5e5; }
.scroll { overflow-x: auto; max-height: 320px; overflow-y: auto; }
table { border-collapse: collapse; font-size: 12px; margin-top: 6px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.swatch { display: inline-block; box-sizing: border-box; width: 10px; height: 10px; margin-right: 4px; }
.notes { border: 2px solid #e15759; padding: 4px 12px; background: #fff4f4; }
.empty, .nodata { font-style: italic; color: #555; }
[data-chart="exit-codes"] td { text-align: left; }
"""


def render(runs: Sequence[Run], malformed: Sequence[Malformed], *, data: str, generated: datetime,
           last: int = LAST) -> str:
    """The whole page, as text."""
    series = sorted({run.series for run in runs})
    body = [f"<h1>newscrawl runs</h1><p>Run summaries under <code>{escape(data)}</code>: {plural(len(runs), 'run')} "
            f"of {plural(len(series), 'spider')}, page made {generated:%Y-%m-%d %H:%M} UTC. Times are UTC.</p>"]
    if malformed:
        body.append(notes(malformed))
    if not runs:
        body.append(f'<p class="empty">No runs: no run summaries (<code>*.summary.json</code>) under '
                    f"<code>{escape(data)}</code>. A run of <code>scrapy crawl</code> writes one beside its output.</p>")
    else:
        body.append(overview(runs, series))
        body.append(per_day(runs, last))
        for number, name in enumerate(series):
            body.append(spider_section(number, name, [run for run in runs if run.series == name][-last:]))
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            # the page fetches nothing: any reference that slipped in is refused by the browser
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>newscrawl runs</title><style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n")


def plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def notes(malformed: Sequence[Malformed]) -> str:
    items = "".join(f"<li><code>{escape(bad.path)}</code>: {escape(bad.reason)}</li>" for bad in malformed)
    return (f'<section class="notes"><p><strong>{plural(len(malformed), "summary")} could not be read and '
            f"{'is' if len(malformed) == 1 else 'are'} left out:</strong></p><ul>{items}</ul></section>")


def overview(runs: Sequence[Run], series: Sequence[str]) -> str:
    rows = []
    for number, name in enumerate(series):
        own = [run for run in runs if run.series == name]
        rows.append([f'<a href="#spider-{number}">{escape(name)}</a>', str(len(own)), stamp(own[0]), stamp(own[-1]),
                     str(sum(run.written for run in own)), code(own[-1].exit_code),
                     str(sum(1 for run in own if run.exit_code))])
    return "<h2>Spiders</h2>" + table(
        ["spider", "runs", "first run", "last run", "articles written", "last exit code", "runs with a problem"],
        rows, raw=True)


def per_day(runs: Sequence[Run], last: int) -> str:
    """Articles written per day, stacked by spider and site; days without runs show as empty."""
    first, final = runs[0].started.date(), runs[-1].started.date()
    days = [final - timedelta(n) for n in reversed(range(min((final - first).days + 1, last)))]
    keys = sorted({(run.series, site) for run in runs for site in run.sites})
    written: dict[tuple[date, tuple[str, str]], int] = {}
    for run in runs:
        for site, number in run.sites.items():
            slot = (run.started.date(), (run.series, site))
            written[slot] = written.get(slot, 0) + number
    stacks = {f"{name} · {site}": [written.get((day, (name, site)), 0) for day in days] for name, site in keys}
    labels = [day.isoformat() for day in days]
    return figure("written-per-day", "all", "Articles written per day, by spider and site", stacks, labels,
                  lambda colours: svg.bars("Articles written per day", [f"{d:%m-%d}" for d in days], stacks, colours,
                                           "day (UTC)", "articles written"),
                  "day", total="all")


def spider_section(number: int, name: str, runs: Sequence[Run]) -> str:
    labels = [f"{run.started:%m-%d %H:%M}" for run in runs]
    rows = [stamp(run) for run in runs]
    sites = sorted({site for run in runs for site in run.sites})
    reasons = sorted({f"dropped: {r}" for run in runs for r in run.dropped} | {f"skipped: {r}" for run in runs for r in run.skipped})
    statuses = sorted({s for run in runs for s in run.responses}, key=lambda s: (s.startswith("no answer"), s))
    durations: dict[str, list[float | None]] = {"seconds": [run.duration for run in runs]}

    def reason_count(run: Run, key: str) -> int:
        kind, _, reason = key.partition(": ")
        return (run.dropped if kind == "dropped" else run.skipped).get(reason, 0)

    parts = [
        f'<h2 id="spider-{number}">{escape(name)}</h2><p>The last {plural(len(runs), "run")}, '
        f"from {stamp(runs[0])} to {stamp(runs[-1])}.</p>",
        stacked("written", name, "Articles written per run, by site", labels, rows,
                {site: [run.sites.get(site, 0) for run in runs] for site in sites}, "articles written"),
        coverage(name, runs),
        stacked("drops-skips", name, "Drops and skips per run, by reason", labels, rows,
                {key: [reason_count(run, key) for run in runs] for key in reasons}, "count"),
        stacked("responses", name, "Requests per run, by HTTP status (no answer: by error)", labels, rows,
                {status: [run.responses.get(status, 0) for run in runs] for status in statuses}, "requests"),
        figure("durations", name, "Run duration", durations, rows,
               lambda colours: svg.bars("Run duration", labels, durations, colours, "run (start, UTC)", "seconds",
                                        unit=" s"),
               "run (start, UTC)"),
        exit_codes(name, runs, labels, rows),
    ]
    return f'<section class="spider" data-series="{escape(name)}">{"".join(parts)}</section>'


def stacked(kind: str, name: str, title: str, labels: list[str], rows: list[str],
            stacks: dict[str, list[int]], y_label: str) -> str:
    return figure(kind, name, title, stacks, rows,
                  lambda colours: svg.bars(title, labels, stacks, colours, "run (start, UTC)", y_label),
                  "run (start, UTC)", total=y_label)


def coverage(name: str, runs: Sequence[Run]) -> str:
    """Share of records with each field filled, per run that wrote any; a field a run left empty everywhere
    is missing from its summary and counts as 0 (so a field that vanished falls to the floor)."""
    filled = [run for run in runs if run.written]
    fields = sorted({field for run in filled for field in run.coverage})
    series: dict[str, list[float | None]] = {f: [run.coverage.get(f, 0.0) for run in filled] for f in fields}
    title = "Field coverage per run: share of written records with the field filled"
    labels = [f"{run.started:%m-%d %H:%M}" for run in filled]
    return figure("coverage", name, title, series, [stamp(run) for run in filled],
                  lambda colours: svg.lines(title, labels, series, colours, "run (start, UTC) that wrote articles",
                                            "records with the field", top=1, y_ticks=[0, 0.25, 0.5, 0.75, 1],
                                            y_text=lambda v: f"{v:.0%}", mark_text=percent),
                  "run (start, UTC)", text=percent, empty="No run wrote articles: no coverage.")


def percent(share: float) -> str:
    return f"{share:.1%}"


def exit_codes(name: str, runs: Sequence[Run], labels: list[str], rows: list[str]) -> str:
    codes = sorted({run.exit_code for run in runs if run.exit_code is not None})
    series: dict[str, list[float | None]] = {
        f"exit {c}": [c if run.exit_code == c else None for run in runs] for c in codes}
    colours = {f"exit {c}": EXIT_COLOURS.get(c, PROBLEM_COLOUR) for c in codes}
    title = "Exit code per run (0 healthy; README: exit codes)"
    top = max([9, *codes])
    chart = svg.lines(title, labels, series, colours, "run (start, UTC)", "exit code", top=top,
                      y_ticks=sorted({0, top, *codes}), y_text=lambda v: str(int(v)), connect=False) if codes else None
    cells = [[row, escape(run.finish_reason), code(run.exit_code), escape("; ".join(run.problems)) or "ok"]
             for row, run in zip(rows, runs)]
    return wrap("exit-codes", name, title, chart, legend(colours),
                table(["run (start, UTC)", "finish reason", "exit code", "problems"], cells, raw=True))


def figure(kind: str, name: str, title: str, series: Mapping[str, Sequence[float | None]], rows: Sequence[str],
           draw: Callable[[dict[str, str]], str], row_head: str, total: str = "",
           text: Callable[[float], str] = svg.fmt, empty: str = "Nothing to draw: all zero.") -> str:
    """A chart (or a line saying there is nothing to draw), its legend, and the table of its figures: one row
    per slot, one column per series, and a total."""
    colours = {key: svg.colour(number) for number, key in enumerate(series)}
    marks = any(value for values in series.values() for value in values)  # a chart of zeros draws nothing
    cells = []
    for slot, row in enumerate(rows):
        values = [values[slot] for values in series.values()]
        cells.append([row, *("" if v is None else text(v) for v in values)]
                     + ([svg.fmt(sum(v or 0 for v in values))] if total else []))
    head = [row_head, *series] + ([f"total {total}"] if total else [])
    return wrap(kind, name, title, draw(colours) if marks and rows else None,
                legend(colours) if len(series) > 1 else "", table(head, cells), empty)


def wrap(kind: str, name: str, title: str, chart: str | None, legend_html: str, table_html: str,
         empty: str = "Nothing to draw: all zero.") -> str:
    shown = chart or f'<p class="nodata"><strong>{escape(title)}</strong>: {escape(empty)}</p>'
    return (f'<figure data-chart="{kind}" data-series="{escape(name)}">'
            f'{shown}{legend_html}<div class="scroll">{table_html}</div></figure>')


def legend(colours: Mapping[str, str]) -> str:
    """Swatches in the charts' colours; past the palette, outlined as the lines are dashed (svg.dash)."""
    looks = {"": "background:{}", "6 3": "border:2px dashed {}", "2 2": "border:2px dotted {}"}
    items = "".join(f'<li><span class="swatch" style="{looks[svg.dash(i)].format(c)}"></span>{escape(k)}</li>'
                    for i, (k, c) in enumerate(colours.items()))
    return f'<ul class="legend">{items}</ul>'


def table(head: Sequence[str], rows: Iterable[Sequence[str]], raw: bool = False) -> str:
    """An HTML table; cells are escaped unless `raw` (the caller escaped them and may add links)."""
    cell = (lambda text: text) if raw else escape
    head_html = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>"


def stamp(run: Run) -> str:
    return f"{run.started:%Y-%m-%d %H:%M:%S}"


def code(exit_code: int | None) -> str:
    return "?" if exit_code is None else str(exit_code)
