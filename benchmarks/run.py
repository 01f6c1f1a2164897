"""Benchmark newscrawl on this machine: extraction beside lxml and trafilatura, the offline crawl, `scrapy bench`.

    python benchmarks/run.py [--repeat 5] [--out benchmarks/results.json]

Writes the figures as JSON to --out and as Markdown to RESULTS.md beside it. Nothing here passes or fails on
speed: read benchmarks/README.md for what is measured and how to read it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import lxml
import lxml.etree
import lxml.html
import scrapy
import trafilatura
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import PATHS, markdown, tables  # noqa: E402
from newscrawl.commands.extract import pages_to_extract  # noqa: E402
from newscrawl.extraction.article import extract_article  # noqa: E402
from scripts.regenerate_expected import article_pages  # noqa: E402

GOLD_MANIFEST = ROOT / "tests" / "gold" / "pages.jsonl"
REPLAY = "fixtures/sputnik"
BENCH_SECONDS = 10
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
BENCH_LINE = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


def fixture_pages() -> list[tuple[str, bytes]]:
    """Every saved article page of the fixture sites, with the URL its site.json serves it at."""
    pages = []
    for site_dir in sorted(p.parent for p in (ROOT / "fixtures").glob("*/site.json")):
        urls = article_pages(site_dir)
        for path in sorted(site_dir.glob("articles/*.html")):
            pages.append((urls.get(path) or path.resolve().as_uri(), path.read_bytes()))
    return pages


def gold_pages() -> list[tuple[str, bytes]]:
    """The gold set's pages, read the way `scrapy extract --manifest` reads them; none while it is absent."""
    if not GOLD_MANIFEST.is_file():
        return []
    named = (page for _, page in pages_to_extract([], [], str(GOLD_MANIFEST)))
    return [(url, path.read_bytes()) for url, path in named]  # (a bad manifest line would fail here, loudly)


def lxml_parse(url: str, body: bytes) -> None:
    """Parse the page and nothing else: the floor any extractor built on lxml stands on."""
    lxml.html.fromstring(body)


def newscrawl_extract(url: str, body: bytes) -> dict:
    """Extract the page as `scrapy extract` does: Scrapy's response (charset detection, parse), then the record."""
    response = HtmlResponse(url=url, body=body)
    return ItemAdapter(extract_article(response.selector, url)).asdict()


def trafilatura_extract(url: str, body: bytes) -> None:
    """Extract the page's main text with trafilatura's defaults."""
    trafilatura.extract(body)


def trafilatura_metadata(url: str, body: bytes) -> None:
    """Extract the main text and the title, date and author, as newscrawl reads them too: the like-for-like cost."""
    trafilatura.bare_extraction(body, url=url, with_metadata=True)


METHODS = {
    "lxml_parse": lxml_parse,
    "newscrawl_extract": newscrawl_extract,
    "trafilatura_extract": trafilatura_extract,
    "trafilatura_metadata": trafilatura_metadata,
}


def extraction_path(url: str, body: bytes) -> str:
    """How newscrawl found the page's body: by its site rules, by the generic fallback, or not at all."""
    record = newscrawl_extract(url, body)
    return record.get("extraction") or ("rules" if record.get("body") else "no body")


def time_pass(method, pages: list[tuple[str, bytes]]) -> list[float]:
    """Milliseconds each page takes in one pass of a method over all pages."""
    # Start each pass from a clean heap so no pass pays for the garbage of the one before. The collector stays
    # on while timing: the crawler pays for the collections its extraction's allocations trigger, so do we.
    gc.collect()
    times = []
    for url, body in pages:
        start = time.perf_counter()
        method(url, body)
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_methods(pages: list[tuple[str, bytes]], repeat: int) -> dict:
    """Each method's ms/page on one page set, overall and by the path newscrawl's extraction took."""
    # the warm-up pass pays the one-off costs (lazy imports and data, compiled XPaths); kept apart in the results
    first = {name: statistics.fmean(time_pass(method, pages)) for name, method in METHODS.items()}
    passes: dict[str, list[list[float]]] = {name: [] for name in METHODS}
    for _ in range(repeat):
        for name, method in METHODS.items():  # interleaved, so drift from other load on the machine hits all three
            passes[name].append(time_pass(method, pages))
    paths = [extraction_path(url, body) for url, body in pages]
    groups = {"all": list(range(len(pages)))}
    if len(set(paths)) > 1:
        ordered = [path for path in PATHS if path in paths] + sorted(set(paths) - set(PATHS))
        groups |= {path: [i for i, p in enumerate(paths) if p == path] for path in ordered}
    return {"pages": len(pages), "mean_kb": round(sum(len(b) for _, b in pages) / len(pages) / 1024, 1),
            "first_pass_ms_per_page": {name: round(ms, 3) for name, ms in first.items()},
            "groups": {group: summarize(passes, indexes) for group, indexes in groups.items()}}


def summarize(passes: dict[str, list[list[float]]], indexes: list[int]) -> dict:
    """Per method, the median over the passes of the mean ms/page of some pages; extraction's ratios to the others."""
    result: dict = {"pages": len(indexes)}
    for name, runs in passes.items():
        means = [statistics.fmean(run[i] for i in indexes) for run in runs]
        result[name] = {"ms_per_page": round(statistics.median(means), 3), "passes": [round(m, 3) for m in means]}
    ours = result["newscrawl_extract"]["ms_per_page"]
    result["extract_over_parse"] = round(ours / result["lxml_parse"]["ms_per_page"], 2)
    result["extract_over_trafilatura"] = round(ours / result["trafilatura_extract"]["ms_per_page"], 2)
    result["extract_over_trafilatura_metadata"] = round(ours / result["trafilatura_metadata"]["ms_per_page"], 2)
    return result


def scrapy_command(args: list[str], cwd: Path, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Run a scrapy command in a fresh process, started by a small launcher; return it and its wall time (s)."""
    # Linux carries a process's peak RSS (ru_maxrss, which the run summary and Scrapy's memusage read) over
    # fork and exec: started by this process, grown big by the extraction timings, every crawl would report our
    # peak. A fork from the small launcher starts the count afresh, as under cron or a shell.
    command = [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "scrapy", *args]
    start = time.perf_counter()
    run = subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return run, time.perf_counter() - start


def crawl_once() -> dict:
    """One offline crawl of `asia` with fresh output, state and lock; its figures from the run summary."""
    with tempfile.TemporaryDirectory() as tmp:
        isolated = [f"NEWSCRAWL_OUTPUT={tmp}/asia.jsonl", f"NEWSCRAWL_STATE={tmp}/state.sqlite",
                    f"NEWSCRAWL_LOCK={tmp}/asia.lock", f"NEWSCRAWL_REPLAY={REPLAY}", "LOG_LEVEL=INFO"]
        run, wall = scrapy_command(["crawl", "asia", *[a for s in isolated for a in ("-s", s)]], cwd=ROOT)
        summary_file = Path(tmp) / "asia.summary.json"
        if not summary_file.is_file():
            raise SystemExit(f"the offline crawl wrote no summary (exit {run.returncode}):\n{run.stderr[-3000:]}")
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    # every answer the downloader got, redirects included: what Scrapy's own response counters count
    responses = sum(summary["http_status"].values())
    return {"exit_code": run.returncode, "responses": responses, "written": summary["articles"]["written"],
            "seconds": summary["duration_seconds"],
            "pages_per_second": round(responses / summary["duration_seconds"], 1), "wall_seconds": round(wall, 2),
            "peak_memory_mb": summary["peak_memory_mb"]}


def crawl_figures(repeat: int) -> dict:
    """Median figures over `repeat` offline crawls (peak memory: the highest)."""
    runs = [crawl_once() for _ in range(repeat)]
    figures = {key: statistics.median(r[key] for r in runs) for key in ("seconds", "pages_per_second", "wall_seconds")}
    return {"responses": runs[0]["responses"], "written": runs[0]["written"], **figures,
            "peak_memory_mb": max(r["peak_memory_mb"] for r in runs), "runs": runs}


def scrapy_bench() -> dict:
    """`scrapy bench` with Scrapy's default settings, from a folder outside any project."""
    # Outside the project (a temp cwd, no SCRAPY_* variables) it runs with Scrapy's defaults, as its docs quote it,
    # instead of our politeness settings (2 requests per domain), which would measure our settings, not Scrapy.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    with tempfile.TemporaryDirectory() as tmp:
        args = ["bench", "-s", f"CLOSESPIDER_TIMEOUT={BENCH_SECONDS}", "-s", "LOG_LEVEL=INFO"]
        run, wall = scrapy_command(args, cwd=Path(tmp), env=env)
    received = re.search(r"'response_received_count': (\d+)", run.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", run.stderr)
    memory = re.search(r"'memusage/max': (\d+)", run.stderr)
    if not (received and elapsed):
        raise SystemExit(f"scrapy bench printed no stats (exit {run.returncode}):\n{run.stderr[-3000:]}")
    # the first LogStats line is logged at start, before any response; the rest are one-second samples
    rates = [int(per_minute) / 60 for _, per_minute in BENCH_LINE.findall(run.stderr)[1:]]
    return {"responses": int(received[1]), "seconds": round(float(elapsed[1]), 3),
            "pages_per_second": round(int(received[1]) / float(elapsed[1]), 1),
            "median_interval_pages_per_second": round(statistics.median(rates), 1) if rates else None,
            "wall_seconds": round(wall, 2), "peak_memory_mb": round(int(memory[1]) / 2**20, 1) if memory else None}


def machine() -> dict:
    """What the figures depend on besides the code."""
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2), "platform": platform.platform(),
            "python": platform.python_version(), "scrapy": scrapy.__version__, "lxml": lxml.__version__,
            "libxml2": ".".join(map(str, lxml.etree.LIBXML_VERSION)), "trafilatura": trafilatura.__version__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per method and offline crawls (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json", help="the JSON results file")
    args = parser.parse_args()
    results = {"command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]), "machine": machine()}
    sets = {"fixtures": fixture_pages(), "gold": gold_pages()}
    results["extraction"] = {name: time_methods(pages, args.repeat) for name, pages in sets.items() if pages}
    results["crawl"] = crawl_figures(args.repeat)
    results["scrapy_bench"] = scrapy_bench()
    ours, theirs = results["crawl"]["pages_per_second"], results["scrapy_bench"]["pages_per_second"]
    results["crawl_over_bench"] = round(ours / theirs, 2)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    results_md = args.out.with_name("RESULTS.md")
    # the sections other scripts write (the dev set, Common Crawl, scale) follow this one's: keep them
    others = results_md.read_text(encoding="utf-8").partition("\n## ") if results_md.is_file() else ("", "", "")
    results_md.write_text(markdown(results) + (f"\n## {others[2]}" if others[1] else ""), encoding="utf-8")
    print(tables(results))


if __name__ == "__main__":
    main()
