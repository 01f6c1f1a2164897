"""What each spider has already emitted, kept between runs, so a run writes only new articles and new versions.

One interface, `StateStore`, with an SQLite implementation (`newscrawl.state.sqlite`) and a Redis one for many
workers (`newscrawl.state.redis`); `open_state` picks one from the settings. No Scrapy imports here: other tools
read and reset the same state.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from types import EllipsisType

DEFAULT_PATH = "data/state.sqlite"


@dataclass(frozen=True, slots=True)
class Emitted:
    """The latest version of one article a spider emitted."""

    spider: str
    """The spider's name, e.g. `asia`."""
    url: str
    """Canonical URL of the record."""
    article_id: str | None
    """The publisher's id of the article, or None."""
    content_hash: str | None
    """The record's `content_hash` (`sha256:` of headline and body), or None."""
    modified: str | None
    """The record's `modified`, ISO 8601 UTC, or None."""
    version: int
    """1 for the first emission, +1 per update emitted."""
    first_seen: str
    """ISO 8601 UTC, when version 1 was written."""
    last_seen: str
    """ISO 8601 UTC, when the latest version was written."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A page a spider fetched and could not use: not ours, or no article in it."""

    spider: str
    url: str
    reason: str
    """Why, as counted in the run's stats: `other_section`, `missing_body`, …"""
    at: str
    """ISO 8601 UTC, when it was last rejected."""


@dataclass(frozen=True, slots=True)
class Pending:
    """A URL a source listed that the spider has neither written nor rejected yet: requested again by every run
    until it is, so an interrupted run loses nothing that a source listed."""

    spider: str
    url: str
    """The URL as listed (tracking parameters removed), before any redirect."""
    kind: str = "article"
    """`article`, or `listing` for a "load more" page of a section."""
    source: str = "listing"
    """Where it was found: `listing`, `feed` or `sitemap`."""
    page: int = 0
    """For a listing page, its position in the section (1 = the section page)."""
    check_section: bool = False
    """The page must show the spider's section to be kept (sitemaps list every section)."""
    since: str = ""
    """ISO 8601 UTC, when a source first listed it."""
    attempts: int = 0
    """Fetches that failed for good (an HTTP 4xx, a redirect loop…); at MAX_ATTEMPTS it is rejected."""

    @property
    def key(self) -> PendingKey:
        """Its place in the order a run reads the pending URLs in (`StateStore.pending_after`)."""
        return (self.since, self.url)


PendingKey = tuple[str, str]
"""(since, url): the order of the pending URLs, oldest first; a run's reading position in them."""


MAX_ATTEMPTS = 3


@dataclass
class Held:
    """Writes a store keeps back until its holder commits them (`StateStore.hold`)."""

    records: list[Emitted]
    settled: list[tuple[str, str]]
    """(spider, URL) of pending URLs to forget."""

    def __bool__(self) -> bool:
        return bool(self.records or self.settled)


class StateUnavailable(Exception):
    """The state store cannot be opened or read: a corrupt file, a full disk, an unreachable server."""


class StateStore(ABC):
    """Per spider: the articles already emitted (looked up before writing, recorded after), the pages rejected
    lately, and the URLs listed but not yet done, so that none is fetched again every run and none is lost."""

    held: Held | None = None
    """Writes kept back until `commit`, while the store holds them (`hold`); None: each write is done at once."""
    shared = False
    """Many workers write it at once, each taking over the work of one that dies."""

    @abstractmethod
    def find(self, spider: str, url: str | None = None, article_id: str | None = None) -> Emitted | None:
        """Return the spider's entry with this canonical URL, else with this article id, else None."""

    def record(self, entry: Emitted) -> None:
        """Durably record that this version was written: update the entry `find` returns, else insert. A stored
        version newer than the entry's is kept (a late recovery never moves an article back). Held (`hold`)."""
        self._write(Held([entry], []))

    def settle(self, spider: str, urls: list[str]) -> None:
        """Forget these pending URLs: written, rejected, or known to be done. Held (`hold`)."""
        self._write(Held([], [(spider, url) for url in urls]))

    def _write(self, writes: Held) -> None:
        """Do these writes now, or keep them with the held ones."""
        if self.held is None:
            self.apply(writes)
        else:
            self.held.records += writes.records
            self.held.settled += writes.settled

    def hold(self) -> None:
        """Keep every later `record` and `settle` back until `commit`, which does them in one step: a writer
        makes many records durable in its output at once (one fsync), then commits them to the state at once."""
        if self.held is None:
            self.held = Held([], [])

    def commit(self) -> None:
        """Do the held writes in one durable step; go on holding."""
        if self.held:
            writes, self.held = self.held, Held([], [])
            self.apply(writes)

    def discard(self) -> None:
        """Forget the held writes: the output that held them could not be made durable."""
        if self.held is not None:
            self.held = Held([], [])

    @abstractmethod
    def apply(self, writes: Held) -> None:
        """Record these versions and forget these pending URLs, in order and in one durable step where the
        store has one."""

    def claim(self, entry: Emitted, previous: Emitted | EllipsisType | None = ...) -> int | None:
        """Return the version to write of this article (`next_version` of `previous`, what `find` returns for
        it, looked up unless given), or None when it is unchanged; a store shared by many workers reads it
        again whatever is given, returns None while another worker writes the story, and reserves it for this
        one until `record`."""
        if previous is ...:
            previous = self.find(entry.spider, entry.url, entry.article_id)
        return next_version(previous, entry.content_hash, entry.modified)

    @abstractmethod
    def release_claims(self, spider: str, owner: str) -> None:
        """End the reservations `claim` made for a worker (it closed, or died); nothing where claims are not kept."""

    @abstractmethod
    def written_since(self, spider: str, since: str) -> int:
        """Count the spider's entries written at or after `since` (ISO 8601), by any process."""

    @abstractmethod
    def reject(self, spider: str, url: str, reason: str, at: str) -> None:
        """Record that the spider fetched this page and could not use it, and why."""

    @abstractmethod
    def rejection(self, spider: str, url: str, since: str | None = None) -> Rejected | None:
        """Return the spider's rejection of this URL (made at or after `since`, when given), else None."""

    @abstractmethod
    def add_pending(self, entries: list[Pending]) -> list[Pending]:
        """Remember listed URLs not yet done, in one durable step; a URL already pending keeps its entry. Return
        the entries that were not pending yet."""

    @abstractmethod
    def pending(self, spider: str) -> list[Pending]:
        """Return the spider's pending URLs, oldest first (by `Pending.key`)."""

    @abstractmethod
    def pending_after(self, spider: str, after: PendingKey | None, limit: int) -> list[Pending]:
        """Return at most `limit` of the spider's pending URLs that come after `after` (None: from the first) by
        `Pending.key`, in that order: a run reads its queue from the state a batch at a time, each batch after
        the last one read, so none is read twice."""

    @abstractmethod
    def failed_attempt(self, spider: str, url: str) -> int:
        """Count one more failed fetch of a pending URL; return its attempts so far (0 if it is not pending)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return the number of articles per spider."""

    @abstractmethod
    def recent(self, spider: str, limit: int = 10) -> list[Emitted]:
        """Return the spider's entries, newest last_seen first."""

    @abstractmethod
    def reset(self, spider: str) -> int:
        """Forget every entry, rejection and pending URL of the spider; return how many articles it forgot."""

    @abstractmethod
    def expire(self, spider: str | None, older_than: datetime) -> int:
        """Forget entries, rejections and pending URLs from before older_than, of one spider or all (None);
        return how many articles it forgot."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


def state_path(settings) -> str:
    """Return where the state lives: NEWSCRAWL_STATE, else data/state.sqlite under the current folder."""
    return settings.get("NEWSCRAWL_STATE") or DEFAULT_PATH


def open_state(settings) -> StateStore:
    """Open the store the settings name (a Scrapy Settings or a dict), creating it if needed; raise
    StateUnavailable naming the place and the setting when it cannot be opened."""
    from newscrawl.state.sqlite import SQLiteStateStore  # here: the backend modules import this one

    where = state_path(settings)
    try:
        if where.startswith(("redis://", "rediss://")):
            from newscrawl.state.redis import RedisStateStore

            return RedisStateStore(where, owner=settings.get("NEWSCRAWL_WORKER") or None)
        return SQLiteStateStore(where)
    except Exception as error:  # sqlite3, redis and OS errors alike: the message says which
        raise StateUnavailable(
            f"the state store NEWSCRAWL_STATE={without_password(where)} cannot be opened: {type(error).__name__}: {error}. "
            "Free disk space or fix its permissions; a corrupt file can be moved aside (every article is then "
            "written once more) or restored from a backup"
        ) from error


def without_password(where: str) -> str:
    """Hide the password of a Redis URL in messages.

    >>> without_password("redis://:secret@10.0.0.5:6379/0"), without_password("data/state.sqlite")
    ('redis://***@10.0.0.5:6379/0', 'data/state.sqlite')
    """
    return re.sub(r"//[^@/]*@", "//***@", where)


def scoped_id(url: str | None, article_id: str | None) -> str | None:
    """The state's key of a publisher's article id: the id within its site ("sputnik:1121144755"), since two
    sites' ids may coincide and one spider may crawl several sites. An id already scoped is returned as it is.

    >>> scoped_id("https://sputnikglobe.com/20261127/a-1121150342.html", "1121150342")
    'sputnik:1121150342'
    >>> scoped_id("https://www.example.com/news/42", "42"), scoped_id("https://x.test/a", None)
    ('example.com:42', None)
    """
    if not article_id or ":" in article_id:
        return article_id
    from newscrawl.sites import site_key  # the registry imports nothing of the state; loaded on first use

    return f"{site_key(url)}:{article_id}"


def compact_key(text: str) -> bytes:
    """A 16-byte digest of a URL or other key, for a run's in-memory sets: a tenth of the memory of the text,
    and no two texts of a run share one in practice (128 bits).

    >>> len(compact_key("https://sputnikglobe.com/20261127/a-1121150342.html")), compact_key("a") == compact_key("a")
    (16, True)
    """
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def emitted_of(spider: str, record: dict, at: str = "") -> Emitted:
    """The state entry of a written record (a dict with the record's fields) at time `at`, as version `version`.

    >>> emitted_of("asia", {"url": "https://x.test/1.html", "article_id": "1"}, "2026-11-28T10:00:00+00:00").version
    1
    """
    return Emitted(
        spider=spider, url=record["url"], article_id=scoped_id(record["url"], record.get("article_id")),
        content_hash=record.get("content_hash"),
        modified=record.get("modified"), version=record.get("version") or 1, first_seen=at, last_seen=at,
    )


def next_version(previous: Emitted | None, content_hash: str | None, modified: str | None) -> int | None:
    """Return the version to emit: 1 if new, +1 if the hash or `modified` changed, None if unchanged.

    >>> next_version(None, "sha256:ab", None)
    1
    >>> seen = Emitted("asia", "https://x.test/1.html", "1", "sha256:ab", None, 2, "", "")
    >>> next_version(seen, "sha256:ab", None) is None, next_version(seen, "sha256:cd", None)
    (True, 3)
    """
    if previous is None:
        return 1
    # An empty value means absent, whichever way a record or the store spells it.
    unchanged = (previous.content_hash or None, previous.modified or None) == (content_hash or None, modified or None)
    return None if unchanged else previous.version + 1


def utc_text(moment: datetime) -> str:
    """Format an aware datetime as the store writes times: UTC, to the second, so text order is time order.

    >>> utc_text(datetime.fromisoformat("2026-11-28T13:00:00.5+03:00"))
    '2026-11-28T10:00:00+00:00'
    """
    if moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no timezone: state times are UTC instants")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
