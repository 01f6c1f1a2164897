"""What each spider has already emitted, kept between runs, so a run writes only new articles and new versions.

One interface, `StateStore`, with an SQLite implementation (`newscrawl.state.sqlite`) and a Redis one for many
workers (`newscrawl.state.redis`); `open_state` picks one from the settings. No Scrapy imports here: other tools
read and reset the same state.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_PATH = "data/state.sqlite"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Rejected:
    """A page a spider fetched and could not use: not ours, or no article in it."""

    spider: str
    url: str
    reason: str
    """Why, as counted in the run's stats: `other_section`, `missing_body`, …"""
    at: str
    """ISO 8601 UTC, when it was last rejected."""


class StateStore(ABC):
    """Per spider, the articles already emitted (looked up before writing, recorded after), and the pages
    rejected lately, so that neither is fetched again every run."""

    @abstractmethod
    def find(self, spider: str, url: str | None = None, article_id: str | None = None) -> Emitted | None:
        """Return the spider's entry with this canonical URL, else with this article id, else None."""

    @abstractmethod
    def record(
        self,
        spider: str,
        url: str,
        article_id: str | None,
        content_hash: str | None,
        modified: str | None,
        version: int,
        at: str,
    ) -> None:
        """Durably record that this version was written: update the entry `find` returns, else insert."""

    def claim(
        self, spider: str, url: str, article_id: str | None, content_hash: str | None, modified: str | None
    ) -> int | None:
        """Return the version to write of this article (`next_version` of what `find` returns), or None when it
        is unchanged; a store shared by many workers also returns None while another worker writes the story,
        and reserves it for this one until `record`."""
        return next_version(self.find(spider, url, article_id), content_hash, modified)

    @abstractmethod
    def reject(self, spider: str, url: str, reason: str, at: str) -> None:
        """Record that the spider fetched this page and could not use it, and why."""

    @abstractmethod
    def rejection(self, spider: str, url: str, since: str) -> Rejected | None:
        """Return the spider's rejection of this URL made at or after `since`, else None."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Return the number of articles per spider."""

    @abstractmethod
    def recent(self, spider: str, limit: int = 10) -> list[Emitted]:
        """Return the spider's entries, newest last_seen first."""

    @abstractmethod
    def reset(self, spider: str) -> int:
        """Forget every entry and rejection of the spider; return how many articles it forgot."""

    @abstractmethod
    def expire(self, spider: str | None, older_than: datetime) -> int:
        """Forget entries and rejections from before older_than, of one spider or all (None); return how many
        articles it forgot."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


def state_path(settings) -> str:
    """Return where the state lives: NEWSCRAWL_STATE, else data/state.sqlite under the current folder."""
    return settings.get("NEWSCRAWL_STATE") or DEFAULT_PATH


def open_state(settings) -> StateStore:
    """Open the store the settings name (a Scrapy Settings or a dict), creating it if needed."""
    from newscrawl.state.sqlite import SQLiteStateStore  # here: the backend modules import this one

    where = state_path(settings)
    if where.startswith(("redis://", "rediss://")):
        from newscrawl.state.redis import RedisStateStore

        return RedisStateStore(where, owner=settings.get("NEWSCRAWL_WORKER") or None)
    return SQLiteStateStore(where)


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
