"""Throughput of the Common Crawl news input: `scrapy crawl ccnews` over CC-NEWS style WARC files built here.

    python benchmarks/ccnews.py [--records 2000] [--share 0.2] [--repeat 3]

Builds, in a temporary folder, WARC files of response records (each after its request record, each record its
own gzip member, as in CC-NEWS): a `--share` of them copies of the fixture site's article pages of every section,
each copy with an article id and headline of its own so that none is a duplicate, the rest the gold set's pages
of other publishers. Crawls them with `-a region=asia` from a file and from a URL on 127.0.0.1, and prints
WARC records read a second, articles written a second and peak memory; the figures also go, as a section, into
RESULTS.md beside this script. Nothing passes or fails on speed: benchmarks/README.md says how to read them.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import gold_pages, machine, scrapy_command  # noqa: E402
from scripts.regenerate_expected import article_pages  # noqa: E402

FIXTURE_SITE = ROOT / "fixtures" / "sputnik"
HEADING = "## Common Crawl news input"
OG_TITLE = re.compile(rb'(<meta property="og:title" content=")')


def site_pages() -> list[tuple[str, str, bytes]]:
    """The fixture site's article pages (every section): URL, article id, body."""
    pages = []
    for path, url in sorted(article_pages(FIXTURE_SITE).items()):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((url, expected["article_id"], path.read_bytes()))
    return pages


def other_pages() -> list[tuple[str, bytes]]:
    """The gold set's pages of other publishers: what most of a news crawl archive is."""
    pages = [(url, body) for url, body in gold_pages() if "sputnik" not in (urlsplit(url).hostname or "")]
    if not pages:
        raise SystemExit("the gold set (tests/gold/pages.jsonl) has no pages of other publishers")
    return pages


def site_copy(page: tuple[str, str, bytes], copy: int, index: int) -> tuple[str, bytes]:
    """A fixture page as another article: an id (10 digits, as both URL patterns want) and a headline of its own."""
    url, article_id, body = page
    new_id = f"9{index:02d}{copy:07d}"
    body = body.replace(article_id.encode(), new_id.encode())
    body = OG_TITLE.sub(rb"\g<1>" + f"{copy} ".encode(), body)
    return url.replace(article_id, new_id), body


def other_copy(page: tuple[str, bytes], copy: int) -> tuple[str, bytes]:
    """Another publisher's page at a URL of its own."""
    url, body = page
    return f"{url}{'&' if '?' in url else '?'}copy={copy}", body


def build_warc(path: Path, records: int, share: float) -> dict:
    """Write a CC-NEWS style WARC of `records` HTML responses, a `share` of them the site's; say what is in it."""
    site, others = site_pages(), cycle(other_pages())
    wanted_site = round(records * share)
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "benchmarks/ccnews.py"}))
        for n in range(records):
            # the site's pages spread evenly through the file, as in a real archive
            if (n + 1) * wanted_site // records > n * wanted_site // records:
                copy, index = divmod(n * wanted_site // records, len(site))
                url, body = site_copy(site[index], copy, index)
            else:
                url, body = other_copy(next(others), n)
            write_exchange(writer, url, body)
    return {"records": records, "site_pages": wanted_site, "megabytes": round(path.stat().st_size / 2**20, 1)}


def write_exchange(writer: WARCWriter, url: str, body: bytes) -> None:
    """Write a request record and its 200 text/html response record."""
    parts = urlsplit(url)
    request = StatusAndHeaders(f"GET {parts.path or '/'} HTTP/1.1", [("Host", parts.hostname)], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    response = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=response))


def crawl_once(warc: str) -> dict:
    """One `scrapy crawl ccnews -a region=asia` over a source, with fresh output, state and lock; its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = [f"NEWSCRAWL_OUTPUT={tmp}/ccnews.jsonl", f"NEWSCRAWL_STATE={tmp}/state.sqlite",
                    f"NEWSCRAWL_LOCK={tmp}/ccnews.lock", "LOG_LEVEL=INFO"]
        args = ["crawl", "ccnews", "-a", f"warc={warc}", "-a", "region=asia", *[a for s in settings for a in ("-s", s)]]
        run, wall = scrapy_command(args, cwd=ROOT)
        summary_file = Path(tmp) / "ccnews.summary.json"
        if not summary_file.is_file():
            raise SystemExit(f"the ccnews crawl wrote no summary (exit {run.returncode}):\n{run.stderr[-3000:]}")
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    seconds, read, written = summary["duration_seconds"], summary["pages"].get("warc_record", 0), summary["articles"]["written"]
    return {"exit_code": run.returncode, "read": read, "written": written, "seconds": seconds,
            "records_per_second": round(read / seconds, 1), "articles_per_second": round(written / seconds, 1),
            "wall_seconds": round(wall, 2), "peak_memory_mb": summary["peak_memory_mb"]}


def figures(warc: str, repeat: int) -> dict:
    """Median figures over `repeat` crawls of one source (peak memory: the highest)."""
    runs = [crawl_once(warc) for _ in range(repeat)]
    keys = ("seconds", "records_per_second", "articles_per_second", "wall_seconds")
    return {"read": runs[0]["read"], "written": runs[0]["written"],
            **{key: statistics.median(r[key] for r in runs) for key in keys},
            "peak_memory_mb": max(r["peak_memory_mb"] for r in runs), "runs": runs}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(folder: Path) -> ThreadingHTTPServer:
    """Serve a folder on an ephemeral port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def table(rows: list[tuple[str, dict, dict]]) -> str:
    """The runs as a Markdown table."""
    lines = ["| source | WARC records | MB | site pages | written | crawl s | records/s | articles/s "
             "| process wall s | peak memory MB |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for label, warc, run in rows:
        lines.append(f"| {label} | {run['read']} | {warc['megabytes']} | {warc['site_pages']} | {run['written']} "
                     f"| {run['seconds']:.2f} | {run['records_per_second']:.0f} | {run['articles_per_second']:.1f} "
                     f"| {run['wall_seconds']:.2f} | {run['peak_memory_mb']:.1f} |")
    return "\n".join(lines)


def section(command: str, m: dict, rows: list[tuple[str, dict, dict]], repeat: int) -> str:
    """The RESULTS.md section: command, machine, table, a short reading."""
    others = [run for label, warc, run in rows if not warc["site_pages"]]
    mixed = [(label, warc, run) for label, warc, run in rows if warc["site_pages"]]
    sentences = []
    if others:
        sentences.append(f"Reading and passing over other publishers' records alone runs at "
                         f"{others[0]['records_per_second']:.0f} records a second.")
    if mixed:
        label, warc, run = mixed[0]
        sentences.append(f"With {warc['site_pages'] / warc['records']:.0%} of the records the site's ({label}), "
                         f"the crawl reads {run['records_per_second']:.0f} records and writes "
                         f"{run['articles_per_second']:.0f} articles a second: the article path (extraction, then the "
                         f"pipelines' state writes) sets the pace.")
        memory = [run["peak_memory_mb"] for _, _, run in mixed]
        sentences.append(f"Peak memory stays between {min(memory):.0f} and {max(memory):.0f} MB whatever the "
                         f"archive's size: records are streamed, one at a time.")
    return (f"{HEADING}\n\n`{command}` on {m['date']}: {m['cpus']} CPUs (1-minute load {m['load_average_1m']} "
            f"at start), median of {repeat} crawls each (peak memory: the highest).\n\n{table(rows)}\n\n"
            f"{' '.join(sentences)}\n")


def write_section(results: Path, text: str) -> None:
    """Put the section at the end of RESULTS.md, replacing an earlier one (run.py rewrites the file without it)."""
    current = results.read_text(encoding="utf-8") if results.is_file() else ""
    start = current.find(HEADING)
    if start >= 0:
        following = current.find("\n## ", start + len(HEADING))
        current = current[:start] + (current[following + 1:] if following >= 0 else "")
    results.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, help="WARC response records of the main file (default 2000)")
    parser.add_argument("--share", type=float, default=0.2, help="share of them that are the site's pages (default 0.2)")
    parser.add_argument("--repeat", type=int, default=3, help="crawls per source (default 3)")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md", help="where the section goes")
    args = parser.parse_args()
    command = " ".join(["python", "benchmarks/ccnews.py", *sys.argv[1:]])
    started = machine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        builds = {
            "others": (folder / "others" / "CC-NEWS-others.warc.gz", args.records, 0.0),
            "mixed": (folder / "mixed" / "CC-NEWS-mixed.warc.gz", args.records, args.share),
            "large": (folder / "large" / "CC-NEWS-large.warc.gz", args.records * 4, args.share),
        }
        warcs = {}
        for name, (path, records, share) in builds.items():
            path.parent.mkdir()
            warcs[name] = build_warc(path, records, share)
        server = serve(folder)
        url = f"http://127.0.0.1:{server.server_address[1]}/mixed/{builds['mixed'][0].name}"
        try:
            rows = [
                ("file, other publishers only", warcs["others"], figures(str(builds["others"][0]), args.repeat)),
                ("file", warcs["mixed"], figures(str(builds["mixed"][0]), args.repeat)),
                ("URL on 127.0.0.1", warcs["mixed"], figures(url, args.repeat)),
                ("file, 4 times larger", warcs["large"], figures(str(builds["large"][0]), args.repeat)),
            ]
        finally:
            server.shutdown()
            server.server_close()
    text = section(command, started, rows, args.repeat)
    write_section(args.results, text)
    print(text)


if __name__ == "__main__":
    main()
