"""Every state lookup is indexed: a URL costs the same in a state of a thousand articles as in one of millions.

SQLite: every statement the store issues, collected with a trace callback while every method of the store runs,
has its `EXPLAIN QUERY PLAN` read. No statement scans a table, sorts in a temporary B-tree or builds an
automatic index. A statement about one URL looks it up by its key (the spider with the URL or the article id);
the few that read a range (once a run, or `scrapy state`) read one spider's part of an index, for the reason
their row below gives. Redis: the commands a real redis-server receives (MONITOR) for each per-URL call are
the same, in number and kind, in a state ten times larger, and none of them walks a collection.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import redis
from test_scaleout import redis_server  # noqa: F401  (the module's redis-server on 127.0.0.1)

from newscrawl.state import Emitted, Held, Pending, StateStore
from newscrawl.state.redis import RedisStateStore
from newscrawl.state.sqlite import SQLiteStateStore

URL = "https://sputnikglobe.com/20261127/tokyo-drill-1121000001.html"
MOVED = "https://sputnikglobe.com/20261127/tokyo-holds-drill-1121000001.html"
OTHER = "https://sputnikglobe.com/20261127/seoul-talks-1121000002.html"
T1, T2 = "2026-11-27T10:00:00+00:00", "2026-11-28T10:00:00+00:00"


def entry(url=URL, article_id="1121000001", version=1, at=T2, spider="asia") -> Emitted:
    return Emitted(spider, url, article_id, f"sha256:{version}", None, version, at, at)


def fill(store, spider: str, count: int) -> None:
    """Give a spider `count` articles, rejections and pending URLs, in one commit."""
    store.apply(Held([entry(f"https://sputnikglobe.com/20261120/filler-{1120000000 + n}.html", str(1120000000 + n),
                            spider=spider, at=T1) for n in range(count)], []))
    for n in range(count):
        store.reject(spider, f"https://sputnikglobe.com/20261120/rejected-{n}.html", "missing_body", T1)
    store.add_pending([Pending(spider, f"https://sputnikglobe.com/20261120/pending-{n}.html", since=T1)
                       for n in range(count)])


# (method, arguments, None for a call about one URL, else why reading a range of the spider's rows is fine)
CALLS = [
    ("find", ("asia", URL), None),
    ("find", ("asia", MOVED, "1121000001"), None),
    ("find", ("asia", None, "1121000001"), None),
    ("claim", (entry(OTHER, "1121000002"),), None),
    ("record", (entry(),), None),
    ("record", (entry(MOVED, version=2),), None),  # found by its id: the entry moves to the new URL
    ("settle", ("asia", [OTHER]), None),
    ("hold", (), None),
    ("record", (entry(OTHER, "1121000002"),), None),
    ("settle", ("asia", [URL]), None),
    ("commit", (), None),
    ("discard", (), None),
    ("apply", (Held([entry(URL, None, version=3)], [("asia", OTHER)]),), None),
    ("reject", ("asia", OTHER, "other_section", T2), None),
    ("rejection", ("asia", OTHER), None),
    ("rejection", ("asia", OTHER, T1), None),
    ("add_pending", ([Pending("asia", URL, since=T2), Pending("asia", MOVED, since=T2)],), None),
    ("failed_attempt", ("asia", URL), None),
    ("release_claims", ("asia", "worker"), None),
    ("written_since", ("asia", T1), "once a run (scale-out): the spider's entries written since the run began"),
    ("pending", ("asia",), "once a run: every URL the spider left unfinished, all of which it requests"),
    ("pending_after", ("asia", None, 10), "a batch of the run's queue: the first 10 of the spider's pending URLs"),
    ("pending_after", ("asia", (T1, URL), 10), "the next batch: 10 pending URLs after the last one read"),
    ("counts", (), "`scrapy state`: a count along each spider's part of the index"),
    ("spiders", (), "`scrapy state --older-than`: MIN(spider) hops along the index, one descent per spider"),
    ("recent", ("asia", 5), "`scrapy state asia --recent 5`: the first 5 of the spider's entries, newest first"),
    ("expire", ("asia", datetime.fromisoformat(T2)), "`scrapy state --older-than`: the spider's rows before it"),
    ("expire", (None, datetime.fromisoformat(T2)), "the same, spider by spider"),
    ("reset", ("asia",), "`scrapy state asia --reset`: every row of the spider, to be deleted"),
]


def statements_of(store: SQLiteStateStore, method: str, arguments: tuple) -> list[str]:
    """The SQL statements (values filled in) a store method issues."""
    issued: list[str] = []
    store.db.set_trace_callback(issued.append)
    try:
        getattr(store, method)(*arguments)
    finally:
        store.db.set_trace_callback(None)
    # transaction control, pragmas and DDL have no query plan
    return [sql for sql in issued if re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", sql, re.IGNORECASE)]


def plan_of(store: SQLiteStateStore, sql: str) -> list[str]:
    return [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]


def problems_of(store: SQLiteStateStore, sql: str, range_reason: str | None) -> list[str]:
    """What in a statement's plan would cost more as the state grows."""
    tables = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    problems = []
    for step in plan_of(store, sql):
        scanned = re.match(r"SCAN (\w+)", step)
        if scanned and scanned.group(1) in tables:  # `SCAN hop` is the spider list's own recursion, no table
            problems.append(f"reads the whole table: {step}")
        if "TEMP B-TREE" in step or "AUTOMATIC" in step:
            problems.append(f"sorts or indexes rows on the fly: {step}")
        searched = re.match(r"SEARCH (\w+) USING .*INDEX \w+(?: \((.*)\))?$", step)
        if not searched:
            continue
        constraints = searched.group(2) or ""
        if range_reason is None and not re.search(r"\b(url|article_id)=\?", constraints):
            problems.append(f"a call about one URL reads a range: {step}")
        elif not (constraints.startswith(("spider=?", "spider>?")) or (not constraints and "MIN(spider)" in sql)):
            problems.append(f"reads beyond one spider's part of an index: {step}")
    return problems


def test_the_calls_cover_every_method_of_the_store():
    methods = {name for name, value in {**vars(StateStore), **vars(SQLiteStateStore)}.items()
               if not name.startswith("_") and callable(value)}
    assert methods - {"close"} == {method for method, *_ in CALLS}


def test_no_statement_of_the_sqlite_store_reads_more_than_its_keys(tmp_path):
    store = SQLiteStateStore(tmp_path / "state.sqlite")
    fill(store, "asia", 50)
    fill(store, "europe", 50)
    checked, problems = 0, []
    for method, arguments, range_reason in CALLS:
        for sql in statements_of(store, method, arguments):
            checked += 1
            problems += [f"{method}: {sql}\n    {problem}" for problem in problems_of(store, sql, range_reason)]
    store.close()
    assert checked > 30, "the trace saw the store's statements"
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_scan_and_a_sort(tmp_path):
    store = SQLiteStateStore(tmp_path / "state.sqlite")
    assert problems_of(store, "SELECT * FROM emitted WHERE version = 2", None)
    assert problems_of(store, "SELECT * FROM pending WHERE spider = 'asia' ORDER BY page", "once a run")
    assert problems_of(store, "SELECT * FROM emitted WHERE spider = 'asia' AND article_id > '1'", None)
    store.close()


# -- Redis --------------------------------------------------------------------------------------------------------

# Commands that walk a whole collection, or the keyspace: never on the per-URL path.
WALKS = {"KEYS", "SCAN", "HSCAN", "SSCAN", "ZSCAN", "SMEMBERS", "HKEYS", "HVALS", "ZRANGE", "ZRANGEBYSCORE",
         "ZREVRANGE", "LRANGE", "SORT", "EVAL", "EVALSHA"}


def commands_sent(url: str, action) -> list[tuple[str, str]]:
    """(command, first key) of every command the server received while `action` ran, as MONITOR shows them."""
    marker = f"end-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, decode_responses=True)
    with client.monitor() as monitor:
        action()
        redis.Redis.from_url(url).echo(marker)  # after the action's last command: where to stop reading
        sent = []
        for event in monitor.listen():
            words = event["command"].split(" ")
            if marker in words:
                break
            sent.append((words[0].upper(), words[1] if len(words) > 1 else ""))
    client.close()
    return sent


def per_url_calls(store: RedisStateStore, spider: str) -> list[tuple[str, tuple]]:
    """The calls the crawl makes about one URL, for one spider."""
    url = f"https://sputnikglobe.com/20261127/story-{spider}-1121000009.html"
    return [
        ("find", (spider, url, "1121000009")),
        ("rejection", (spider, url)),
        ("add_pending", ([Pending(spider, url, since=T2)],)),
        ("failed_attempt", (spider, url)),
        ("claim", (entry(url, "1121000009", spider=spider),)),
        ("record", (entry(url, "1121000009", spider=spider),)),
        ("find", (spider, url)),
        ("find", (spider, None, "1120000003")),
        ("settle", (spider, [url])),
        ("reject", (spider, url, "missing_body", T2)),
    ]


def test_the_redis_store_sends_the_same_few_commands_per_url_whatever_the_size_of_the_state(redis_server):  # noqa: F811
    client, url = redis_server
    client.flushall()
    store = RedisStateStore(url, owner="w1")
    fill(store, "small", 20)
    fill(store, "large", 400)
    shapes = {}
    for spider in ("small", "large"):
        for number, (method, arguments) in enumerate(per_url_calls(store, spider)):
            sent = commands_sent(url, lambda: getattr(store, method)(*arguments))  # noqa: B023 (called at once)
            assert sent, f"{method}: MONITOR saw its commands"
            walks = [(command, key) for command, key in sent if command in WALKS]
            assert not walks, f"{method} walks a collection: {walks}"
            whole = [key for command, key in sent if command == "HGETALL" and ":article:" not in key]
            assert not whole, f"{method} reads a whole hash other than one article's: {whole}"
            shapes.setdefault(number, []).append([command for command, _ in sent])
    store.close()
    for number, (small, large) in shapes.items():
        method = per_url_calls(store, "x")[number][0]
        assert small == large, f"{method}: {small} with a small state, {large} with a large one"
