"""The one place that decides what a spider's run does with each URL, and remembers it across runs.

Asked by the spider (fetch this link or skip it; what is still to do from earlier runs) and by the pipelines
(which version to write; written; rejected; done), on top of one `StateStore`:

* `skip_reason(url, lastmod)`: None to fetch, else why not (`already_written`, `rejected_before`, or
  WRITTEN_THIS_RUN: no skip to count, a source listing again what this run wrote);
* `pending(entries)`: listed URLs about to be requested, kept in the state until written or rejected, so a run
  cut short (a signal, `limit`, a crash, a full disk) leaves them to the next run: `leftover()`;
* `claim(record)`, `written(record)`, `settled(record)`, `rejected(url, why)`, `failed(url, why)`;
* `hold()`, then `commit()`: the writer's batches, one state commit each (`StateStore.hold`).

The store is asked about a URL once a run (`find`, `rejection`); the answers are kept for this run's URLs only
and kept up to date by what the run itself writes and rejects, so memory grows with the run, not the state, and
little with the run: each URL is kept as a 16-byte digest, with a marker for what this run did with it.

A store that cannot be written or read stops the whole run (`on_failure`), and every later call raises
StorageFailed: nothing is fetched or written that the state could not account for. No Scrapy imports here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import EllipsisType
from typing import Any, TypeVar

from newscrawl.processors.datetimes import parse_datetime
from newscrawl.state import (
    MAX_ATTEMPTS,
    Emitted,
    Pending,
    PendingKey,
    Rejected,
    StateStore,
    compact_key,
    emitted_of,
    scoped_id,
    utc_text,
)

T = TypeVar("T")

# Failures that say nothing about the page: the network or the server's load. A page failing so stays pending
# for as many runs as it takes; a page failing otherwise (a 404, a redirect loop) is given up after MAX_ATTEMPTS.
TRANSIENT = frozenset({
    # Scrapy's own download errors (2.19), then the Twisted ones older handlers raise
    "DownloadConnectionRefusedError", "CannotResolveHostError", "DownloadTimeoutError", "DownloadCancelledError",
    "DownloadFailedError", "ResponseDataLossError",
    "TimeoutError", "TCPTimedOutError", "DNSLookupError", "ConnectionRefusedError", "ConnectError",
    "ConnectionLost", "ConnectionDone", "ResponseNeverReceived", "ResponseFailed", "PotentialDataLoss",
    "CancelledError", "http_429",
})
# A page of another section does not join ours while it stays unchanged (its sitemap lastmod says so).
STABLE_REJECTIONS = frozenset({"other_section", "section_unproven"})
WRITTEN_THIS_RUN = "written_this_run"
# What a run remembers of a URL besides the store's own answers (an Emitted, a Rejected, or None: neither)
UNWRITTEN = "unwritten"
"""The store has no entry of it; its rejection is not asked yet."""


@dataclass(frozen=True, slots=True)
class RejectedNow:
    """This run rejected it, then, for this reason: skipped as a rejection the store holds would be. One for the
    many URLs rejected in the same second for the same reason."""

    reason: str
    at: str


@dataclass(frozen=True, slots=True)
class WrittenNow:
    """This run wrote the story: its version, and a digest of what `next_version` compares (the record may still
    be held by the writer, not yet in the store)."""

    version: int
    fingerprint: bytes

    @classmethod
    def of(cls, entry: Emitted) -> WrittenNow:
        return cls(entry.version, fingerprint(entry))

    def next_version(self, entry: Emitted) -> int | None:
        """`next_version` of this version, for an entry of the same story."""
        return None if fingerprint(entry) == self.fingerprint else self.version + 1


Known = Emitted | Rejected | WrittenNow | RejectedNow | str | None
"""What a run knows of a URL (`Incremental.answers`)."""


def fingerprint(entry: Emitted) -> bytes:
    """Digest what tells two versions of a story apart (an empty value is an absent one, as in `next_version`)."""
    return compact_key(repr((entry.content_hash or None, entry.modified or None)))


class StorageFailed(Exception):
    """The state store failed: the run is being stopped."""


def is_transient(reason: str) -> bool:
    """Tell a fetch failure that may pass by itself (network, 429, 5xx) from one that says the page is gone.

    >>> is_transient("http_503"), is_transient("TimeoutError"), is_transient("http_404"), is_transient("RedirectLoop")
    (True, True, False, False)
    """
    return reason in TRANSIENT or reason.startswith("http_5")


def changed_since(seen: str | None, lastmod: datetime | None) -> bool:
    """Tell whether a sitemap's lastmod is later than the version of the page the state knows.

    >>> changed_since("2026-11-27T10:00:00+00:00", parse_datetime("2026-11-27T13:30:00+03:00"))
    True
    >>> changed_since("2026-11-27T10:00:00+00:00", None)
    False
    """
    reference = parse_datetime(seen)
    return bool(lastmod and reference and lastmod > reference)


class Incremental:
    def __init__(
        self,
        store: StateStore,
        spider: str,
        started: datetime,
        rejected_hours: float,
        on_failure: Callable[[Exception], None] | None = None,
    ):
        self.store = store
        self.spider = spider
        self.rejected_since = utc_text(started - timedelta(hours=rejected_hours))
        self.on_failure = on_failure
        self.failure: Exception | None = None
        self.answers: dict[bytes, Known] = {}
        """Per URL (its `compact_key`), read once a run and updated as this run writes and rejects: the store's
        entry (Emitted), its rejection (Rejected), None (neither), UNWRITTEN (no entry; the rejection not asked
        yet), WrittenNow or RejectedNow."""
        self.last_rejection: RejectedNow | None = None
        self.last_listed = ""
        """The `since` of the URLs `pending` noted last."""
        self.origins: dict[str, set[str]] = {}
        """Fetched URL (after redirects) -> the listed URLs it answers, settled together."""

    def guarded(self, action: Callable[..., T], *args: Any) -> T:
        """Run one store call; a failure stops the run once and makes this and every later call raise."""
        if self.failure is not None:
            raise StorageFailed(str(self.failure))
        try:
            return action(*args)
        except Exception as error:
            self.failure = error
            if self.on_failure:
                self.on_failure(error)
            raise StorageFailed(f"{type(error).__name__}: {error}") from error

    def find(self, url: str, article_id: str | None = None) -> Known:
        """Return what is known of a listed URL: the state's entry (by its URL, else its article id), asked once
        per run, or what this run did with it (see `answers`)."""
        key = compact_key(url)
        if key not in self.answers:
            found = self.guarded(self.store.find, self.spider, url, scoped_id(url, article_id))
            self.answers[key] = found or UNWRITTEN
        return self.answers[key]

    def skip_reason(self, url: str, article_id: str | None = None, lastmod: datetime | None = None) -> str | None:
        """Return why a listed URL need not be fetched, or None to fetch it."""
        known = self.find(url, article_id)
        if isinstance(known, WrittenNow):
            return WRITTEN_THIS_RUN
        if isinstance(known, Emitted):
            # by identity, not by time: a run starting in the second the last one ended is no run of its own
            if isinstance(self.answers.get(compact_key(known.url)), WrittenNow):
                return WRITTEN_THIS_RUN
            return None if changed_since(known.modified or known.last_seen, lastmod) else "already_written"
        if isinstance(known, str):  # UNWRITTEN, the only text it holds
            known = self.answers[compact_key(url)] = self.guarded(self.store.rejection, self.spider, url)
        rejection = known
        if rejection is None or changed_since(rejection.at, lastmod):
            return None
        if rejection.at >= self.rejected_since or (lastmod and rejection.reason in STABLE_REJECTIONS):
            return "rejected_before"
        return None  # tried again, in case the site or the parser changed

    def leftover(self) -> list[Pending]:
        """Return the URLs earlier runs listed and did not finish: requested first."""
        return self.guarded(self.store.pending, self.spider)

    def pending(self, entries: list[Pending]) -> list[Pending]:
        """Durably note URLs about to be requested, before they are; return those that were not pending yet.
        Each call's URLs come after all those of the calls before in the state's order (`Pending.key`), so a
        run reading its queue from the state meets them ahead of where it is: a call within the second of the
        one before (or after the clock went back) is dated a second after it."""
        now = utc_text(datetime.now(UTC))
        if now <= self.last_listed:
            now = utc_text(datetime.fromisoformat(self.last_listed) + timedelta(seconds=1))
        self.last_listed = now
        entries = [replace(entry, spider=self.spider, since=entry.since or now) for entry in entries]
        return self.guarded(self.store.add_pending, entries)

    def next_pending(self, after: PendingKey | None, limit: int) -> list[Pending]:
        """Return the next `limit` pending URLs after `after` (None: from the oldest), in the state's order."""
        return self.guarded(self.store.pending_after, self.spider, after, limit)

    def fetched(self, listed_url: str, fetched_url: str) -> None:
        """Note which listed URL a fetched page answers (they differ after a redirect)."""
        if listed_url != fetched_url:
            self.origins.setdefault(fetched_url, set()).add(listed_url)

    def claim(self, record) -> int | None:
        """Return the version of the record (a mapping of its fields) to write, or None when the state holds it
        unchanged."""
        entry = emitted_of(self.spider, record)
        known = self.find(entry.url, entry.article_id)
        if isinstance(known, WrittenNow) and not self.store.shared:
            return known.next_version(entry)  # decided as the store would, from what may still be held
        previous: Emitted | EllipsisType | None
        if isinstance(known, RejectedNow):
            previous = ...  # rejected by this run, perhaps never asked about: the store looks it up
        elif isinstance(known, Emitted):
            previous = known
        else:
            previous = None  # the store said it has no entry (a shared store reads it again in any case)
        return self.guarded(self.store.claim, entry, previous)

    def written(self, record, by_this_run: bool = True) -> None:
        """Durably record a record whose line is durable in the output (or, after `hold`, will be at the next
        `commit`); its listed URLs are done. A record an interrupted run wrote (recovered) counts as written
        before: listing it again is a skip like any other."""
        entry = emitted_of(self.spider, record, utc_text(datetime.now(UTC)))
        self.guarded(self.store.record, entry)
        known = WrittenNow.of(entry) if by_this_run else entry
        for url in {entry.url, *self.settled(record)}:
            self.answers[compact_key(url)] = known  # a source listing it again later in this run finds it written

    def settled(self, record) -> list[str]:
        """Forget the pending URLs of a story that needs no writing (unchanged, a duplicate, written); return them."""
        listed = {record.get("url"), record.get("fetched_url")} | self.origins.pop(record.get("fetched_url"), set())
        urls = sorted(url for url in listed if url)
        self.guarded(self.store.settle, self.spider, urls)
        return urls

    def done(self, url: str) -> None:
        """Forget one pending URL that needs nothing more (a listing page read, or forbidden by robots.txt)."""
        self.guarded(self.store.settle, self.spider, [url])

    def rejected(self, url: str | None, why: str) -> None:
        """Remember a page this spider cannot use, and why; it is skipped for a while, and no longer pending."""
        if url:
            at = utc_text(datetime.now(UTC))
            if RejectedNow(why, at) != self.last_rejection:
                self.last_rejection = RejectedNow(why, at)  # shared by the URLs rejected alike in this second
            for listed in {url} | self.origins.pop(url, set()):
                self.guarded(self.store.reject, self.spider, listed, why, at)
                self.answers[compact_key(listed)] = self.last_rejection

    def hold(self) -> None:
        """Keep the records written, and the URLs settled, back until `commit`: the writer's batch."""
        self.store.hold()

    def commit(self) -> None:
        """Commit what is held in one step, once the writer has made its records durable in the output."""
        if self.store.held:  # nothing held, nothing to fail on
            self.guarded(self.store.commit)

    def discard(self) -> None:
        """Forget what is held: the output lost those records (they stay pending, fetched again next run)."""
        self.store.discard()

    def failed(self, url: str, why: str) -> bool:
        """Count a failed fetch of a listed URL; return True when it is given up (rejected) for good."""
        if is_transient(why):
            return False
        if self.guarded(self.store.failed_attempt, self.spider, url) >= MAX_ATTEMPTS:
            self.rejected(url, why)
            return True
        return False
