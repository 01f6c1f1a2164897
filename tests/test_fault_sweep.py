"""The fault sweep: the real offline crawl (`scrapy crawl asia` against the fixture site, in a subprocess) under a
fault schedule, then a clean rerun, and one invariant checked after every case.

Each case below puts something in place (`before`), runs the faulted run(s) (`fault`) and checks what they must
do (`expect`); then, unless the case says otherwise, a clean rerun and THE INVARIANT (`invariant_violations` in
fault_sweep_support.py, plus a second clean rerun here):

- across every *.jsonl under out/: each expected article exactly once at version 1, nothing else, every line a
  JSON record, no torn line; no *.part left; the state (`emitted`) never ahead of the output;
- a second clean rerun writes nothing new and exits 0.

After EVERY run, faulted or not: the state never ahead of the output (*.jsonl and *.jsonl.part lines; only a .part's
unterminated last line is ignored). After every FAULTED run: exit 0 only for a run that wrote everything it claimed
(summary `articles.written` = lines of its output, no .part of it left, no traceback), and no traceback on stderr
for any fault but SIGKILL.

Every random choice of a case (signal moments, limits, bytes, pages) comes from `random.Random(<case id>)`: the
failure message names the case id, so `pytest -m faultsweep -k <id>` replays it.

Exit codes (the contract): 0 healthy; 1 could not start; 3 no articles; 7 interrupted by a signal; 8 unreachable;
9 output or state could not be written; -9 SIGKILLed.
"""

from __future__ import annotations

import json
import random
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, shared_folder
from fault_sweep_support import (
    SLOW,
    Run,
    Work,
    asia_pages,
    closed_port,
    copy_site,
    exit_text,
    exit_zero_violations,
    file_lines,
    invariant_violations,
    output_files,
    output_lines,
    pad_article_bodies,
    pad_state,
    run_crawl,
    served_urls,
    spoof_canonical,
    stat_count,
    state_ahead,
    state_rows,
    tail,
)
from test_crawl_offline import default_crawl, expected_asia_urls  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.faultsweep, pytest.mark.subprocess]

EXPECTED = expected_asia_urls()
LEFTOVER = "2026-01-01T00-00-00Z.jsonl.part"  # a .part left by some earlier run


# --------------------------------------------------------------------------------------------------- one case's run


@dataclass
class Sweep:
    """A case in progress: its work folder, its random source, its runs, and every problem found so far."""

    case_id: str
    work: Work
    reference: Callable[[], list[bytes]]  # the lines of a clean crawl of the fixture (made on first use)
    rng: random.Random = field(init=False)
    site: Path = FIXTURE_SITE  # the site of every run of the case (it never changes during a case)
    output: str | None = None  # the case's NEWSCRAWL_OUTPUT (None: out/%(name)s/%(time)s.jsonl)
    check_state: bool = True  # False only where the state is meant to be unreadable
    drawn: list[str] = field(default_factory=list)  # what the case drew, for the failure message
    ctx: dict = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    show_log: set[str] = field(default_factory=set)  # labels of runs whose log tail the message shows
    closing: list[Callable[[Sweep], None]] = field(default_factory=list)  # checks after the clean reruns

    def __post_init__(self):
        self.rng = random.Random(self.case_id)

    def draw(self, what: str, value):
        self.drawn.append(f"{what}={value}")
        return value

    def problem(self, run: Run | None, text: str, log: bool = False) -> None:
        self.problems.append((f"{run.label}: " if run else "") + text)
        if log and run:
            self.show_log.add(run.label)

    def run(self, label: str, *extra: str, faulted: bool = False, **options) -> Run:
        """Run a crawl with the case's site and output; check the state after it, and a faulted run's exit 0 and
        traceback rules."""
        options.setdefault("site", self.site)
        options.setdefault("output", self.output)
        run = run_crawl(self.work, label, *extra, **options)
        self.runs.append(run)
        if run.returncode is None:
            self.problem(run, "did not end within the run timeout: killed", log=True)
        if self.check_state:
            for text in state_ahead(self.work):
                self.problem(run, text)
        if faulted:
            for text in exit_zero_violations(run):
                self.problem(run, text, log="Traceback" in text)
            if run.signal != signal.SIGKILL and run.returncode != 0 and "Traceback" in run.stderr:
                self.problem(run, "a Python traceback on stderr", log=True)
        return run

    def setup(self, label: str, *extra: str, **options) -> Run:
        """A run that prepares the case: it has to succeed, or the case cannot be judged."""
        run = self.run(label, *extra, **options)
        if run.returncode != 0:
            pytest.fail(self.message(f"the setup run `{label}` failed: {exit_text(run.returncode)}"), pytrace=False)
        return run

    def expect_exit(self, run: Run, *codes: int) -> bool:
        if run.returncode in codes:
            return True
        wanted = " or ".join(exit_text(code) for code in codes)
        self.problem(run, f"expected {wanted}, got {exit_text(run.returncode)}", log=True)
        return False

    def message(self, headline: str) -> str:
        lines = [f"case {self.case_id!r} (random.Random({self.case_id!r})): {headline}"]
        if self.drawn:
            lines.append("  drawn: " + ", ".join(self.drawn))
        lines.append("  runs:")
        for n, run in enumerate(self.runs, 1):
            lines.append(f"    {n}. {run.describe()}")
            if run.label in self.show_log:
                lines.append(f"      stderr tail ({self.work.root / 'logs' / run.label}.stderr):\n{tail(run.stderr)}")
        if self.problems:
            lines.append("  problems:")
            lines += [f"    - {text}" for text in self.problems]
        return "\n".join(lines)


def what_line(line) -> str:
    return f"{line.record['url']} v{line.record['version']}" if line.record else f"a line that is no record, in {line.file.name}"


def clean_reruns_and_invariant(sweep: Sweep) -> None:
    """The clean rerun, the invariant, the second clean rerun (nothing new, exit 0) and the case's closing checks."""
    sweep.run("clean rerun")
    for text in invariant_violations(sweep.work, EXPECTED):
        sweep.problems.append(f"invariant: {text}")
    before = Counter(what_line(line) for line in output_lines(sweep.work, parts=True))
    second = sweep.run("second clean rerun")
    sweep.expect_exit(second, 0)
    after = Counter(what_line(line) for line in output_lines(sweep.work, parts=True))
    for what, count in sorted((after - before).items()):
        sweep.problem(second, f"wrote something new: {what} ({count}x)")
    for check in sweep.closing:
        check(sweep)


# ----------------------------------------------------------------------------------------------- before the fault


def leftover(kind: str) -> Callable[[Sweep], None]:
    """A corrupt .part in out/asia/ from some earlier run."""

    def put(sweep: Sweep) -> None:
        rng = sweep.rng
        garbage = bytes(b for b in rng.randbytes(300) if b != 0x0A)
        if kind == "random-bytes":
            data = rng.randbytes(sweep.draw("bytes", rng.randint(512, 4096)))
        elif kind == "binary-line":
            data = b"\x00\xff\xfe" + garbage + b"\n"
        elif kind == "empty-object":
            data = b"{}\n"
        elif kind == "good-lines-then-garbage":
            reference = sweep.reference()
            chosen = sweep.draw("good lines", sorted(rng.sample(range(len(reference)), 3)))
            good = [reference[i] for i in chosen]
            sweep.ctx["recovered_urls"] = [json.loads(line)["url"] for line in good]
            data = b"".join(line + b"\n" for line in good) + b"\x00\xff\xfe" + garbage + b"\n"
        sweep.work.asia_out.mkdir(parents=True, exist_ok=True)
        (sweep.work.asia_out / LEFTOVER).write_bytes(data)
        sweep.ctx["leftover"] = data

    return put


def garbage_lock(sweep: Sweep) -> None:
    sweep.work.lock.write_bytes(sweep.rng.randbytes(256))


def garbage_state(sweep: Sweep) -> None:
    data = sweep.rng.randbytes(8192)
    sweep.work.state.write_bytes(data)
    sweep.ctx["state"] = data
    sweep.check_state = False  # meant to be unreadable: the case checks it is left as it was


def fixed_output_name(sweep: Sweep) -> None:
    sweep.output = str(sweep.work.asia_out / "asia.jsonl")


def output_is_a_directory(sweep: Sweep) -> None:
    directory = sweep.work.asia_out / "asia.jsonl"
    directory.mkdir(parents=True)
    sweep.ctx["directory"] = directory


def padded_site(sweep: Sweep) -> None:
    """Every era-B article page gains ~400 KB of text: one record outweighs the whole state's growth until it is
    written (the state's WAL grows ~16 KB a record), so the file-size limit is reached by the output first."""
    site = copy_site(sweep.work.root)
    assert pad_article_bodies(site, 400_000) >= 12
    sweep.site = site


def state_near_its_limit(sweep: Sweep) -> None:
    """A state made by one run (limit=1), then padded with rows of a spider 'filler' to a drawn size."""
    sweep.setup("setup: limit=1 run, makes the state", "-a", "limit=1")
    size = pad_state(sweep.work.state, sweep.draw("state padded to", sweep.rng.randint(100_000, 300_000)))
    sweep.ctx["fsize"] = size + sweep.draw("limit above its size", sweep.rng.randint(0, 8192))
    sweep.drawn.append(f"state size={size}")


def lying_canonical(kind: str) -> Callable[[Sweep], None]:
    """One Asia article page (served under one URL, its own canonical) names another URL as its canonical."""

    def spoof(sweep: Sweep) -> None:
        site = copy_site(sweep.work.root)
        served = served_urls(site)
        pages = [(page, checks) for page, checks in asia_pages(site)
                 if served.get(f"articles/{page.name}") == [checks["url"]]]
        page, checks = sweep.rng.choice(pages)
        sweep.draw("page", page.name)
        if kind == "other_host":
            lie = "https://evil.example/" + checks["url"].split("/", 3)[3]
        else:
            other, other_checks = sweep.rng.choice([p for p in pages if p[0] != page])
            sweep.draw("names", other.name)
            lie = other_checks["url"]
            sweep.ctx["other"] = other_checks
        sweep.draw("changed", "+".join(spoof_canonical(page, checks["url"], lie)))
        sweep.ctx["page"] = checks
        sweep.site = site

    return spoof


# ------------------------------------------------------------------------------------------------ the faulted runs

Fault = Callable[[Sweep], list[Run]]


def signalled(sig: signal.Signals, low: int, high: int) -> Fault:
    """A slowed run sent `sig` once its .part holds k complete lines, k drawn from low..high (0: once it exists)."""

    def fault(sweep: Sweep, label: str = "faulted") -> list[Run]:
        k = sweep.draw(f"{sig.name} k", sweep.rng.randint(low, high))
        return [sweep.run(label, *SLOW, faulted=True, send=sig, at_lines=k)]

    return fault


def in_a_row(*faults: Fault) -> Fault:
    def fault(sweep: Sweep) -> list[Run]:
        return [run for n, f in enumerate(faults, 1) for run in f(sweep, f"faulted {n}")]

    return fault


def limited(n: int) -> Fault:
    def fault(sweep: Sweep, label: str = "faulted") -> list[Run]:
        return [sweep.run(f"{label} (limit={n})", "-a", f"limit={n}", faulted=True)]

    return fault


def plain(sweep: Sweep, label: str = "faulted") -> list[Run]:
    """A run with nothing changed on its command line: the fault is what `before` put in place."""
    return [sweep.run(label, faulted=True)]


def fsize_limit(low: int, high: int) -> Fault:
    """A run under RLIMIT_FSIZE drawn from low..high."""

    def fault(sweep: Sweep) -> list[Run]:
        return under_fsize(sweep, sweep.draw("RLIMIT_FSIZE", sweep.rng.randint(low, high)))

    return fault


def fsize_limit_prepared(sweep: Sweep) -> list[Run]:
    """A run under the RLIMIT_FSIZE that `before` computed."""
    return under_fsize(sweep, sweep.ctx["fsize"])


def under_fsize(sweep: Sweep, limit: int) -> list[Run]:
    run = sweep.run("faulted", faulted=True, fsize=limit)
    sizes = {p.name: s[1] for p, s in run.after.items() if p.name.startswith("state.sqlite") or ".jsonl" in p.name}
    sweep.drawn.append(f"file sizes after the faulted run={sizes}")
    return [run]


def output_into_the_directory(sweep: Sweep) -> list[Run]:
    return [sweep.run("faulted", faulted=True, output=str(sweep.ctx["directory"]))]


def unreachable_sources(sweep: Sweep) -> list[Run]:
    origin = f"http://127.0.0.1:{sweep.draw('closed port', closed_port())}"
    resolve = json.dumps({"sputnikglobe.com": origin, "sputniknews.com": origin})
    return [sweep.run("faulted", "-s", f"NEWSCRAWL_RESOLVE={resolve}", "-s", "DOWNLOAD_TIMEOUT=5",
                      "-s", "RETRY_TIMES=1", faulted=True, site=None)]


# -------------------------------------------------------------------------------------------------- expectations


def signal_outcome(sweep: Sweep, runs: list[Run]) -> None:
    """SIGKILL: -9 (or 0 when the run ended before the kill landed). SIGINT/SIGTERM: 7; 0 only for a run whose
    crawl had finished anyway (summary finish_reason `finished`); a run that ended before its moment: 0."""
    for run in runs:
        if not run.signal_sent:
            sweep.expect_exit(run, 0)
        elif run.signal == signal.SIGKILL:
            sweep.expect_exit(run, -signal.SIGKILL, 0)
        elif run.returncode == 0:
            reasons = [summary.get("finish_reason") for _, summary in run.summaries if summary]
            if reasons != ["finished"]:
                sweep.problem(run, f"interrupted (finish_reason {reasons}) but exit 0, not 7", log=True)
        else:
            sweep.expect_exit(run, 7)


def healthy(sweep: Sweep, runs: list[Run]) -> None:
    for run in runs:
        sweep.expect_exit(run, 0)


def at_most(limit: int):
    def expect(sweep: Sweep, runs: list[Run]) -> None:
        for run in runs:
            if sweep.expect_exit(run, 0) and "limit=" in run.label:
                written = [s["articles"]["written"] for _, s in run.summaries if s]
                if not written or written[0] > limit:
                    sweep.problem(run, f"limit={limit} but the summary says written {written}")

    return expect


def write_failed(sweep: Sweep, runs: list[Run]) -> None:
    """9 when the limit was reached; 0 if it happened not to be (the exit-0 rule then holds the run to account)."""
    for run in runs:
        sweep.expect_exit(run, 9, 0)


def moved_aside(sweep: Sweep, runs: list[Run]) -> None:
    """The corrupt leftover does not block the run; it is kept, with its bytes, under a name saying `corrupt`,
    the log names it; its whole valid lines are recovered, once."""
    [run] = runs
    sweep.expect_exit(run, 0)
    original = sweep.ctx["leftover"]
    named = [p for p in sweep.work.root.rglob("*corrupt*") if p.is_file()]
    kept = [p for p in named if p.read_bytes() == original]
    if not kept:
        sweep.problem(run, f"the leftover's bytes are in no file named *corrupt* (such files: {[p.name for p in named]})")
    elif not any(p.name in run.log for p in kept):
        sweep.problem(run, f"the log does not name the moved-aside file {kept[0].name}")
    if "recovered_urls" in sweep.ctx:
        jsonl = Counter(line.record["url"] for line in output_lines(sweep.work, parts=False) if line.record)
        for url in sweep.ctx["recovered_urls"]:
            if jsonl[url] != 1:
                sweep.problem(run, f"a whole line of the leftover is in {jsonl[url]} *.jsonl lines, not 1: {url}")


def refuses_the_state(sweep: Sweep, runs: list[Run]) -> None:
    """Exit 1; stderr's last line names the state file and NEWSCRAWL_STATE; the file is left as it was; no output."""
    [run] = runs
    sweep.expect_exit(run, 1)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if str(sweep.work.state) not in last or "NEWSCRAWL_STATE" not in last:
        sweep.problem(run, f"stderr's last line does not name {sweep.work.state} and NEWSCRAWL_STATE: {last[:300]!r}")
    if not sweep.work.state.exists() or sweep.work.state.read_bytes() != sweep.ctx["state"]:
        sweep.problem(run, "the state file was changed")
    written = sorted(p.relative_to(sweep.work.root).as_posix() for p in sweep.work.out.rglob("*") if p.is_file()) \
        if sweep.work.out.exists() else []
    if written:
        sweep.problem(run, f"output written by a run that could not start: {written}")


def refuses_the_output(sweep: Sweep, runs: list[Run]) -> None:
    [run] = runs
    sweep.expect_exit(run, 1)
    if "NEWSCRAWL_OUTPUT" not in run.stderr:
        sweep.problem(run, "stderr does not name NEWSCRAWL_OUTPUT", log=True)
    parts = sorted(p.name for p in sweep.work.out.rglob("*.part"))
    if parts:
        sweep.problem(run, f".part left: {parts}")


def refuses_canonical(kind: str):
    """The lie is counted once and logged with the page's URL; after the reruns each article is under its own URL
    with its own headline."""

    def expect(sweep: Sweep, runs: list[Run]) -> None:
        [run] = runs
        page = sweep.ctx["page"]
        count = stat_count(run.log, f"newscrawl/canonical_refused/{kind}")
        if count != 1:
            sweep.problem(run, f"stats count newscrawl/canonical_refused/{kind} {count}, not 1")
        if page["url"] not in run.log:
            sweep.problem(run, f"no log line names the page {page['url']}")
        sweep.closing.append(own_records)

    def own_records(sweep: Sweep) -> None:
        own = {checks["url"]: checks for checks in (sweep.ctx["page"], sweep.ctx.get("other")) if checks}
        for line in output_lines(sweep.work, parts=False):
            record = line.record
            if not record or not own.keys() & {record["url"], record.get("fetched_url")}:
                continue
            checks = own.get(record.get("fetched_url")) or own[record["url"]]
            if (record["url"], record.get("fetched_url"), record["headline"]) != (checks["url"], checks["url"],
                                                                                  checks["headline"]):
                sweep.problem(None, f"record {line.where()}: url {record['url']}, fetched_url "
                                    f"{record.get('fetched_url')}, headline {record['headline']!r}; the page fetched "
                                    f"from {checks['url']} is {checks['headline']!r}")

    return expect


def nothing_reachable(sweep: Sweep, runs: list[Run]) -> None:
    [run] = runs
    sweep.expect_exit(run, 8)
    if "unreachable" not in run.stderr.lower():
        sweep.problem(run, "stderr does not mention 'unreachable'", log=True)
    files = [p.name for p in output_files(sweep.work, parts=True)]
    if files:
        sweep.problem(run, f"output written: {files}")
    if state_rows(sweep.work):
        sweep.problem(run, "articles recorded in the state")


# ------------------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Case:
    id: str
    before: Callable[[Sweep], None] | None  # what is put in place before the faulted run(s)
    fault: Fault  # the faulted run(s)
    expect: Callable[[Sweep, list[Run]], None]  # what they must do
    invariant: bool = True  # then the clean rerun, the invariant and the second clean rerun


SIGINT, SIGTERM, SIGKILL = signal.SIGINT, signal.SIGTERM, signal.SIGKILL

CASES = [
    #    id                    before (put in place)    the faulted run(s)                    what they must do
    # 1. a signal when the run's .part holds k complete lines, k drawn from a range
    Case("sigint-early",       None,                    signalled(SIGINT, 0, 4),              signal_outcome),
    Case("sigint-mid",         None,                    signalled(SIGINT, 5, 10),             signal_outcome),
    Case("sigint-late",        None,                    signalled(SIGINT, 11, 15),            signal_outcome),
    Case("sigterm-early",      None,                    signalled(SIGTERM, 0, 4),             signal_outcome),
    Case("sigterm-mid",        None,                    signalled(SIGTERM, 5, 10),            signal_outcome),
    Case("sigterm-late",       None,                    signalled(SIGTERM, 11, 15),           signal_outcome),
    Case("sigkill-early",      None,                    signalled(SIGKILL, 0, 4),             signal_outcome),
    Case("sigkill-mid",        None,                    signalled(SIGKILL, 5, 10),            signal_outcome),
    Case("sigkill-late",       None,                    signalled(SIGKILL, 11, 15),           signal_outcome),
    # 2. a limit, then the rest
    Case("limit-1",            None,                    limited(1),                           at_most(1)),
    Case("limit-5",            None,                    limited(5),                           at_most(5)),
    Case("limit-11",           None,                    limited(11),                          at_most(11)),
    # 3. two faulted runs in a row
    Case("sigkill-then-sigint", None, in_a_row(signalled(SIGKILL, 2, 10), signalled(SIGINT, 0, 6)), signal_outcome),
    Case("sigkill-then-sigkill", None, in_a_row(signalled(SIGKILL, 0, 8), signalled(SIGKILL, 0, 8)), signal_outcome),
    # 4. RLIMIT_FSIZE reached by the output (records padded to ~400 KB), or by a state padded close to it
    Case("fsize-output-1",     padded_site,             fsize_limit(150_000, 250_000),        write_failed),
    Case("fsize-output-2",     padded_site,             fsize_limit(150_000, 250_000),        write_failed),
    Case("fsize-state-1",      state_near_its_limit,    fsize_limit_prepared,                 write_failed),
    Case("fsize-state-2",      state_near_its_limit,    fsize_limit_prepared,                 write_failed),
    # 5. corrupt and binary leftovers
    Case("leftover-random-bytes", leftover("random-bytes"), plain,                            moved_aside),
    Case("leftover-binary-line", leftover("binary-line"), plain,                              moved_aside),
    Case("leftover-empty-object", leftover("empty-object"), plain,                            moved_aside),
    Case("leftover-good-lines-then-garbage", leftover("good-lines-then-garbage"), plain,      moved_aside),
    Case("lock-garbage",       garbage_lock,            plain,                                healthy),
    Case("state-garbage",      garbage_state,           plain,                                refuses_the_state,
         invariant=False),
    # 6. a fixed output name; an output path that is a directory
    Case("fixed-output-name",  fixed_output_name,       in_a_row(limited(3), plain),          at_most(3)),
    Case("output-is-a-directory", output_is_a_directory, output_into_the_directory,           refuses_the_output),
    # 7. canonical URLs that lie
    Case("canonical-other-host", lying_canonical("other_host"), plain,             refuses_canonical("other_host")),
    Case("canonical-other-article", lying_canonical("other_article"), plain,       refuses_canonical("other_article")),
    # 8. no source answers
    Case("unreachable",        None,                    unreachable_sources,                  nothing_reachable),
]


@pytest.fixture(scope="module")
def reference_lines(default_crawl, tmp_path_factory) -> list[bytes]:  # noqa: F811
    """The lines of one clean crawl of the fixture, in another folder (the good lines of a leftover): the test run's
    default offline crawl (test_crawl_offline.py), whose output stays in its shared folder."""
    lines = file_lines(shared_folder(tmp_path_factory, "default-crawl") / "asia.jsonl")
    assert len(lines) == len(default_crawl[0]) and all(line.record and line.terminated for line in lines)
    return [line.raw for line in lines]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fault_sweep(case: Case, tmp_path: Path, request):
    sweep = Sweep(case.id, Work(tmp_path), reference=lambda: request.getfixturevalue("reference_lines"))
    if case.before:
        case.before(sweep)
    runs = case.fault(sweep)
    case.expect(sweep, runs)
    if case.invariant:
        clean_reruns_and_invariant(sweep)
    verdict = f"{len(sweep.problems)} problem(s)" if sweep.problems else "no problem"
    (tmp_path / "journal.txt").write_text(sweep.message(verdict) + "\n", encoding="utf-8")  # kept either way
    if sweep.problems:
        pytest.fail(sweep.message(verdict), pytrace=False)
