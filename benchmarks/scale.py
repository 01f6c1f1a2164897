"""Cost at scale: the offline crawl of replay sites of 1,000 to 100,000 articles, and over a state of a million.

    python benchmarks/scale.py [--sizes 1000,10000] [--state-entries 1000000] [--out benchmarks/scale.json]

Builds, in a work folder, replay sites in the fixture format that NEWSCRAWL_REPLAY reads (site.json and its
files): N copies of the fixture's Asia articles, each with an article id, URL and headline of its own, and the
section page with its "load more" pages, the section feed, the article sitemap index and day sitemaps listing
them. Per size it runs `scrapy crawl asia` twice with a fresh output, state and lock (a first crawl, then a run
with nothing new); then a nothing-new run of the 1,000-article site over its state grown by `--state-entries`
other articles, written straight into the store (no crawl); then `scrapy bench` once. Prints Markdown tables,
writes every figure as JSON to --out and, with --results, a `## Scale` section at the end of RESULTS.md.
Nothing passes or fails on speed: benchmarks/README.md says how to read the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import machine, scrapy_bench  # noqa: E402
from newscrawl.state import emitted_of  # noqa: E402
from newscrawl.state.sqlite import SQLiteStateStore  # noqa: E402
from scripts.regenerate_expected import article_pages  # noqa: E402

FIXTURE_SITE = ROOT / "fixtures" / "sputnik"
SPIDER = "asia"
HOST = "https://sputnikglobe.com"
MOSCOW = ZoneInfo("Europe/Moscow")  # the site's own times (sitemap lastmod, "load more" dates)
PER_PAGE = 20  # articles on the section page and on each "load more" page
FEED_ITEMS = 20  # the newest articles, as a section feed carries them
HEADING = "## Scale"
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAPS_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
URL_DAY = re.compile(r"^/(?:[a-z_]+/)?(\d{8})")
LIST_ITEMS = re.compile(r'<div class="list__item">.*<div class="list__more"[^>]*>Load more</div>', re.S)
REQUEST_COUNT = re.compile(r"'downloader/request_count': (\d+)")
# Runs the crawl, then reports the crawl's own resource use: CPU and peak memory from wait4, the bytes it had
# written to disk from /proc/<pid>/io, read while it is a zombie (before it is reaped). Started from this small
# process, the crawl reports its own peak RSS, not this script's (Linux carries ru_maxrss over fork and exec).
LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
try:
    with open(f"/proc/{child.pid}/io") as io:
        counters = {k: int(v) for k, v in (line.split(": ") for line in io.read().splitlines())}
except OSError:
    counters = {}
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as report:
    json.dump({"cpu_seconds": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss,
               "write_bytes": counters.get("write_bytes", usage.ru_oublock * 512)}, report)
sys.exit(child.returncode)
"""


@dataclass(frozen=True)
class Template:
    """A fixture Asia article that a site's articles are copies of."""

    name: str
    url: str
    canonical: str
    article_id: str
    headline: str
    published: datetime
    modified: datetime


@dataclass(frozen=True)
class Article:
    """One article of a built site: a template under an id, URL and headline of its own."""

    template: Template
    article_id: str
    url: str
    canonical: str
    headline: str

    @property
    def file(self) -> str:
        return f"articles/{self.template.name}/{self.article_id}.html"

    @property
    def day(self) -> str:
        """The day in the URL (YYYYMMDD): the day sitemap that lists the article."""
        return URL_DAY.match(urlsplit(self.url).path)[1]


def templates() -> list[Template]:
    """The fixture's Asia articles that a crawl writes (the bodiless video page left out), in file order."""
    found = []
    for path, url in sorted(article_pages(FIXTURE_SITE).items()):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        checks = json.loads(path.with_suffix(".checks.json").read_text(encoding="utf-8"))
        if expected["section"] == SPIDER and not checks.get("expect_dropped"):
            found.append(Template(
                path.stem, url, expected["url"], expected["article_id"], expected["headline"],
                datetime.fromisoformat(expected["published"]), datetime.fromisoformat(expected["modified"]),
            ))
    return found


def plan(size: int) -> list[Article]:
    """The articles of a site of `size`: number n is a copy of template n % 16, newest first."""
    bases = templates()
    articles = []
    for n in range(size):
        copy, index = divmod(n, len(bases))
        base = bases[index]
        # 10 digits, as both of the site's URL patterns want; the fixture's own ids start with 10 or 11
        new_id = f"9{index:02d}{copy:07d}"
        articles.append(Article(
            base, new_id, base.url.replace(base.article_id, new_id),
            base.canonical.replace(base.article_id, new_id), f"{base.headline} (No. {n + 1})",
        ))
    return sorted(articles, key=lambda a: (a.template.published, a.article_id), reverse=True)


def page_copy(body: str, template: Template, article: Article) -> str:
    """The template's page as the article: its id and its headline everywhere they appear (URLs, meta, JSON-LD)."""
    body = body.replace(template.article_id, article.article_id)
    # the headline as text and JSON, and escaped in attributes (Vietnam&#x27;s), in one pass: the new headline
    # begins with the old one, so a second pass would lengthen it again
    forms = {escape(template.headline): escape(article.headline)
             for escape in (str, html.escape, lambda text: text.replace("'", "&#39;"))}
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.sub(pattern, lambda match: forms[match[0]], body)


def list_item(article: Article) -> str:
    """An item of the section's listing, in the RIA platform's markup."""
    href = article.url.removeprefix(HOST)
    title = html.escape(article.headline)
    published = article.template.published
    return (f'<div class="list__item"><a href="{href}" class="list__image" title="{title}"></a>'
            f'<div class="list__content"><a href="{href}" class="list__title">{title}</a><div class="list__info">'
            f'<div class="list__date " data-unixtime="{int(published.timestamp())}">'
            f'{published.astimezone(UTC):%H:%M GMT %d.%m.%Y}</div></div></div></div>\n')


def more_url(last: Article) -> str:
    """The "load more" URL after a page: the id and Moscow time of its last item, as the site builds it."""
    when = last.template.published.astimezone(MOSCOW)
    return f"/services/{SPIDER}/more.html?id={last.article_id}&date={when:%Y%m%dT%H%M%S}"


def listing_pages(articles: list[Article]) -> list[tuple[str, str, str]]:
    """The section page and its "load more" pages: (URL, file, text) each, the first page first."""
    section = (FIXTURE_SITE / "sections" / f"{SPIDER}.html").read_text(encoding="utf-8")
    pages = []
    chunks = [articles[i:i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
    for number, chunk in enumerate(chunks):
        items = "".join(map(list_item, chunk))
        following = more_url(chunk[-1]) if number + 1 < len(chunks) else None
        if number == 0:
            more = f'<div class="list__more" data-url="{html.escape(following)}">Load more</div>' if following else ""
            text = LIST_ITEMS.sub(lambda _: items + more, section, count=1)  # noqa: B023 (called at once)
            pages.append((f"{HOST}/{SPIDER}/", f"sections/{SPIDER}.html", text))
        else:
            attribute = f' data-next-url="{html.escape(following)}"' if following else ""
            url = HOST + more_url(chunks[number - 1][-1])
            pages.append((url, f"services/{SPIDER}/more-{number}.html",
                          f'<div class="list-items-loaded"{attribute}>\n{items}</div>\n'))
    return pages


def feed(articles: list[Article]) -> str:
    """The section's RSS 2.0 feed of its newest articles."""
    items = "".join(
        f"<item><title>{html.escape(a.headline, quote=False)}</title><link>{a.url}</link><guid>{a.url}</guid>"
        f"<pubDate>{format_datetime(a.template.published.astimezone(UTC))}</pubDate><category>Asia</category></item>\n"
        for a in articles[:FEED_ITEMS]
    )
    return (f'{XML}<rss xmlns:rian="http://rian.ru/ns" version="2.0"><channel>'
            f"<title>Sputnik International - Asia</title><link>{HOST}/{SPIDER}/</link><language>en</language>\n"
            f"{items}</channel></rss>\n")


def lastmod(moment: datetime) -> str:
    """A sitemap lastmod as the site writes it: Moscow time with its offset."""
    return moment.astimezone(MOSCOW).isoformat()


def sitemaps(articles: list[Article]) -> list[tuple[str, str, str]]:
    """The article sitemap index and one sitemap a day (lastmod: each page's dateModified): (URL, file, text)."""
    days: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        days[article.day].append(article)
    urlset = f'{XML}<urlset xmlns="{SITEMAPS_NS}">\n'
    index, files = [], []
    for day in sorted(days, reverse=True):
        url = f"{HOST}/sitemap_article.xml?date_start={day}&date_end={day}"
        entries = "".join(f"<url><loc>{a.url}</loc><lastmod>{lastmod(a.template.modified)}</lastmod></url>\n"
                          for a in days[day])
        files.append((url, f"sitemaps/article-{day}.xml", f"{urlset}{entries}</urlset>\n"))
        newest = max(a.template.modified for a in days[day])
        index.append(f"<sitemap><loc>{html.escape(url)}</loc><lastmod>{lastmod(newest)}</lastmod></sitemap>\n")
    text = f'{XML}<sitemapindex xmlns="{SITEMAPS_NS}">\n{"".join(index)}</sitemapindex>\n'
    return [(f"{HOST}/sitemap_article_index.xml", "sitemaps/article_index.xml", text), *files]


def build_site(folder: Path, size: int) -> dict:
    """Write a replay site of `size` articles into folder (site.json and its files); say what is in it."""
    started = time.perf_counter()
    articles = plan(size)
    bodies = {t.name: (FIXTURE_SITE / "articles" / f"{t.name}.html").read_text(encoding="utf-8") for t in templates()}
    responses = [{"url": f"{HOST}/robots.txt", "file": "robots.txt"},
                 {"url": "https://sputniknews.com/robots.txt", "file": "robots.txt"}]
    write(folder / "robots.txt", (FIXTURE_SITE / "robots.txt").read_text(encoding="utf-8"))
    for article in articles:
        write(folder / article.file, page_copy(bodies[article.template.name], article.template, article))
        responses.append({"url": article.url, "file": article.file})
    listings, days = listing_pages(articles), sitemaps(articles)
    for url, file, text in [*listings, *days]:
        write(folder / file, text)
        responses.append({"url": url, "file": file})
    write(folder / "feeds" / f"{SPIDER}.xml", feed(articles))
    responses.append({"url": f"{HOST}/export/rss2/{SPIDER}/index.xml", "file": f"feeds/{SPIDER}.xml",
                      "headers": {"Content-Type": "application/rss+xml; charset=utf-8"}})
    write(folder / "site.json", json.dumps({"responses": responses}, indent=1))
    return {"articles": size, "listing_pages": len(listings), "day_sitemaps": len(days) - 1,
            "megabytes": round(folder_bytes(folder) / 2**20, 1),
            "build_seconds": round(time.perf_counter() - started, 1)}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def folder_bytes(folder: Path) -> int:
    """The bytes of the files under a folder."""
    return sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file())


def state_rows(spider: str, entries: int, start: int) -> Iterator[tuple]:
    """Emitted rows of articles other than the site's, one a minute from 2024 on (ids 8xxxxxxxxx)."""
    first = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(start, start + entries):
        at = first + timedelta(minutes=n)
        url = f"{HOST}/{at:%Y%m%d}/archived-story-{n}-8{n:09d}.html"
        record = {"url": url, "article_id": f"8{n:09d}", "modified": at.isoformat(), "version": 1,
                  "content_hash": f"sha256:{hashlib.sha256(url.encode()).hexdigest()}"}
        # the entry the pipelines would record for this record, in the store's own form (ids and all)
        entry = emitted_of(spider, record, at.isoformat())
        yield (entry.spider, entry.url, entry.article_id, entry.content_hash, entry.modified, entry.version,
               entry.first_seen, entry.last_seen)


def build_state(path: Path, entries: int, spider: str = SPIDER) -> dict:
    """Add `entries` written articles to a state file (new or not) in one transaction, without crawling."""
    started = time.perf_counter()
    # the store creates (or upgrades) the file with its own schema and indexes; the rows go into its
    # documented `emitted` table in bulk, in the form the store gives them when articles are written
    SQLiteStateStore(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous = OFF")  # a file being built: if it is cut short it is rebuilt
        start = db.execute("SELECT COUNT(*) FROM emitted").fetchone()[0]
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO emitted (spider, url, article_id, content_hash, modified, version, first_seen,"
                       " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", state_rows(spider, entries, start))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return {"entries": entries, "seconds": round(time.perf_counter() - started, 1),
            "megabytes": round(state_bytes(path) / 2**20, 1)}


def state_bytes(path: Path) -> int:
    """The state's bytes on disk, its write-ahead log included."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def crawl(site: Path, folder: Path, name: str, state: Path, days: int, timeout: float | None) -> dict:
    """One `scrapy crawl asia` over a site, output `<folder>/<name>.jsonl`; its figures and resource use."""
    settings = [f"NEWSCRAWL_REPLAY={site}", f"NEWSCRAWL_OUTPUT={folder}/{name}.jsonl", f"NEWSCRAWL_STATE={state}",
                f"NEWSCRAWL_LOCK={folder}/{SPIDER}.lock", f"NEWSCRAWL_SITEMAP_DAYS={days}", "LOG_LEVEL=INFO"]
    report = folder / f"{name}.usage.json"
    command = [sys.executable, "-c", LAUNCHER, str(report), sys.executable, "-m", "scrapy", "crawl", SPIDER,
               *[part for setting in settings for part in ("-s", setting)]]
    log = folder / f"{name}.log"
    started = time.perf_counter()
    with open(log, "wb") as output:
        exit_code = run_group(command, output, timeout)
    wall = time.perf_counter() - started
    summary_file = folder / f"{name}.summary.json"
    if not summary_file.is_file() or not report.is_file():
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"the crawl wrote no summary (exit {exit_code}); the end of its log:\n{tail}")
    if exit_code:
        print(f"warning: the crawl {name} of {site.name} exited with {exit_code}; its log: {log}", flush=True)
    return figures(json.loads(summary_file.read_text(encoding="utf-8")), json.loads(report.read_text()),
                   log.read_text(encoding="utf-8", errors="replace"), exit_code, wall, folder / f"{name}.jsonl")


def run_group(command: list[str], output, timeout: float | None) -> int:
    """Run the launcher and the crawl in a process group of their own; end both if it times out or we stop."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        return process.wait(timeout)
    except BaseException:  # a timeout, Ctrl-C: killing the launcher alone would leave the crawl running
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def figures(summary: dict, usage: dict, log: str, exit_code: int, wall: float, output: Path) -> dict:
    """A run's figures from its summary, its resource use and its log."""
    responses = sum(summary["http_status"].values())
    seconds = summary["duration_seconds"]
    requests = REQUEST_COUNT.findall(log)
    return {
        "exit_code": exit_code, "responses": responses, "requests": int(requests[-1]) if requests else None,
        "written": summary["articles"]["written"], "already_written": summary["articles"].get("already_written"),
        "seconds": seconds, "pages_per_second": round(responses / seconds, 1) if seconds else None,
        "wall_seconds": round(wall, 2), "cpu_seconds": round(usage["cpu_seconds"], 2),
        "cpu_ms_per_response": round(usage["cpu_seconds"] * 1000 / responses, 2) if responses else None,
        "peak_rss_mb": round(usage["max_rss_kb"] / 1024, 1), "summary_peak_memory_mb": summary["peak_memory_mb"],
        "disk_write_mb": round(usage["write_bytes"] / 2**20, 2),
        "output_mb": round(output.stat().st_size / 2**20, 2) if output.exists() else 0.0,
    }


def size_run(work: Path, size: int, timeout: float | None) -> tuple[dict, Path, Path]:
    """Build a site of `size`, crawl it, then crawl it again (nothing new); return the figures, site, state."""
    site, folder = work / f"site-{size}", work / f"run-{size}"
    folder.mkdir(parents=True)
    built = build_site(site, size)
    print(f"site of {size} articles built: {built}", flush=True)
    state = folder / "state.sqlite"
    first = crawl(site, folder, "first", state, built["day_sitemaps"], timeout)
    first["state_mb"] = round(state_bytes(state) / 2**20, 2)
    print(f"first crawl of {size}: {first}", flush=True)
    second = crawl(site, folder, "second", state, built["day_sitemaps"], timeout)
    second["state_mb"] = round(state_bytes(state) / 2**20, 2)
    print(f"nothing-new run of {size}: {second}", flush=True)
    return {"site": built, "first": first, "nothing_new": second}, site, state


def big_state_run(work: Path, size: int, site: Path, state: Path, entries: int, timeout: float | None) -> dict:
    """The nothing-new run of a site whose articles are in the state, beside `entries` other articles."""
    folder = work / "run-big-state"
    folder.mkdir()
    big = folder / "state.sqlite"
    for suffix in ("", "-wal"):  # a closed store leaves no write-ahead log; copy one if it is there
        if Path(f"{state}{suffix}").exists():
            shutil.copy(f"{state}{suffix}", f"{big}{suffix}")
    built = build_state(big, entries)
    print(f"state of {entries} more entries built: {built}", flush=True)
    days = len(list((site / "sitemaps").glob("article-*.xml")))
    run = crawl(site, folder, "nothing-new", big, days, timeout)
    run["state_mb"] = round(state_bytes(big) / 2**20, 2)
    print(f"nothing-new run over the big state: {run}", flush=True)
    return {"state": built, "site_articles": size, "nothing_new": run}


def first_table(results: dict) -> str:
    """The first crawls as a Markdown table."""
    lines = ["| articles | site MB | exit | responses | written | crawl s | pages/s | pages/s ÷ bench "
             "| CPU ms/response | process wall s | peak RSS MB | disk writes MB | output MB | state MB |",
             "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in results["sizes"]:
        site, run = row["site"], row["first"]
        lines.append(f"| {site['articles']:,} | {site['megabytes']} | {run['exit_code']} | {run['responses']:,} "
                     f"| {run['written']:,} "
                     f"| {run['seconds']:.1f} | {run['pages_per_second']:.1f} | {row.get('crawl_over_bench', '')} "
                     f"| {run['cpu_ms_per_response']:.1f} | {run['wall_seconds']:.1f} | {run['peak_rss_mb']:.0f} "
                     f"| {run['disk_write_mb']:.1f} | {run['output_mb']:.1f} | {run['state_mb']:.2f} |")
    return "\n".join(lines)


def nothing_new_table(results: dict) -> str:
    """The nothing-new runs as a Markdown table, the big state last."""
    lines = ["| site articles | state entries | state MB | exit | requests | written | crawl s | process wall s "
             "| CPU s | peak RSS MB | disk writes MB |", "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    rows = [(row["site"]["articles"], row["site"]["articles"], row["nothing_new"]) for row in results["sizes"]]
    if results.get("big_state"):
        big = results["big_state"]
        rows.append((big["site_articles"], big["site_articles"] + big["state"]["entries"], big["nothing_new"]))
    for articles, entries, run in rows:
        lines.append(f"| {articles:,} | {entries:,} | {run['state_mb']:.1f} | {run['exit_code']} | {run['requests']} "
                     f"| {run['written']} "
                     f"| {run['seconds']:.2f} | {run['wall_seconds']:.2f} | {run['cpu_seconds']:.2f} "
                     f"| {run['peak_rss_mb']:.0f} | {run['disk_write_mb']:.2f} |")
    return "\n".join(lines)


def section(results: dict) -> str:
    """The RESULTS.md section: command, machine, the two tables and `scrapy bench`."""
    m, bench = results["machine"], results.get("scrapy_bench")
    bench_line = (f"`scrapy bench` in the same session: {bench['pages_per_second']} pages/s (Scrapy's defaults, "
                  "8 requests at a time).\n\n") if bench else ""
    big = (f"; the last row: the {results['state_site']:,}-article site over its state plus "
           f"{results['state_entries']:,} other articles") if results.get("big_state") else ""
    return (f"{HEADING}\n\n`{results['command']}` on {m['date']}: {m['cpus']} CPUs (1-minute load "
            f"{m['load_average_1m']} at start, {results['load_average_1m_at_end']} at the end). One run each; CPU and "
            "peak RSS of the crawl process from wait4, disk writes from its /proc/<pid>/io `write_bytes` (output, "
            f"state, summary and log).\n\nFirst crawl:\n\n{first_table(results)}\n\nNothing new (a second run "
            f"over the same site and state{big}):\n\n{nothing_new_table(results)}\n\n{bench_line}")


def write_section(path: Path, text: str) -> None:
    """Put the section at the end of RESULTS.md, replacing an earlier one; the other sections stay as they are."""
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    start = current.find(f"\n{HEADING}\n")
    if start >= 0:
        following = current.find("\n## ", start + len(HEADING) + 1)
        current = current[:start] + (current[following:] if following >= 0 else "")
    path.write_text(current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n", encoding="utf-8")


def measure(args: argparse.Namespace) -> dict:
    """Every crawl of the session, then `scrapy bench`: the results."""
    results = {"command": " ".join(["python", "benchmarks/scale.py", *sys.argv[1:]]), "machine": machine(),
               "state_entries": args.state_entries, "state_site": args.state_site, "sizes": []}
    with nullcontext(args.work) if args.work else tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            row, site, state = size_run(work, size, args.timeout)
            results["sizes"].append(row)
            if args.state_entries and size == args.state_site:
                results["big_state"] = big_state_run(work, size, site, state, args.state_entries, args.timeout)
            if not args.work:
                shutil.rmtree(site)  # a 100,000-article site is 2 GB
        if args.state_entries and "big_state" not in results:
            # the big state needs the site and the state of a crawl of it: crawl it once, unreported
            _, site, state = size_run(work / "state-site", args.state_site, args.timeout)
            results["big_state"] = big_state_run(work, args.state_site, site, state, args.state_entries, args.timeout)
    if not args.no_bench:
        bench = results["scrapy_bench"] = scrapy_bench()
        for row in results["sizes"]:
            row["crawl_over_bench"] = round(row["first"]["pages_per_second"] / bench["pages_per_second"], 2)
    results["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda text: [int(size) for size in text.split(",") if size],
                        default=[1000, 10000], help="site sizes in articles, comma-separated (default 1000,10000)")
    parser.add_argument("--state-entries", type=int, default=1_000_000,
                        help="other articles in the state of the nothing-new run over a big state; 0: no such run")
    parser.add_argument("--state-site", type=int, default=1000,
                        help="articles of the site crawled over the big state (default 1000)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "scale.json", help="the JSON results file")
    parser.add_argument("--results", type=Path, help="also write the `## Scale` section into this RESULTS.md")
    parser.add_argument("--work", type=Path, help="build and crawl here, and keep it all (default: a temporary folder)")
    parser.add_argument("--no-bench", action="store_true", help="skip `scrapy bench`")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds after which a crawl is killed")
    args = parser.parse_args()
    results = measure(args)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = section(results)
    if args.results:
        write_section(args.results, text)
    print(text)


if __name__ == "__main__":
    main()
