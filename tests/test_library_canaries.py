"""Canaries: the internals of Scrapy and scrapy-redis that newscrawl still relies on, for want of a public API.

Each test pins one internal as it is in the version newscrawl was written against, and fails when an upgrade
changes it, naming the internal, that version and the file that relies on it: check that file against the new
library (and whether a public API now does the job) before taking the upgrade.
"""

from __future__ import annotations

import asyncio
import difflib
import inspect
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from unittest.mock import Mock

import pytest
from scrapy import Request, Spider
from scrapy.commands import BaseRunSpiderCommand
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.core.downloader import Downloader, Slot
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler
from scrapy_redis import defaults as redis_defaults
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet.defer import Deferred

SCRAPY = ("Scrapy", "2.19.0")
SCRAPY_REDIS = ("scrapy-redis", "0.9.1")


@contextmanager
def canary(pinned: tuple[str, str], internal: str, user: str) -> Iterator[None]:
    """Turn any failure inside into one message: what changed, since which version, who relies on it."""
    library, pinned_version = pinned
    try:
        yield
    except Exception as error:  # a failed assertion, or whatever the changed internal raises
        pytest.fail(
            f"{internal} is no longer as in {library} {pinned_version} (installed: {library} {version(library)}), "
            f"and {user} relies on it: {type(error).__name__}: {error}"
        )


def same_source(function: Callable, pinned: str) -> None:
    """Assert that a function's source is the pinned text; show the difference if not."""
    installed = textwrap.dedent(inspect.getsource(function))
    pinned = textwrap.dedent(pinned).lstrip("\n")
    diff = "".join(difflib.unified_diff(pinned.splitlines(True), installed.splitlines(True), "pinned", "installed"))
    assert installed == pinned, f"its source is no longer the pinned one:\n{diff}"


def crawler_without_network():
    """A crawler whose downloader and engine can be built in this process, with no download handler to open."""
    return get_crawler(Spider, {"DOWNLOAD_HANDLERS": {"http": None, "https": None}})


def test_a_download_slot_is_held_while_its_latercall_is_pending():
    async def check() -> None:
        downloader = Downloader(crawler_without_network())
        slot = Slot(concurrency=1, delay=0, jitter=0)
        assert slot.latercall is None, "a new slot has a latercall"
        slot.queue.append((Request("https://example.com/"), Deferred()))
        slot.latercall = Mock()
        downloader._process_queue(slot)
        assert len(slot.queue) == 1, "the downloader took a request off a slot whose latercall is pending"
        downloader._process_queue = Mock()
        downloader._latercall(slot)
        assert slot.latercall is None, "Downloader._latercall(slot) does not clear slot.latercall"
        downloader._process_queue.assert_called_once_with(slot)

    with canary(SCRAPY, "Slot.latercall / Downloader._latercall(slot)", "newscrawl/middlewares/retry.py "
                "(RetryAfterMiddleware.pause_site holds a site's slot for a Retry-After)"):
        asyncio.run(check())


def test_a_request_is_in_the_engine_slot_inprogress_until_the_engine_is_done_with_it():
    async def check() -> None:
        engine = ExecutionEngine(crawler_without_network(), lambda _: None)
        assert engine._slot is None, "ExecutionEngine._slot is not there before the spider opens"
        engine.spider = Spider("canary")
        scheduler = Mock()
        engine._slot = slot = _Slot(True, Mock(), scheduler)
        engine.downloader.fetch = Mock()
        engine.scraper.enqueue_scrape = Mock()

        # a response: in progress until the scraper is done with it (items through the pipelines, links queued)
        request, downloaded, scraped = Request("https://example.com/a"), Deferred(), Deferred()
        scheduler.next_request.return_value = request
        engine.downloader.fetch.return_value = downloaded
        engine.scraper.enqueue_scrape.return_value = scraped
        assert engine._start_scheduled_request()
        assert request in engine._slot.inprogress, "a request handed out by the scheduler is not in progress"
        downloaded.callback(Response(request.url, request=request))
        assert request in engine._slot.inprogress, "a downloaded request left before the scraper was done"
        scraped.callback(None)
        assert request not in engine._slot.inprogress, "a request the engine is done with stays in progress"

        # a redirect: in progress until the request it became is in the scheduler
        request, downloaded, queued = Request("https://example.com/b"), Deferred(), []
        scheduler.next_request.return_value = request
        engine.downloader.fetch.return_value = downloaded
        scheduler.enqueue_request.side_effect = lambda new: queued.append((new.url, request in slot.inprogress)) or True
        assert engine._start_scheduled_request()
        downloaded.callback(Request("https://example.com/c"))
        assert queued == [("https://example.com/c", True)], "a redirected request left before its new one was queued"
        assert request not in slot.inprogress, "a redirected request stays in progress"

    with canary(SCRAPY, "ExecutionEngine._slot.inprogress", "newscrawl/scaleout.py "
                "(Scheduler.settle keeps a request in flight in Redis until the engine is done with it)"):
        asyncio.run(check())


def test_the_redis_queue_stores_a_request_as_its_serialized_dict_scored_by_priority():
    class Redis:
        """Records what the queue sends to Redis."""

        def __init__(self):
            self.commands = []

        def execute_command(self, *args):
            self.commands.append(args)

    with canary(SCRAPY_REDIS, "how its queue stores requests", "newscrawl/scaleout.py (the POP and REQUEUE "
                "scripts move the queue's sorted-set entries; Scheduler.next_request decodes them)"):
        assert redis_defaults.SCHEDULER_QUEUE_CLASS == "scrapy_redis.queue.PriorityQueue"
        spider, redis = Spider("asia"), Redis()
        queue = load_object(redis_defaults.SCHEDULER_QUEUE_CLASS)(
            server=redis, spider=spider, key="newscrawl:%(spider)s:requests", serializer=None
        )
        request = Request("https://example.com/a", priority=5, meta={"section": "asia"}, headers={"X-A": "1"})
        queue.push(request)
        [(command, key, score, entry)] = redis.commands
        assert (command, key, score) == ("ZADD", "newscrawl:asia:requests", -5), "not a sorted set scored -priority"
        assert queue.key == key
        decoded = request_from_dict(queue.serializer.loads(entry), spider=spider)
        assert decoded.to_dict(spider=spider) == request.to_dict(spider=spider), "the entry decodes otherwise"


@pytest.mark.parametrize(
    ("method", "pinned"),
    [
        pytest.param(
            RedisScheduler.open,
            '''
            def open(self, spider):
                self.spider = spider

                try:
                    self.queue = load_object(self.queue_cls)(
                        server=self.server,
                        spider=spider,
                        key=self.queue_key % {"spider": spider.name},
                        serializer=self.serializer,
                    )
                except TypeError as e:
                    raise ValueError(
                        f"Failed to instantiate queue class '{self.queue_cls}': {e}"
                    )

                if not self.df:
                    self.df = load_object(self.dupefilter_cls).from_spider(spider)

                if self.flush_on_start:
                    self.flush()
                # notice if there are requests already in the queue to resume the crawl
                if len(self.queue):
                    spider.log(f"Resuming crawl ({len(self.queue)} requests scheduled)")
            ''',
            id="open",
        ),
        pytest.param(
            RedisScheduler.enqueue_request,
            '''
            def enqueue_request(self, request):
                if not request.dont_filter and self.df.request_seen(request):
                    self.df.log(request, self.spider)
                    return False
                if self.stats:
                    self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
                self.queue.push(request)
                return True
            ''',
            id="enqueue_request",
        ),
    ],
)
def test_the_redis_scheduler_methods_that_scaleout_copies(method, pinned):
    with canary(SCRAPY_REDIS, f"Scheduler.{method.__name__}()", "newscrawl/scaleout.py "
                f"(Scheduler.{method.__name__} is a copy of it, less what Scrapy 2.13+ deprecates)"):
        same_source(method, pinned)


def test_scrapy_crawl_runs_as_the_crawl_command_mirrors_it():
    with canary(SCRAPY, "scrapy.commands.crawl.Command.run()", "newscrawl/commands/crawl.py "
                "(Command.run and Command.crawl do what it does, around a run lock and exit codes)"):
        same_source(ScrapyCrawl.run, '''
            def run(self, args: list[str], opts: argparse.Namespace) -> None:
                if len(args) < 1:
                    raise UsageError
                if len(args) > 1:
                    raise UsageError(
                        "running 'scrapy crawl' with more than one spider is not supported"
                    )
                spname = args[0]

                assert self.crawler_process
                self.crawler_process.crawl(self._create_crawler(spname), **opts.spargs)
                self.crawler_process.start()
                if self.crawler_process.bootstrap_failed:
                    self.exitcode = 1
            ''')


def test_the_crawler_of_a_run_command_is_created_as_the_crawl_command_expects():
    with canary(SCRAPY, "BaseRunSpiderCommand._create_crawler()", "newscrawl/commands/crawl.py "
                "(Command.crawl creates its crawler with it)"):
        same_source(BaseRunSpiderCommand._create_crawler, '''
            def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
                assert self.crawler_process is not None
                crawler = self.crawler_process.create_crawler(spidercls)
                crawler.signals.connect(
                    self._warn_if_feeds_unused, signal=signals.engine_started
                )
                return crawler
            ''')
