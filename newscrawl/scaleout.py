"""Many workers, one crawl: `scrapy crawl` processes on many machines share one Redis (NEWSCRAWL_REDIS_URL).

scrapy-redis gives the shared request queue and duplicate filter; the state store, in the same Redis, lets one
worker write each article (`StateStore.claim`), into that worker's own JSON Lines shard. On top of scrapy-redis,
one small mechanism keeps the requests of a worker that dies (keys under `newscrawl:<spider>:`):

* popping a request moves it, in one Lua step, from the queue to the worker's hash `inflight:<worker>`, where it
  stays until the engine has finished it: downloaded, parsed, its items through the pipelines, its links queued;
* every NEWSCRAWL_HEARTBEAT seconds a worker stamps `workers` with the Redis server's time; a worker finding
  another silent for NEWSCRAWL_WORKER_TIMEOUT releases its article claims and puts its requests in flight back
  on the queue;
* an idle worker does not close while the queue holds requests or another worker has some in flight, so the
  crawl ends for all when it is done for all; the workers that see it done clear the duplicate filter, and the
  next run starts afresh.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from newscrawl.extensions.state import state_of
from newscrawl.state import StateStore, utc_text

logger = logging.getLogger(__name__)

KEY = "newscrawl:%(spider)s:"
# Take the request with the best score off the queue and into this worker's in-flight hash, atomically.
POP = """
local best = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #best == 0 then return false end
redis.call('ZREM', KEYS[1], best[1])
redis.call('HSET', KEYS[2], best[1], best[2])
return best[1]
"""
# Stamp this worker's heartbeat with the server's time (no clock skew between machines); return it and all beats.
HEARTBEAT = """
local now = redis.call('TIME')[1]
redis.call('HSET', KEYS[1], ARGV[1], now)
return {now, redis.call('HGETALL', KEYS[1])}
"""
# Put a worker's requests in flight back on the queue, if it is still silent (or ARGV[2] is 0: it is us).
REQUEUE = """
local beat = redis.call('HGET', KEYS[1], ARGV[1])
if beat and tonumber(ARGV[2]) > 0 and tonumber(redis.call('TIME')[1]) - tonumber(beat) <= tonumber(ARGV[2]) then
  return -1
end
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do redis.call('ZADD', KEYS[3], entries[i + 1], entries[i]) end
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[1], ARGV[1])
return #entries / 2
"""


def worker_id(settings) -> str:
    """Name this worker: NEWSCRAWL_WORKER, else host and process id."""
    return settings.get("NEWSCRAWL_WORKER") or f"{socket.gethostname()}-{os.getpid()}"


def sharded(template: str) -> str:
    """Give each worker its own output file: its name after the run's start time, else before the extension.

    >>> sharded("data/%(name)s/%(time)s.jsonl"), sharded("out/%(name)s.jsonl"), sharded("")
    ('data/%(name)s/%(time)s-%(worker)s.jsonl', 'out/%(name)s-%(worker)s.jsonl', '')
    """
    if not template or "%(worker)s" in template:
        return template
    if "%(time)s" in template:
        return template.replace("%(time)s", "%(time)s-%(worker)s", 1)
    stem, dot, extension = template.rpartition(".")
    return f"{stem}-%(worker)s.{extension}" if dot and "/" not in extension else f"{template}-%(worker)s"


class ScaleOutAddon:
    """With NEWSCRAWL_REDIS_URL: scrapy-redis's queue and duplicate filter, the state in the same Redis, one
    output shard per worker."""

    def update_settings(self, settings) -> None:
        url = settings.get("NEWSCRAWL_REDIS_URL")
        if not url:
            return
        for name, value in {
            "SCHEDULER": "newscrawl.scaleout.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": url,
            # the queue and filter outlive any one worker; the end of the whole crawl clears the filter
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": KEY + "requests",
            "SCHEDULER_DUPEFILTER_KEY": KEY + "dupefilter",
            "NEWSCRAWL_WORKER": worker_id(settings),
        }.items():
            settings.set(name, value, "spider")
        commanded = SETTINGS_PRIORITIES["cmdline"]
        if settings.getpriority("CONCURRENT_REQUESTS") < commanded:
            # a worker takes off the shared queue only what it can fetch now, and leaves the rest to the others
            settings.set("CONCURRENT_REQUESTS", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), "spider")
        if settings.getpriority("NEWSCRAWL_STATE") < commanded:
            settings.set("NEWSCRAWL_STATE", url, "spider")
        if settings.getpriority("NEWSCRAWL_OUTPUT") < commanded:
            settings.set("NEWSCRAWL_OUTPUT", sharded(settings["NEWSCRAWL_OUTPUT"]), "spider")
        check(settings)


def check(settings) -> None:
    """Refuse settings that would let workers overwrite each other's files, or not share what they wrote."""
    if settings["NEWSCRAWL_OUTPUT"] and "%(worker)s" not in settings["NEWSCRAWL_OUTPUT"]:
        raise UsageError("NEWSCRAWL_OUTPUT needs %(worker)s with NEWSCRAWL_REDIS_URL: each worker writes its own file")
    if not settings["NEWSCRAWL_STATE"].startswith(("redis://", "rediss://")):
        raise UsageError("NEWSCRAWL_STATE must be a Redis URL with NEWSCRAWL_REDIS_URL: the workers share it")
    heartbeat, timeout = settings.getfloat("NEWSCRAWL_HEARTBEAT"), settings.getfloat("NEWSCRAWL_WORKER_TIMEOUT")
    if not 0 < 2 * heartbeat < timeout:
        raise UsageError("NEWSCRAWL_WORKER_TIMEOUT must be more than twice NEWSCRAWL_HEARTBEAT, which must be positive")


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler, keeping each popped request in flight until the engine has finished it."""

    crawler: Crawler
    df: Any  # scrapy-redis's duplicate filter (untyped)
    in_flight: dict[Request, bytes]

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker = crawler.settings["NEWSCRAWL_WORKER"]
        scheduler.heartbeat = crawler.settings.getfloat("NEWSCRAWL_HEARTBEAT")
        scheduler.timeout = crawler.settings.getfloat("NEWSCRAWL_WORKER_TIMEOUT")
        scheduler.in_flight = {}  # popped request -> its queue entry
        scheduler.done_for_all = False
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider):
        # as scrapy-redis's, without its Spider.log() call, which Scrapy 2.13+ deprecates
        self.spider = spider
        key = self.queue_key % {"spider": spider.name}
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=key, serializer=self.serializer)
        self.df = self.df or load_object(self.dupefilter_cls).from_spider(spider)
        self.keys = KEY % {"spider": spider.name}
        self.workers = self.keys + "workers"
        self._pop = self.server.register_script(POP)
        self._heartbeat = self.server.register_script(HEARTBEAT)
        self._requeue = self.server.register_script(REQUEUE)
        # what a killed process of the same worker name left in flight, before this one says it is alive
        self.requeue(self.worker, silent_for=0)
        self.beat()
        self.ticker = create_looping_call(self.tick)
        self.ticker.start(self.heartbeat, now=False)
        self.stats.set_value("newscrawl/worker", self.worker)
        logger.info("Worker %s on the shared queue %s (%d requests waiting)", self.worker, self.queue.key, len(self))

    def enqueue_request(self, request):
        # as scrapy-redis's, without the `spider` argument to stats that Scrapy 2.13+ deprecates
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        self.settle()
        entry = self._pop(keys=[self.queue.key, self.inflight(self.worker)])
        if not entry:
            return None
        # what the queue's own pop() does with an entry (tests/test_library_canaries.py pins the entry format)
        request = request_from_dict(self.queue.serializer.loads(entry), spider=self.spider)
        self.in_flight[request] = entry
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def inflight(self, worker: str) -> str:
        return f"{self.keys}inflight:{worker}"

    def settle(self) -> None:
        """Take the requests the engine has finished out of this worker's in-flight hash."""
        # The requests the engine took from the scheduler and has not finished: a Scrapy internal (pinned by
        # tests/test_library_canaries.py), read by Scrapy's own scrapy.utils.engine.get_engine_status too. No
        # public API or signal marks the end of a request's processing (its items through the pipelines, its
        # links queued); request_left_downloader and response_received come before the spider has seen it.
        assert self.crawler.engine._slot is not None
        active = self.crawler.engine._slot.inprogress
        finished = [request for request in self.in_flight if request not in active]
        if finished:
            self.server.hdel(self.inflight(self.worker), *(self.in_flight.pop(request) for request in finished))

    def beat(self) -> tuple[int, dict[str, int]]:
        """Stamp this worker's heartbeat; return the server's time and every worker's last heartbeat."""
        now, beats = self._heartbeat(keys=[self.workers], args=[self.worker])
        return int(now), {name.decode(): int(value) for name, value in zip(beats[::2], beats[1::2])}

    def tick(self) -> None:
        """Heartbeat, settle, and take over the requests of workers gone silent."""
        try:
            now, beats = self.beat()
        except redis.RedisError as error:  # the next beat may get through; the engine reports lasting trouble
            logger.warning("Worker %s could not reach Redis for its heartbeat: %s", self.worker, error)
            return
        self.settle()
        for worker, beat in beats.items():
            if worker != self.worker and now - beat > self.timeout:
                self.take_over(worker, now - beat)

    def take_over(self, worker: str, silent_for: int) -> None:
        """Put a silent worker's requests back on the queue, after releasing its article claims."""
        self.store().release_claims(self.spider.name, worker)
        count = self.requeue(worker, silent_for=self.timeout)
        if count >= 0:
            self.stats.inc_value("newscrawl/scaleout/taken_over", count)
            logger.log(
                logging.WARNING if count else logging.INFO,
                "Worker %s silent for %d s: its %d requests in flight are back on the queue", worker, silent_for, count,
            )

    def requeue(self, worker: str, silent_for: float) -> int:
        """Move a worker's in-flight requests back to the queue (if silent that long); -1 if it is not."""
        keys = [self.workers, self.inflight(worker), self.queue.key]
        return int(self._requeue(keys=keys, args=[worker, int(silent_for)]))

    def spider_idle(self, spider):
        """Keep an idle worker until the whole crawl is done: nothing queued, nothing in flight anywhere."""
        self.tick()
        others = [name.decode() for name in self.server.hkeys(self.workers) if name.decode() != self.worker]
        busy = {worker: count for worker in others if (count := self.server.hlen(self.inflight(worker)))}
        waiting = len(self)
        if waiting or busy:
            logger.debug("Idle, waiting: %d requests queued, in flight at %s", waiting, busy or "no other worker")
            raise DontCloseSpider
        self.done_for_all = True

    def close(self, reason):
        self.ticker.stop()
        self.settle()  # the engine has finished every request by now
        store = self.store()
        store.release_claims(self.spider.name, self.worker)
        if self.done_for_all:
            self.server.delete(self.inflight(self.worker))
            self.server.hdel(self.workers, self.worker)
            self.df.clear()  # the crawl is over: the next run fetches the sections again
        else:
            # stopped early (a signal, `limit`): what this worker had not finished goes back to the others
            self.requeue(self.worker, silent_for=0)
        self.count_others_writes(store)

    def store(self) -> StateStore:
        store = state_of(self.crawler)
        assert store is not None, "scaled out, the state extension must be on"
        return store

    def count_others_writes(self, store) -> None:
        """Count the articles other workers wrote while this one ran: a worker left with nothing to do is
        not a crawl that found nothing (the no-articles health check)."""
        everyone = store.written_since(self.spider.name, utc_text(self.stats.get_value("start_time")))
        written = self.stats.get_value("newscrawl/written", 0) + self.stats.get_value("newscrawl/recovered", 0)
        self.stats.set_value("newscrawl/articles/by_other_workers", max(everyone - written, 0))
