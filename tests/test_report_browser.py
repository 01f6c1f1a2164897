"""`scrapy report` over real run summaries, seen in a real browser: three offline crawls of `asia` and a
synthetic `world` history with a coverage cliff, the page rendered by headless Chromium (file:// only, network
features off), its DOM and screenshot checked against the summaries.

Chromium is Debian's `chromium` package; without it these tests are skipped, except under CI (`CI` set).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from conftest import FIXTURE_SITE
from test_crawl_offline import scrapy
from test_report_page import write_history

CHROMIUM = shutil.which("chromium")
if not CHROMIUM and not os.environ.get("CI"):
    pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)", allow_module_level=True)

pytestmark = [pytest.mark.subprocess, pytest.mark.xdist_group("report_browser")]

WIDTH, HEIGHT = 1280, 4000
# nothing but the file: no DNS, no proxy-less fetches, none of the background services that phone home
OFFLINE_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--disable-domain-reliability", "--disable-breakpad", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,NetworkTimeServiceQuerying",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]


def chromium(profile: Path, *args: str) -> subprocess.Popen:
    assert CHROMIUM
    return subprocess.Popen([CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=False)


def crawl_settings(data: Path, state: Path) -> list[str]:
    """The default output layout (data/<spider>/<time>.jsonl) inside the test's folder."""
    return ["-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}", "-s", f"NEWSCRAWL_OUTPUT={data / '%(name)s' / '%(time)s.jsonl'}",
            "-s", f"NEWSCRAWL_STATE={state}", "-s", f"NEWSCRAWL_LOCK={data / '%(name)s.lock'}"]


def make_report(tmp: Path) -> None:
    """Crawl three times (5 articles, then the rest, then nothing new), add the synthetic history and a broken
    summary, run `scrapy report`, and have Chromium dump the DOM and take a screenshot, side by side."""
    data = tmp / "data"
    for extra in (["-a", "limit=5"], [], []):
        run = scrapy("crawl", "asia", *crawl_settings(data, tmp / "state.sqlite"), *extra)
        assert run.returncode == 0, run.stderr[-3000:]
    write_history(data / "world", datetime.now(UTC).replace(microsecond=0) - timedelta(days=3))
    (data / "world" / "broken.summary.json").write_text('{"spider": "world", "started": ', encoding="utf-8")
    made = scrapy("report", "--data", str(data), "--out", str(tmp / "report.html"))
    assert made.returncode == 0, made.stderr[-3000:]
    url = (tmp / "report.html").as_uri()
    dump = chromium(tmp / "profile-dom", "--dump-dom", url)
    shot = chromium(tmp / "profile-png", f"--screenshot={tmp / 'shot.png'}", f"--window-size={WIDTH},{HEIGHT}", url)
    dom, dump_err = dump.communicate(timeout=60)
    _, shot_err = shot.communicate(timeout=60)
    assert dump.returncode == 0 and dom, dump_err.decode(errors="replace")[-2000:]
    assert shot.returncode == 0, shot_err.decode(errors="replace")[-2000:]
    (tmp / "said.txt").write_text(made.stdout, encoding="utf-8")
    (tmp / "dom.html").write_bytes(dom)
    (tmp / "done").touch()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The page's DOM and screenshot, what the command said, and the summaries it was made from."""
    assert CHROMIUM, "CI is set and chromium is missing: .ci/run installs it (apt-get install chromium)"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        tmp = tmp_path_factory.mktemp("report")
        make_report(tmp)
    else:
        # The workers of one session share pytest-N/: the first makes the report, the other reads it. (xdist_group
        # alone does not keep this module on one worker: xdist 3.8 sets Item._nodeid, which pytest 9.2 no longer reads.)
        tmp = tmp_path_factory.getbasetemp().parent / "report_browser"
        tmp.mkdir(exist_ok=True)
        with open(tmp.parent / "report_browser.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (tmp / "done").exists():
                make_report(tmp)
    summaries: dict[str, list[dict]] = {}
    for path in (tmp / "data").glob("*/*.summary.json"):
        if path.name != "broken.summary.json":
            summaries.setdefault(path.parent.name, []).append(json.loads(path.read_text(encoding="utf-8")))
    return {"said": (tmp / "said.txt").read_text(encoding="utf-8"),
            "dom": lxml.html.fromstring((tmp / "dom.html").read_bytes()), "png": (tmp / "shot.png").read_bytes(),
            "summaries": {spider: sorted(runs, key=lambda run: run["started"]) for spider, runs in summaries.items()}}


def figure(dom, kind: str, series: str):
    [found] = dom.xpath(f'//figure[@data-chart="{kind}"][@data-series="{series}"]')
    return found


def rows(figure_element) -> list[list[str]]:
    """The figures' table, its body rows as cell texts."""
    return [[cell.text_content() for cell in row.xpath("td")] for row in figure_element.xpath(".//tbody/tr")]


def stamp(summary: dict) -> str:
    return datetime.fromisoformat(summary["started"]).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def test_the_command_says_what_it_wrote(report):
    assert report["said"].startswith("Wrote ") and ": 11 runs of 2 spiders." in report["said"]
    assert "1 summary could not be read" in report["said"]


def test_every_chart_draws_marks(report):
    figures = report["dom"].xpath("//figure[@data-chart]")
    assert len(figures) == 1 + 6 * 2  # written per day; six charts per spider
    for element in figures:
        where = f"{element.get('data-chart')} of {element.get('data-series')}"
        [chart] = element.xpath(".//*[local-name()='svg']")
        marks = chart.xpath(".//*[local-name()='rect' or local-name()='path' or local-name()='circle'][@class='mark']")
        assert marks, f"{where}: no marks drawn"
        assert chart.xpath("./*[local-name()='title']")[0].text, f"{where}: no title"
        assert all(mark.xpath("./*[local-name()='title']") for mark in marks), f"{where}: a mark without its figure"
        assert len(chart.xpath(".//*[local-name()='text'][@class='label']")) == 2, f"{where}: axis labels"
        assert rows(element), f"{where}: no table of figures"


@pytest.mark.parametrize("spider", ["asia", "world"])
def test_written_counts_and_exit_codes_match_the_summaries(report, spider):
    summaries = report["summaries"][spider]
    written = {row[0]: row[-1] for row in rows(figure(report["dom"], "written", spider))}
    assert written == {stamp(s): str(s["articles"]["written"]) for s in summaries}
    codes = {row[0]: row[2] for row in rows(figure(report["dom"], "exit-codes", spider))}
    assert codes == {stamp(s): str(s["health"]["exit_code"]) for s in summaries}
    # the bars' own figures add up to the same totals
    bars = figure(report["dom"], "written", spider).xpath(".//*[local-name()='rect'][@class='mark']/*")
    assert sum(int(bar.text.rpartition(": ")[2]) for bar in bars) == sum(s["articles"]["written"] for s in summaries)
    if spider == "asia":  # the real crawls: the limit, the rest, then nothing new
        assert [s["articles"]["written"] for s in summaries][::2] == [5, 0]


def test_the_coverage_cliff_shows(report):
    element = figure(report["dom"], "coverage", "world")
    dateline = [t.text for t in element.xpath(".//*[local-name()='circle']/*") if " · dateline: " in t.text]
    assert [t.rpartition(": ")[2] for t in dateline] == ["90.0%"] * 5 + ["5.0%"] * 2  # the run writing 0 has none
    [problem] = {row[3] for row in rows(figure(report["dom"], "exit-codes", "world")) if row[2] == "4"}
    assert problem.startswith("coverage fell: dateline 90% -> 5%")


def test_the_broken_summary_is_named_on_the_page(report):
    [notes] = report["dom"].xpath('//section[@class="notes"]')
    assert "1 summary could not be read" in notes.text_content()
    assert "world/broken.summary.json: not JSON" in notes.text_content()


def test_the_page_loads_nothing(report):
    dom = report["dom"]
    assert not dom.xpath("//script | //link | //img | //iframe | //object | //*[@src]")
    assert not [value for value in dom.xpath("//@href") if not value.startswith("#")]


def png_rows(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG, not interlaced (what Chromium writes): width, height, bytes per pixel,
    and the pixel rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks: dict[bytes, bytes] = {}
    at = 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks[kind] = chunks.get(kind, b"") + data[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour_type in (2, 6), interlace) == (8, True, 0), "only 8-bit RGB(A), not interlaced"
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(chunks[b"IDAT"]), width * bpp
    low, high = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
    previous, pixels = bytes(stride), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if kind == 0:
            row = line
        elif kind == 2:  # Up: bytes added lane by lane on big integers, far faster than a Python loop
            a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
            row = (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big")
        else:  # Sub, Average, Paeth: each byte depends on the one before
            out = bytearray(line)
            for i in range(stride):
                left, up = out[i - bpp] if i >= bpp else 0, previous[i]
                if kind == 1:
                    guess = left
                elif kind == 3:
                    guess = (left + up) >> 1
                else:
                    corner = previous[i - bpp] if i >= bpp else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                out[i] = (out[i] + guess) & 255
            row = bytes(out)
        pixels.append(row)
        previous = row
    return width, height, bpp, pixels


def test_png_decoder_on_a_tiny_image():
    # 2x2 RGB, rows filtered None and Sub: red, green / blue, then blue again by Sub (difference 0)
    raw = b"\x00" + bytes([255, 0, 0, 0, 255, 0]) + b"\x01" + bytes([0, 0, 255, 0, 0, 0])
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    assert png_rows(png) == (2, 2, 3, [bytes([255, 0, 0, 0, 255, 0]), bytes([0, 0, 255, 0, 0, 255])])


def test_the_screenshot_is_not_blank(report):
    width, height, bpp, pixels = png_rows(report["png"])
    assert (width, height) == (WIDTH, HEIGHT)
    colours = Counter(row[x:x + 3] for row in pixels[::2] for x in range(0, len(row), bpp * 2))
    white = colours[b"\xff\xff\xff"]
    drawn = 1 - white / sum(colours.values())
    assert 0.03 < drawn < 0.9, f"{drawn:.1%} of the page is not white"
    assert len(colours) > 20, "a page of charts has many colours"
    # the charts' first colours (svg.PALETTE: blue, orange) are painted in quantity
    for rgb in (bytes([0x4E, 0x79, 0xA7]), bytes([0xF2, 0x8E, 0x2B])):
        assert colours[rgb] > 200, f"#{rgb.hex()} barely painted"
