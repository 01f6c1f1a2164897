"""The state in one SQLite file (NEWSCRAWL_STATE, default `data/state.sqlite`), readable with any SQLite tool.

One row per article a spider emitted, holding its latest version, one per page it rejected lately, and one
per URL a source listed that is not done yet (requested again by every run until written or rejected):

    emitted(spider, url, article_id, content_hash, modified, version, first_seen, last_seen)
    rejected(spider, url, reason, at)
    pending(spider, url, kind, source, page, check_section, since, attempts)

`url` is the canonical URL (unique per spider), `version` counts the versions written (1 = first), times are
ISO 8601 UTC text (`2026-11-28T10:00:00+00:00`), so they sort and compare as text. For example:

    sqlite3 data/state.sqlite "SELECT last_seen, version, url FROM emitted WHERE spider = 'asia'
                               ORDER BY last_seen DESC LIMIT 10"

`scrapy state` shows, resets and expires it; deleting the file forgets everything. The schema version is
`PRAGMA user_version`. The file is in WAL mode: it may be read while a crawl writes it.

Every statement reads through an index that starts with the spider (tests/test_state_query_plans.py checks the
query plan of each): a lookup costs the same in a state of a thousand articles as in one of millions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from newscrawl.state import Emitted, Held, Pending, PendingKey, Rejected, StateStore, scoped_id, utc_text

SCHEMA_VERSION = 5  # 2 added `rejected`, 3 `pending`, 4 indexes by time, 5 ids within their site
# What takes an older file to a version, before SCHEMA (whose statements keep what exists) is applied.
UPGRADES = {
    4: ("DROP INDEX IF EXISTS emitted_article_id",),  # made again with last_seen: `find` by id takes the newest
    # ids are kept within their site ("sputnik:1121144755"): one spider may crawl several sites, whose ids may
    # coincide; a one-time pass over the file
    5: ("UPDATE emitted SET article_id = scoped_id(url, article_id) WHERE instr(article_id, ':') = 0",),
}
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS emitted (
        spider TEXT NOT NULL,
        url TEXT NOT NULL,
        article_id TEXT,
        content_hash TEXT,
        modified TEXT,
        version INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (spider, url)
    )""",
    "CREATE INDEX IF NOT EXISTS emitted_article_id ON emitted (spider, article_id, last_seen)",
    "CREATE INDEX IF NOT EXISTS emitted_last_seen ON emitted (spider, last_seen)",
    """CREATE TABLE IF NOT EXISTS rejected (
        spider TEXT NOT NULL,
        url TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (spider, url)
    )""",
    "CREATE INDEX IF NOT EXISTS rejected_at ON rejected (spider, at)",
    """CREATE TABLE IF NOT EXISTS pending (
        spider TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        page INTEGER NOT NULL,
        check_section INTEGER NOT NULL,
        since TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        UNIQUE (spider, url)
    )""",
    # the order a run reads its queue in, a batch at a time (`pending_after`); also `expire`'s range by time
    "CREATE INDEX IF NOT EXISTS pending_order ON pending (spider, since, url)",
    "DROP INDEX IF EXISTS pending_since",  # (spider, since): pending_order begins with it
)
PENDING_COLUMNS = "spider, url, kind, source, page, check_section, since, attempts"
COLUMNS = "spider, url, article_id, content_hash, modified, version, first_seen, last_seen"
# Another crawl or `scrapy state` holding the write lock finishes within milliseconds: wait, do not fail.
TIMEOUT_SECONDS = 10


class SQLiteStateStore(StateStore):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write below opens and commits its own transaction explicitly.
        self.db = sqlite3.connect(self.path, timeout=TIMEOUT_SECONDS, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")  # readers never block the crawl's writes
        self.db.execute("PRAGMA synchronous = FULL")  # a committed article survives a power cut
        self.db.create_function("scoped_id", 2, scoped_id, deterministic=True)  # for the upgrade to schema 5
        self._create_schema()

    def _create_schema(self) -> None:
        """Create the tables and indexes in a new file, upgrade an older one; refuse one of a newer schema."""
        with self._transaction() as db:
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} has state schema {found}; this newscrawl reads {SCHEMA_VERSION}")
            for version in range(found + 1, SCHEMA_VERSION + 1) if found else ():
                for statement in UPGRADES.get(version, ()):
                    db.execute(statement)
            for statement in SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run writes in one transaction that takes the write lock first, so two processes never both insert."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (a full disk): a second ROLLBACK would hide the cause
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def find(self, spider: str, url: str | None = None, article_id: str | None = None) -> Emitted | None:
        return self._find(spider, url, article_id)

    def _find(self, spider: str, url: str | None, article_id: str | None) -> Emitted | None:
        # two indexed lookups: an OR of both columns would scan every row of the spider
        row = None
        if url is not None:
            row = self.db.execute(f"SELECT {COLUMNS} FROM emitted WHERE spider = ? AND url = ?", (spider, url)).fetchone()
        if row is None and article_id is not None:  # the URL's own entry wins over an id match
            row = self.db.execute(
                f"SELECT {COLUMNS} FROM emitted WHERE spider = ? AND article_id = ? ORDER BY last_seen DESC LIMIT 1",
                (spider, article_id),
            ).fetchone()
        return Emitted(*row) if row else None

    def apply(self, writes: Held) -> None:
        if not writes:
            return
        with self._transaction() as db:  # one commit, one sync of the file, for a whole batch
            for entry in writes.records:
                self._record(db, entry)
            db.executemany("DELETE FROM pending WHERE spider = ? AND url = ?", writes.settled)

    def _record(self, db: sqlite3.Connection, entry: Emitted) -> None:
        at = utc_text(datetime.fromisoformat(entry.last_seen))
        # the row to write, found as `find` finds it but under the write lock: part of the write
        previous = self._find(entry.spider, entry.url, entry.article_id)
        if previous is None:
            db.execute(
                f"INSERT INTO emitted ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.spider, entry.url, entry.article_id, entry.content_hash, entry.modified, entry.version, at, at),
            )
        elif previous.version <= entry.version:
            db.execute(
                # A version without an id keeps the known one, so a later URL change is still recognized.
                "UPDATE emitted SET url = ?, article_id = COALESCE(?, article_id), content_hash = ?, modified = ?,"
                " version = ?, last_seen = ? WHERE spider = ? AND url = ?",
                (entry.url, entry.article_id, entry.content_hash, entry.modified, entry.version, at, entry.spider,
                 previous.url),
            )
        db.execute("DELETE FROM pending WHERE spider = ? AND url = ?", (entry.spider, entry.url))

    def release_claims(self, spider: str, owner: str) -> None:
        """One run per spider writes an SQLite state (the run lock): no claims are kept, none to release."""

    def written_since(self, spider: str, since: str) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM emitted WHERE spider = ? AND last_seen >= ?",
            (spider, utc_text(datetime.fromisoformat(since))),
        ).fetchone()
        return row[0]

    def reject(self, spider: str, url: str, reason: str, at: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO rejected (spider, url, reason, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (spider, url) DO UPDATE SET reason = excluded.reason, at = excluded.at",
                (spider, url, reason, utc_text(datetime.fromisoformat(at))),
            )
            db.execute("DELETE FROM pending WHERE spider = ? AND url = ?", (spider, url))

    def rejection(self, spider: str, url: str, since: str | None = None) -> Rejected | None:
        row = self.db.execute(
            "SELECT spider, url, reason, at FROM rejected WHERE spider = ? AND url = ? AND at >= ?",
            (spider, url, utc_text(datetime.fromisoformat(since)) if since else ""),
        ).fetchone()
        return Rejected(*row) if row else None

    def add_pending(self, entries: list[Pending]) -> list[Pending]:
        added: list[Pending] = []
        if not entries:
            return added
        insert = f"INSERT INTO pending ({PENDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
        with self._transaction() as db:
            for e in entries:  # one by one, to learn which were new (executemany tells only the total)
                row = (e.spider, e.url, e.kind, e.source, e.page, int(e.check_section), e.since, e.attempts)
                if db.execute(insert, row).rowcount:
                    added.append(e)
        return added

    def pending(self, spider: str) -> list[Pending]:
        rows = self.db.execute(
            f"SELECT {PENDING_COLUMNS} FROM pending WHERE spider = ? ORDER BY since, url", (spider,)
        )
        return [pending_of(row) for row in rows]

    def pending_after(self, spider: str, after: PendingKey | None, limit: int) -> list[Pending]:
        # keyset pagination along pending_order: each batch starts where the last one ended, at no cost
        rows = self.db.execute(
            f"SELECT {PENDING_COLUMNS} FROM pending WHERE spider = ? AND (since, url) > (?, ?)"
            " ORDER BY since, url LIMIT ?",
            (spider, *(after or ("", "")), limit),
        )
        return [pending_of(row) for row in rows]

    def failed_attempt(self, spider: str, url: str) -> int:
        with self._transaction() as db:
            db.execute("UPDATE pending SET attempts = attempts + 1 WHERE spider = ? AND url = ?", (spider, url))
            row = db.execute("SELECT attempts FROM pending WHERE spider = ? AND url = ?", (spider, url)).fetchone()
        return row[0] if row else 0

    def counts(self) -> dict[str, int]:
        # each spider's count along its own range of the index; GROUP BY would read the whole table
        rows = self.db.execute(
            "SELECT spider, (SELECT COUNT(*) FROM emitted WHERE emitted.spider = listed.spider)"
            f" FROM ({spiders_of('emitted')}) AS listed"
        )
        return dict(rows.fetchall())

    def spiders(self) -> list[str]:
        """Return every spider with an entry, a rejection or a pending URL."""
        found: set[str] = set()
        for table in ("emitted", "rejected", "pending"):
            found.update(spider for (spider,) in self.db.execute(spiders_of(table)))
        return sorted(found)

    def recent(self, spider: str, limit: int = 10) -> list[Emitted]:
        rows = self.db.execute(
            f"SELECT {COLUMNS} FROM emitted WHERE spider = ? ORDER BY last_seen DESC, rowid DESC LIMIT ?",
            (spider, limit),
        )
        return [Emitted(*row) for row in rows]

    def reset(self, spider: str) -> int:
        with self._transaction() as db:
            db.execute("DELETE FROM rejected WHERE spider = ?", (spider,))
            db.execute("DELETE FROM pending WHERE spider = ?", (spider,))
            return db.execute("DELETE FROM emitted WHERE spider = ?", (spider,)).rowcount

    def expire(self, spider: str | None, older_than: datetime) -> int:
        cutoff = utc_text(older_than)
        forgotten = 0
        with self._transaction() as db:
            for name in [spider] if spider else self.spiders():  # by spider: each delete reads an index range
                db.execute("DELETE FROM rejected WHERE spider = ? AND at < ?", (name, cutoff))
                db.execute("DELETE FROM pending WHERE spider = ? AND since < ?", (name, cutoff))
                expired = db.execute("DELETE FROM emitted WHERE spider = ? AND last_seen < ?", (name, cutoff))
                forgotten += expired.rowcount
        return forgotten

    def close(self) -> None:
        self.db.close()


def pending_of(row: tuple) -> Pending:
    """A pending entry from its row (PENDING_COLUMNS)."""
    spider, url, kind, source, page, check_section, since, attempts = row
    return Pending(spider, url, kind, source, page, bool(check_section), since, attempts)


def spiders_of(table: str) -> str:
    """SQL of a table's spiders in order, hopping along its (spider, …) index from each spider to the next: one
    lookup per spider, where DISTINCT would read every row."""
    return (
        f"WITH RECURSIVE hop(spider) AS (SELECT MIN(spider) FROM {table} UNION ALL"
        f" SELECT (SELECT MIN(spider) FROM {table} WHERE spider > hop.spider) FROM hop WHERE hop.spider IS NOT NULL)"
        " SELECT spider FROM hop WHERE spider IS NOT NULL"
    )
