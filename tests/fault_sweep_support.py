"""Helpers of the fault sweep (tests/test_fault_sweep.py): run the real `scrapy crawl asia` under a fault, read what
it left (output lines, state rows) and check the sweep's invariant.

Nothing here knows newscrawl's internals: a run is a subprocess, its results are the files under the work folder
(`out/` for the JSON Lines files and their summaries, `state.sqlite`, `asia.lock`) and its exit code and log.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from conftest import FIXTURE_SITE, ROOT

SPIDER = "asia"
RUN_TIMEOUT = 180  # seconds a run may take before it is called hung (a clean fixture crawl takes a few)
MOMENT_DEADLINE = 120  # seconds to wait for a signal's moment before sending it anyway
SLOW = ("-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS=1")  # time to hit a moment
EXIT_MEANING = {
    0: "healthy", 1: "could not start", 2: "usage", 3: "no articles", 4: "coverage fell", 5: "too many drops",
    6: "blocked", 7: "interrupted", 8: "unreachable", 9: "output or state not writable", 75: "locked",
    -signal.SIGKILL: "SIGKILLed", -signal.SIGTERM: "killed by SIGTERM", -signal.SIGINT: "killed by SIGINT",
}


def exit_text(code: int | None) -> str:
    return "no exit (hung)" if code is None else f"exit {code} ({EXIT_MEANING.get(code, '?')})"


def listed(head: str, items) -> str:
    """One problem naming several things, one a line."""
    return head + "".join(f"\n          {item}" for item in items)


def tail(text: str, lines: int = 12, width: int = 220) -> str:
    """The last lines of a log, each cut to a width, indented for a failure message."""
    last = [line[:width] for line in text.rstrip().splitlines()[-lines:]]
    return "\n".join("        | " + line for line in last) or "        | (empty)"


# ---------------------------------------------------------------------------------------------------- a work folder


@dataclass
class Work:
    """One case's folder: output under out/, the state, the lock, the run logs under logs/."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def asia_out(self) -> Path:
        return self.out / SPIDER

    @property
    def state(self) -> Path:
        return self.root / "state.sqlite"

    @property
    def lock(self) -> Path:
        return self.root / f"{SPIDER}.lock"

    @property
    def default_output(self) -> str:
        return f"{self.out}/%(name)s/%(time)s.jsonl"


def crawl_argv(work: Work, *extra: str, site: Path | None = FIXTURE_SITE, output: str | None = None) -> list[str]:
    """The `scrapy crawl asia` command line of the sweep: fixture site (None: no replay), output, state, lock."""
    replay = ["-s", f"NEWSCRAWL_REPLAY={site}"] if site is not None else []
    return [
        sys.executable, "-m", "scrapy", "crawl", SPIDER, *replay,
        "-s", f"NEWSCRAWL_OUTPUT={output or work.default_output}",
        "-s", f"NEWSCRAWL_STATE={work.state}",
        "-s", f"NEWSCRAWL_LOCK={work.root}/%(name)s.lock",
        *extra,
    ]


def files_under(folder: Path) -> dict[Path, tuple[int, int, int]]:
    """Every file below a folder with (inode, size, mtime_ns): what a run created or changed shows in a diff."""
    found = {}
    if folder.exists():
        for path in folder.rglob("*"):
            if path.is_file():
                st = path.stat()
                found[path] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


# ------------------------------------------------------------------------------------------------------------ a run


@dataclass
class Run:
    """One finished `scrapy crawl`, with what was done to it."""

    label: str
    argv: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    before: dict[Path, tuple[int, int, int]]
    after: dict[Path, tuple[int, int, int]]
    signal: int | None = None
    moment: int | None = None  # k: the signal waited for the run's .part to hold k complete lines
    lines_at_signal: int | None = None
    signal_sent: bool = False  # False: the run had ended before its moment came
    moment_missed: bool = False  # the deadline passed before the moment: the signal went anyway
    fsize: int | None = None
    summaries: list[tuple[Path, dict | None]] = field(default_factory=list)  # read when the run ended

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def changed(self, pattern: str) -> list[Path]:
        """Files matching the glob pattern (by name) that this run created or changed."""
        return sorted(p for p, sig in self.after.items() if p.match(pattern) and self.before.get(p) != sig)

    def read_summaries(self) -> list[tuple[Path, dict | None]]:
        """The summaries this run wrote, parsed (None when unreadable)."""
        found = []
        for path in self.changed("*.summary.json"):
            try:
                found.append((path, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                found.append((path, None))
        return found

    def describe(self) -> str:
        what = self.label
        if self.signal is not None:
            name = signal.Signals(self.signal).name
            if self.signal_sent:
                what += f" [{name} at k={self.moment}: sent when the .part held {self.lines_at_signal} lines"
                what += ", moment missed: deadline passed]" if self.moment_missed else "]"
            else:
                what += f" [{name} at k={self.moment}: not sent, the run had ended]"
        if self.fsize is not None:
            what += f" [RLIMIT_FSIZE={self.fsize}]"
        return f"{what}: {exit_text(self.returncode)}"


def _reader(stream, sink: list[str]) -> threading.Thread:
    def read():
        sink.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def _new_part(folder: Path, known: set[tuple[str, int]]) -> Path | None:
    """The .part file of the running run: one that was not there (same name and inode) when it started."""
    if not folder.exists():
        return None
    for path in sorted(folder.glob("*.part")):
        try:
            if (path.name, path.stat().st_ino) not in known:
                return path
        except FileNotFoundError:
            continue
    return None


def complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def run_crawl(
    work: Work,
    label: str,
    *extra: str,
    site: Path | None = FIXTURE_SITE,
    output: str | None = None,
    send: int | None = None,
    at_lines: int = 0,
    fsize: int | None = None,
) -> Run:
    """Run one crawl to its end. With `send`, send that signal once the run's .part holds `at_lines` complete
    lines (0: as soon as it exists), unless the run ends first. With `fsize`, the run's RLIMIT_FSIZE.

    stdout and stderr are pipes (read by threads): a log file would itself be cut by RLIMIT_FSIZE."""
    argv = crawl_argv(work, *extra, site=site, output=output)
    before = files_under(work.root)
    known = {(p.name, sig[0]) for p, sig in before.items() if p.name.endswith(".part")}
    limit = None if fsize is None else (lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize)))
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", preexec_fn=limit)  # noqa: PLW1509 (setrlimit only; threads start after)
    out, err = [], []
    readers = [_reader(proc.stdout, out), _reader(proc.stderr, err)]
    run = Run(label, argv, None, "", "", before, {}, signal=send, moment=at_lines if send else None, fsize=fsize)
    if send is not None:
        deadline = time.monotonic() + MOMENT_DEADLINE
        while proc.poll() is None:
            part = _new_part(work.asia_out, known)
            lines = complete_lines(part) if part else 0
            missed = time.monotonic() > deadline
            if (part and lines >= at_lines) or missed:
                proc.send_signal(send)
                run.signal_sent, run.lines_at_signal, run.moment_missed = True, lines, missed
                break
            time.sleep(0.02)
    try:
        run.returncode = proc.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for reader in readers:
        reader.join(timeout=30)
    run.stdout, run.stderr = "".join(out), "".join(err)
    run.after = files_under(work.root)
    run.summaries = run.read_summaries()
    logs = work.root / "logs"
    logs.mkdir(exist_ok=True)
    (logs / f"{label}.stderr").write_text(run.stderr, encoding="utf-8")  # for a look after a failure
    return run


def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------------------------- output and state


@dataclass
class Line:
    """One line of an output file: its record, or why it is not one."""

    file: Path
    number: int
    raw: bytes
    terminated: bool
    record: dict | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, int] | None:
        return (self.record["url"], self.record["version"]) if self.record is not None else None

    def where(self) -> str:
        return f"{self.file.name}:{self.number}"


def parse_line(file: Path, number: int, raw: bytes, terminated: bool) -> Line:
    line = Line(file, number, raw, terminated)
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        line.error = f"not JSON ({type(error).__name__})"
        return line
    if not isinstance(value, dict):
        line.error = f"a JSON {type(value).__name__}, not an object"
    elif not isinstance(value.get("url"), str) or not isinstance(value.get("version"), int):
        line.error = "a JSON object without a url and an integer version"
    else:
        line.record = value
    return line


def file_lines(path: Path) -> list[Line]:
    """The lines of one output file, the last one marked when it has no newline."""
    data = path.read_bytes()
    pieces = data.split(b"\n")
    lines = [parse_line(path, n, raw, True) for n, raw in enumerate(pieces[:-1], 1)]
    if pieces[-1]:
        lines.append(parse_line(path, len(pieces), pieces[-1], False))
    return lines


def output_files(work: Work, *, parts: bool) -> list[Path]:
    files = [p for p in work.out.rglob("*.jsonl") if p.is_file()] if work.out.exists() else []
    if parts and work.out.exists():
        files += [p for p in work.out.rglob("*.jsonl.part") if p.is_file()]
    return sorted(files)


def output_lines(work: Work, *, parts: bool) -> list[Line]:
    return [line for path in output_files(work, parts=parts) for line in file_lines(path)]


class StateUnreadable(Exception):
    pass


def state_rows(work: Work) -> list[tuple[str, int]]:
    """(url, version) of every `emitted` row of the spider, read from a copy of the state (and its WAL or journal)
    so that reading it neither checkpoints nor changes what the next run finds."""
    if not work.state.exists():
        return []
    with tempfile.TemporaryDirectory() as tmp:
        for path in work.root.glob(work.state.name + "*"):
            if path.is_file() and not path.name.endswith("-shm"):
                shutil.copy2(path, Path(tmp) / path.name)
        db = sqlite3.connect(Path(tmp) / work.state.name)
        try:
            return db.execute("SELECT url, version FROM emitted WHERE spider = ?", (SPIDER,)).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise StateUnreadable(f"{type(error).__name__}: {error}") from None
        except sqlite3.DatabaseError as error:
            raise StateUnreadable(f"{type(error).__name__}: {error}") from None
        finally:
            db.close()


def state_ahead(work: Work) -> list[str]:
    """The state never ahead of the output: every (url, version) the state says was written is a line of some
    *.jsonl or *.jsonl.part under out/ (a .part's unterminated last line, torn by a kill, does not count)."""
    try:
        rows = state_rows(work)
    except StateUnreadable as error:
        return [f"the state cannot be read: {error}"]
    written = {line.key for line in output_lines(work, parts=True) if line.record is not None and line.terminated}
    ahead = sorted(set(rows) - written)
    if not ahead:
        return []
    return [listed(f"state ahead of the output: {len(ahead)} (url, version) in `emitted` but in no output line:",
                   (f"{url} v{version}" for url, version in ahead))]


def invariant_violations(work: Work, expected: set[str]) -> list[str]:
    """The sweep's invariant on what the runs left (the caller adds the second clean rerun):

    - across every *.jsonl under out/, each expected URL exactly once at version 1, no other URL or version,
      every line a JSON object record, no torn line;
    - no *.part file left;
    - the state never ahead of the output."""
    problems = []
    lines = output_lines(work, parts=False)
    garbage = [f"{line.where()}: {line.error}: {line.raw[:60]!r}" for line in lines if line.error]
    torn = [line.where() for line in lines if line.record is not None and not line.terminated]
    found = Counter(line.key for line in lines if line.record is not None)
    wanted = {(url, 1) for url in expected}
    missing = [f"{url} v{version}" for url, version in sorted(wanted - set(found))]
    unexpected = [f"{url} v{version} ({n}x)" for (url, version), n in sorted(found.items()) if (url, version) not in wanted]
    duplicated = [f"{url} v{version}: " + ", ".join(line.where() for line in lines if line.key == (url, version))
                  for (url, version), n in sorted(found.items()) if (url, version) in wanted and n > 1]
    parts = [p.relative_to(work.root).as_posix() for p in sorted(work.out.rglob("*.part"))] if work.out.exists() else []
    for head, items in (
        (f"missing: {len(missing)} of {len(wanted)} expected articles are in no *.jsonl:", missing),
        (f"duplicated: {len(duplicated)} written more than once:", duplicated),
        (f"unexpected: {len(unexpected)} URL/version not expected:", unexpected),
        (f"garbage: {len(garbage)} lines not a JSON record:", garbage),
        (f"torn: {len(torn)} lines without their newline:", torn),
        (f"left: {len(parts)} .part files:", parts),
    ):
        if items:
            problems.append(listed(head, items))
    problems += state_ahead(work)
    return problems


def exit_zero_violations(run: Run) -> list[str]:
    """A run that exits 0 wrote everything it claimed: its summary's `articles.written` is the line count of the
    output it names (no file needed when 0), no .part of it is left, and its log has no traceback."""
    if run.returncode != 0:
        return []
    problems = []
    summaries = run.summaries
    if not summaries:
        problems.append("exit 0 but the run wrote no summary")
    for path, summary in summaries:
        if summary is None:
            problems.append(f"exit 0 but its summary {path.name} is not JSON")
            continue
        written = (summary.get("articles") or {}).get("written")
        output = summary.get("output")
        if not isinstance(written, int) or not output:
            problems.append(f"exit 0 but its summary {path.name} has no articles.written or output")
            continue
        target = Path(output)
        if written and not target.is_file():
            problems.append(f"exit 0, summary says {written} written, but its output {target.name} does not exist")
        elif written:
            lines = file_lines(target)
            if len(lines) != written:
                problems.append(f"exit 0, summary says {written} written, but {target.name} has {len(lines)} lines")
            if lines and not lines[-1].terminated:
                problems.append(f"exit 0 but its output {target.name} ends with a torn line")
        part = target.with_name(target.name + ".part")
        if part.exists():
            problems.append(f"exit 0 but its {part.name} is left")
    if "Traceback" in run.log:
        problems.append("exit 0 but the log has a Traceback")
    return problems


def stat_count(log: str, name: str) -> int | None:
    """A counter's value in the log's stats dump ('newscrawl/…': N), None when absent."""
    found = re.findall(rf"'{re.escape(name)}': (\d+)", log)
    return int(found[-1]) if found else None


# ------------------------------------------------------------------------------------------------ fixture edits


def copy_site(dest: Path) -> Path:
    site = dest / "site"
    shutil.copytree(FIXTURE_SITE, site)
    return site


def served_urls(site: Path) -> dict[str, list[str]]:
    """Fixture file -> the URLs site.json serves it under (200 answers only)."""
    manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    urls: dict[str, list[str]] = {}
    for entry in manifest["responses"]:
        if entry.get("status", 200) == 200 and entry.get("file"):
            urls.setdefault(entry["file"], []).append(entry["url"])
    return urls


def asia_pages(site: Path) -> list[tuple[Path, dict]]:
    """Asia article pages with their hand-written checks (headline, url), dropped pages excepted."""
    pages = []
    for checks_path in sorted((site / "articles").glob("*.checks.json")):
        checks = json.loads(checks_path.read_text(encoding="utf-8"))
        if checks.get("section") == "asia" and not checks.get("expect_dropped"):
            pages.append((checks_path.with_name(checks_path.name.removesuffix(".checks.json") + ".html"), checks))
    return pages


def spoof_canonical(page: Path, own_url: str, lie: str) -> list[str]:
    """Make a page name another URL as its own: <link rel=canonical>, og:url, and JSON-LD url / @id where the
    page has them. Returns what was changed; the canonical link and og:url must be there."""
    html = page.read_text(encoding="utf-8")
    changed = []
    for what, pattern in (
        ("link rel=canonical", rf'(<link rel="canonical" href=")({re.escape(own_url)})(")'),
        ("og:url", rf'(<meta property="og:url" content=")({re.escape(own_url)})(")'),
        ("JSON-LD url", rf'("url"\s*:\s*")({re.escape(own_url)})(")'),
        ("JSON-LD @id", rf'("@id"\s*:\s*")({re.escape(own_url)})(")'),
    ):
        html, n = re.subn(pattern, lambda m: m.group(1) + lie + m.group(3), html)
        if n:
            changed.append(what)
    assert {"link rel=canonical", "og:url"} <= set(changed), f"{page.name}: no canonical/og:url to spoof"
    page.write_text(html, encoding="utf-8")
    return changed


def pad_article_bodies(site: Path, size: int) -> int:
    """Add a text block of about `size` bytes after the first text block of every era-B article (each record then
    weighs more than `size`). Returns the number of pages padded."""
    block = '<div class="article__block" data-type="text">'
    padded = 0
    for page in sorted((site / "articles").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        start = html.find(block)
        if start < 0:
            continue
        end = html.index("</div></div>", start) + len("</div></div>")
        sentence = f"This sentence pads the {page.stem} article, and it says nothing more. "
        text = sentence * (size // len(sentence) + 1)
        page.write_text(html[:end] + block + f'<div class="article__text">{text}</div></div>' + html[end:], encoding="utf-8")
        padded += 1
    return padded


def pad_state(state: Path, at_least: int) -> int:
    """Grow a state file with `emitted` rows of a spider 'filler' until it is at least `at_least` bytes; returns
    its size (WAL checkpointed and closed, so the whole state is in the one file)."""
    db = sqlite3.connect(state, isolation_level=None)
    try:
        n = 0
        while state.stat().st_size < at_least:
            rows = [("filler", f"https://filler.example/{n + i}.html", str(10**9 + n + i), "sha256:" + "0" * 64,
                     None, 1, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00") for i in range(200)]
            db.execute("BEGIN")
            db.executemany("INSERT INTO emitted (spider, url, article_id, content_hash, modified, version,"
                           " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.execute("COMMIT")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            n += len(rows)
    finally:
        db.close()
    return state.stat().st_size
