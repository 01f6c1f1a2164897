"""The state in Redis (NEWSCRAWL_STATE=redis://host:6379/0), shared by every worker of a scaled-out crawl.

The same facts as the SQLite file, under `newscrawl:state:<spider>:`, readable with `redis-cli`:

    article:<url>   hash: url, article_id, content_hash, modified, version, first_seen, last_seen (absent = null)
    ids             hash: article id -> the URL of its newest entry
    seen            sorted set: URL -> last_seen (Unix seconds), for `recent` and `expire`
    rejected        hash: URL -> {"reason", "at"} (JSON); rejected_at: sorted set URL -> at (Unix seconds)
    pending         hash: URL -> {"kind", "source", "page", "check_section", "since", "attempts"} (JSON), listed
                    and not yet written or rejected; pending_at: sorted set URL -> since (Unix seconds)
    claim:url:<url>, claim:id:<id>   the worker writing that story right now (expires by itself)

plus the set `newscrawl:state:spiders` and `newscrawl:state:schema` (5: article ids within their site,
"sputnik:1121144755"). Times are ISO 8601 UTC text, as in SQLite. For example:

    redis-cli ZREVRANGE newscrawl:state:asia:seen 0 9 WITHSCORES
    redis-cli HGETALL "newscrawl:state:asia:article:https://sputnikglobe.com/…"

Every write runs as one transaction (WATCH/MULTI): two workers recording or claiming the same story never
both win. A claim (see `claim`) is a reservation between deciding a version and recording it as written; it
ends with the record, with `release_claims` (the worker closed, or another found it dead), or after
CLAIM_SECONDS. One Redis server (not Redis Cluster): the keys a transaction touches are found as it reads.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from datetime import datetime
from types import EllipsisType
from typing import TypeVar, cast

import redis
from redis.client import Pipeline

from newscrawl.state import (
    Emitted,
    Held,
    Pending,
    PendingKey,
    Rejected,
    StateStore,
    next_version,
    scoped_id,
    utc_text,
)

T = TypeVar("T")
PREFIX = "newscrawl:state"
SCHEMA_VERSION = 5  # as the SQLite file's: 5 keeps article ids within their site
# Far longer than deciding a version, writing the line and recording it takes: only a claim whose worker
# died without anyone noticing (no other worker running) lives this long.
CLAIM_SECONDS = 600
RELEASE = """
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return redis.call('DEL', KEYS[1])
"""

# The pending URLs after (since, url), in that order, at most ARGV[3], with their fields: pending_at orders its
# members by score (since, in seconds), then byte by byte (an ISO 8601 UTC `since` to the second sorts as its
# seconds). The first member after the URL among those of its second is found by bisection over their ranks,
# comparing bytes as the sorted set does (Lua's `<` on strings follows the server's locale): O(log n), no scan.
PENDING_AFTER = """
local function after(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
local start = 0
if ARGV[1] ~= '' then
  start = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[1])
  local stop = start + redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[1])
  while start < stop do
    local middle = math.floor((start + stop) / 2)
    if after(redis.call('ZRANGE', KEYS[1], middle, middle)[1], ARGV[2]) then stop = middle else start = middle + 1 end
  end
end
local urls = redis.call('ZRANGE', KEYS[1], start, start + tonumber(ARGV[3]) - 1)
if #urls == 0 then return {} end
return {urls, redis.call('HMGET', KEYS[2], unpack(urls))}
"""


def default_owner() -> str:
    """Name this process as a claim owner: host and pid."""
    return f"{socket.gethostname()}-{os.getpid()}"


def epoch(text: str) -> int:
    """Return an ISO 8601 time as Unix seconds, the score of the sorted sets.

    >>> epoch("1970-01-01T00:01:00+00:00")
    60
    """
    return int(datetime.fromisoformat(text).timestamp())


class RedisStateStore(StateStore):
    shared = True

    def __init__(self, url: str, owner: str | None = None):
        self.url = url
        self.owner = owner or default_owner()
        """The worker this process's claims belong to."""
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.redis.ping()  # a wrong URL fails now, not at the first article
        self._release = self.redis.register_script(RELEASE)
        self._pending_after = self.redis.register_script(PENDING_AFTER)
        self._upgrade()

    def _upgrade(self) -> None:
        """Bring a state written by an older newscrawl to SCHEMA_VERSION, once (`newscrawl:state:schema`): since
        version 5 article ids are kept within their site ("sputnik:1121144755"). Idempotent: two workers starting
        together both upgrading do no harm."""
        found = int(self.redis.get(f"{PREFIX}:schema") or 0)
        if found >= SCHEMA_VERSION:
            return
        for spider in self.spiders():
            ids = self.key(spider, "ids")
            for article_id, url in self.read_hash(ids).items():  # a one-time pass, not a per-URL cost
                scoped = scoped_id(url, article_id)
                if scoped != article_id:
                    with self.redis.pipeline() as pipe:
                        pipe.hset(ids, scoped, url)
                        pipe.hdel(ids, article_id)
                        pipe.hset(self.key(spider, "article", url), "article_id", scoped)
                        pipe.execute()
        self.redis.set(f"{PREFIX}:schema", SCHEMA_VERSION)

    def key(self, spider: str, *parts: str) -> str:
        return ":".join((PREFIX, spider, *parts))

    def read_hash(self, key: str) -> dict[str, str]:
        """A hash's fields. redis-py types replies as bytes | str; this client decodes them (decode_responses)."""
        return cast("dict[str, str]", self.redis.hgetall(key))

    def transaction(self, attempt: Callable[[Pipeline], T], *watched: str) -> T:
        """Run `attempt` as a transaction watching these keys (again while another client changes them); return
        what it returns."""
        # redis-py types `func` as returning None: value_from_callable returns what it returns
        return cast(T, self.redis.transaction(attempt, *watched, value_from_callable=True))  # type: ignore[arg-type]

    def find(self, spider: str, url: str | None = None, article_id: str | None = None) -> Emitted | None:
        return self._find(self.redis, spider, url, article_id)

    def _find(self, client, spider: str, url: str | None, article_id: str | None, watch: bool = False):
        """Read the URL's own entry, else the newest entry with the article id; inside a transaction
        (`watch`), watch the entry found by id too."""
        if url:
            entry = client.hgetall(self.key(spider, "article", url))
            if entry:
                return emitted(spider, entry)
        found = client.hget(self.key(spider, "ids"), article_id) if article_id else None
        if not found:
            return None
        if watch:
            client.watch(self.key(spider, "article", found))
        entry = client.hgetall(self.key(spider, "article", found))
        return emitted(spider, entry) if entry.get("article_id") == article_id else None

    def claim(self, entry: Emitted, previous: Emitted | EllipsisType | None = ...) -> int | None:
        # `previous` is not trusted: another worker may have written the story since it was read
        spider, url, article_id = entry.spider, entry.url, entry.article_id
        claims = self.claim_keys(spider, url, article_id)

        def attempt(pipe):
            if any(holder not in (None, self.owner) for holder in pipe.mget(claims)):
                return None  # another worker is writing this story right now
            found = self._find(pipe, spider, url, article_id, watch=True)
            version = next_version(found, entry.content_hash, entry.modified)
            if version is None:
                return None
            pipe.multi()
            mine = self.key(spider, "claims", self.owner)
            for claim in claims:
                pipe.set(claim, self.owner, ex=CLAIM_SECONDS)
            pipe.sadd(mine, *claims)
            pipe.expire(mine, CLAIM_SECONDS)
            return version

        watched = (*claims, self.key(spider, "ids"), self.key(spider, "article", url))
        return self.transaction(attempt, *watched)

    def claim_keys(self, spider: str, url: str, article_id: str | None) -> list[str]:
        """The keys that reserve a story: its URL and, when known, its article id."""
        by_id = [self.key(spider, "claim", "id", article_id)] if article_id else []
        return [self.key(spider, "claim", "url", url), *by_id]

    def release_claims(self, spider: str, owner: str) -> None:
        """End the claims a worker still holds: it closed, or died and its requests go to another worker."""
        self._release(keys=[self.key(spider, "claims", owner)], args=[owner])

    def apply(self, writes: Held) -> None:
        # one transaction per record (each watches its own keys); Redis has no file to sync per batch
        for entry in writes.records:
            self._record(entry)
        for spider in dict.fromkeys(spider for spider, _ in writes.settled):
            self._settle(spider, [url for each, url in writes.settled if each == spider])

    def _record(self, entry: Emitted) -> None:
        spider, url, article_id, version = entry.spider, entry.url, entry.article_id, entry.version
        content_hash, modified = entry.content_hash, entry.modified
        if not url:
            raise ValueError(f"an emitted article of {spider} needs its URL")
        at = utc_text(datetime.fromisoformat(entry.last_seen))
        ids, seen = self.key(spider, "ids"), self.key(spider, "seen")

        def attempt(pipe):
            previous = self._find(pipe, spider, url, article_id, watch=True)
            known_id = article_id or (previous.article_id if previous else None)
            # an id this entry no longer has stops pointing at it
            stale_id = previous.article_id if previous and previous.article_id not in (None, known_id) else None
            stale_id = stale_id if stale_id and pipe.hget(ids, stale_id) == previous.url else None
            claims = self.claim_keys(spider, url, known_id)
            mine = [claim for claim, holder in zip(claims, pipe.mget(claims)) if holder == self.owner]
            pipe.multi()
            pipe.hdel(self.key(spider, "pending"), url)
            pipe.zrem(self.key(spider, "pending_at"), url)
            if previous and previous.version > version:
                if mine:
                    pipe.delete(*mine)
                return  # a newer version is already recorded: a late recovery never moves it back
            if previous and previous.url != url:
                pipe.delete(self.key(spider, "article", previous.url))
                pipe.zrem(seen, previous.url)
            fields = {
                "url": url, "article_id": known_id, "content_hash": content_hash, "modified": modified,
                "version": version, "first_seen": previous.first_seen if previous else at, "last_seen": at,
            }
            article = self.key(spider, "article", url)
            pipe.delete(article)
            pipe.hset(article, mapping={name: value for name, value in fields.items() if value is not None})
            if stale_id:
                pipe.hdel(ids, stale_id)
            if known_id:
                pipe.hset(ids, known_id, url)
            pipe.zadd(seen, {url: epoch(at)})
            pipe.sadd(f"{PREFIX}:spiders", spider)
            if mine:
                pipe.delete(*mine)  # written: the reservation has done its work

        self.redis.transaction(attempt, ids, seen, self.key(spider, "article", url))

    def written_since(self, spider: str, since: str) -> int:
        """Count the spider's entries written at or after `since`, by any worker."""
        return self.redis.zcount(self.key(spider, "seen"), epoch(since), "+inf")

    def reject(self, spider: str, url: str, reason: str, at: str) -> None:
        at = utc_text(datetime.fromisoformat(at))
        with self.redis.pipeline() as pipe:  # MULTI/EXEC
            pipe.hset(self.key(spider, "rejected"), url, json.dumps({"reason": reason, "at": at}))
            pipe.zadd(self.key(spider, "rejected_at"), {url: epoch(at)})
            pipe.hdel(self.key(spider, "pending"), url)
            pipe.zrem(self.key(spider, "pending_at"), url)
            pipe.sadd(f"{PREFIX}:spiders", spider)
            pipe.execute()

    def rejection(self, spider: str, url: str, since: str | None = None) -> Rejected | None:
        found = self.redis.hget(self.key(spider, "rejected"), url)
        if not found:
            return None
        rejected = json.loads(found)
        if since and rejected["at"] < utc_text(datetime.fromisoformat(since)):
            return None
        return Rejected(spider, url, rejected["reason"], rejected["at"])

    def add_pending(self, entries: list[Pending]) -> list[Pending]:
        if not entries:
            return []
        with self.redis.pipeline() as pipe:  # MULTI/EXEC: all of a page's URLs or none
            for entry in entries:
                fields = {"kind": entry.kind, "source": entry.source, "page": entry.page,
                          "check_section": entry.check_section, "since": entry.since, "attempts": entry.attempts}
                pipe.hsetnx(self.key(entry.spider, "pending"), entry.url, json.dumps(fields))
                pipe.zadd(self.key(entry.spider, "pending_at"), {entry.url: epoch(entry.since)}, nx=True)
                pipe.sadd(f"{PREFIX}:spiders", entry.spider)
            added = pipe.execute()[::3]  # HSETNX: 1 for a URL not pending before
        return [entry for entry, new in zip(entries, added) if new]

    def pending(self, spider: str) -> list[Pending]:
        entries = self.read_hash(self.key(spider, "pending"))
        found = [Pending(spider, url, **json.loads(fields)) for url, fields in entries.items()]
        return sorted(found, key=lambda entry: entry.key)

    def pending_after(self, spider: str, after: PendingKey | None, limit: int) -> list[Pending]:
        since, url = after or ("", "")
        keys = [self.key(spider, "pending_at"), self.key(spider, "pending")]
        found = self._pending_after(keys=keys, args=[epoch(since) if since else "", url, limit])
        if not found:
            return []
        # the script reads both at once; a URL without fields (nil) is in the sorted set alone: not pending
        return [Pending(spider, url, **json.loads(fields)) for url, fields in zip(*found) if fields]

    def _settle(self, spider: str, urls: list[str]) -> None:
        if urls:
            with self.redis.pipeline() as pipe:
                pipe.hdel(self.key(spider, "pending"), *urls)
                pipe.zrem(self.key(spider, "pending_at"), *urls)
                pipe.execute()

    def failed_attempt(self, spider: str, url: str) -> int:
        key = self.key(spider, "pending")

        def attempt(pipe):
            found = pipe.hget(key, url)
            if not found:
                return 0
            fields = json.loads(found)
            fields["attempts"] += 1
            pipe.multi()
            pipe.hset(key, url, json.dumps(fields))
            return fields["attempts"]

        return self.transaction(attempt, key)

    def spiders(self) -> list[str]:
        return sorted(cast("set[str]", self.redis.smembers(f"{PREFIX}:spiders")))

    def counts(self) -> dict[str, int]:
        found = {spider: self.redis.zcard(self.key(spider, "seen")) for spider in self.spiders()}
        return {spider: count for spider, count in found.items() if count}

    def recent(self, spider: str, limit: int = 10) -> list[Emitted]:
        if limit <= 0:
            return []
        urls = cast("list[str]", self.redis.zrevrange(self.key(spider, "seen"), 0, limit - 1))
        with self.redis.pipeline(transaction=False) as pipe:
            for url in urls:
                pipe.hgetall(self.key(spider, "article", url))
            return [emitted(spider, entry) for entry in pipe.execute() if entry]

    def reset(self, spider: str) -> int:
        seen = self.key(spider, "seen")

        def attempt(pipe):
            urls = pipe.zrange(seen, 0, -1)
            pipe.multi()
            for url in urls:
                pipe.delete(self.key(spider, "article", url))
            pipe.delete(seen, self.key(spider, "ids"), self.key(spider, "rejected"), self.key(spider, "rejected_at"),
                        self.key(spider, "pending"), self.key(spider, "pending_at"))
            return len(urls)

        return self.transaction(attempt, seen)

    def expire(self, spider: str | None, older_than: datetime) -> int:
        cutoff = f"({epoch(utc_text(older_than))}"  # "(": strictly before, as in SQLite
        return sum(self._expire(name, cutoff) for name in ([spider] if spider else self.spiders()))

    def _expire(self, spider: str, cutoff: str) -> int:
        seen, ids, rejected_at = self.key(spider, "seen"), self.key(spider, "ids"), self.key(spider, "rejected_at")

        def attempt(pipe):
            urls = pipe.zrangebyscore(seen, "-inf", cutoff)
            entries = [pipe.hgetall(self.key(spider, "article", url)) for url in urls]
            rejected = pipe.zrangebyscore(rejected_at, "-inf", cutoff)
            pending = pipe.zrangebyscore(self.key(spider, "pending_at"), "-inf", cutoff)
            known = [entry["article_id"] for entry in entries if entry.get("article_id")]
            index = dict(zip(known, pipe.hmget(ids, known))) if known else {}  # the ids expiring, not all of them
            pipe.multi()
            for url, entry in zip(urls, entries):
                pipe.delete(self.key(spider, "article", url))
                if entry.get("article_id") and index.get(entry["article_id"]) == url:
                    pipe.hdel(ids, entry["article_id"])
            if urls:
                pipe.zrem(seen, *urls)
            if rejected:
                pipe.hdel(self.key(spider, "rejected"), *rejected)
                pipe.zrem(rejected_at, *rejected)
            if pending:
                pipe.hdel(self.key(spider, "pending"), *pending)
                pipe.zrem(self.key(spider, "pending_at"), *pending)
            return len(urls)

        return self.transaction(attempt, seen, ids, rejected_at)

    def close(self) -> None:
        self.redis.close()


def emitted(spider: str, entry: dict[str, str]) -> Emitted:
    """Build an entry from its hash; absent fields are null (`_record` always writes url, version and times)."""
    return Emitted(
        spider=spider, url=entry["url"], article_id=entry.get("article_id"), content_hash=entry.get("content_hash"),
        modified=entry.get("modified"), version=int(entry["version"]), first_seen=entry["first_seen"],
        last_seen=entry["last_seen"],
    )
