"""The state's pending URLs are the crawl's queue: at most NEWSCRAWL_QUEUE_SIZE requests in Scrapy's scheduler,
the next ones read from the state, a batch at a time, as it empties. Every article is still written exactly once,
no URL is requested twice in a run, and each store reads a batch through an index (SQLite) or by bisection
(Redis), never by a scan."""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import pytest
from conftest import FIXTURE_SITE
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from test_crawl_offline import expected_asia_urls
from test_incremental import finished_records, run_crawl, summaries
from test_scaleout import redis_server  # noqa: F401  (the module's redis-server on 127.0.0.1)
from test_state_query_plans import commands_sent
from twisted.python.failure import Failure

from benchmarks.scale import build_site, plan
from newscrawl.extensions.state import incremental_of, state_of
from newscrawl.spiders.section import LISTED_URL
from newscrawl.state import Pending
from newscrawl.state.redis import RedisStateStore
from newscrawl.state.sqlite import SQLiteStateStore

CRAWLED = re.compile(r"Crawled \(\d+\) <GET ([^>]+)>")
SMALL_QUEUE = ("-s", "NEWSCRAWL_QUEUE_SIZE=3", "-s", "LOG_LEVEL=DEBUG")


def urls(n: int, second: str = "2026-11-27T10:00:00+00:00", spider: str = "asia", name: str = "story"):
    """n pending article URLs listed in one second (in the order of their URLs: the store's order)."""
    return [Pending(spider, f"https://sputnikglobe.com/20261127/{name}-{k:05d}-1121{k:06d}.html", since=second)
            for k in range(n)]


def crawled(workdir) -> Counter:
    """How often each URL was fetched, by the crawl logs' `Crawled (200) <GET url>` lines; robots.txt aside (the
    robots.txt middleware and the spider, which reads the sitemaps it declares, fetch it each)."""
    logs = [log.read_text(encoding="utf-8", errors="replace") for log in workdir.glob("*.log")]
    return Counter(url for log in logs for url in CRAWLED.findall(log) if not url.endswith("/robots.txt"))


def crawl_logged(workdir, site, *extra):
    run = run_crawl(workdir, site, *extra)
    (workdir / f"run-{len(list(workdir.glob('*.log')))}.log").write_text(run.stderr, encoding="utf-8")
    return run


# -- the crawl --------------------------------------------------------------------------------------------------


@pytest.mark.subprocess
def test_a_site_listing_more_articles_than_the_queue_holds_is_written_whole_once(tmp_path):
    site = tmp_path / "site"
    build_site(site, 40)  # 40 articles in 7 day sitemaps, the newest 20 also in the feed and the section page
    run = crawl_logged(tmp_path, site, "-s", "NEWSCRAWL_SITEMAP_DAYS=7", *SMALL_QUEUE)
    assert run.returncode == 0, run.stderr[-3000:]
    written = Counter(record["url"] for record in finished_records(tmp_path))
    assert written == Counter(article.canonical for article in plan(40)), "every article, once"
    fetched = crawled(tmp_path)
    assert {url: n for url, n in fetched.items() if n > 1} == {}, "no URL requested twice"
    assert "dupefilter/filtered" not in run.stderr, "nothing even reached the duplicate filter twice"
    assert state_pending(tmp_path) == []

    again = crawl_logged(tmp_path, site, "-s", "NEWSCRAWL_SITEMAP_DAYS=7", *SMALL_QUEUE)
    assert again.returncode == 0, again.stderr[-3000:]
    assert summaries(tmp_path)[-1]["articles"]["written"] == 0
    assert Counter(record["url"] for record in finished_records(tmp_path)) == written


@pytest.mark.subprocess
def test_the_fixture_site_through_a_queue_of_three(tmp_path):
    run = crawl_logged(tmp_path, FIXTURE_SITE, *SMALL_QUEUE)
    assert run.returncode == 0, run.stderr[-3000:]
    written = Counter(record["url"] for record in finished_records(tmp_path))
    assert set(written) == expected_asia_urls() and set(written.values()) == {1}
    assert {url: n for url, n in crawled(tmp_path).items() if n > 1} == {}


def state_pending(workdir) -> list[Pending]:
    store = SQLiteStateStore(workdir / "state.sqlite")
    try:
        return store.pending("asia")
    finally:
        store.close()


# -- the spider -------------------------------------------------------------------------------------------------


@pytest.fixture
def small(make_crawler):
    return make_crawler(NEWSCRAWL_QUEUE_SIZE=3).spider


def listed(spider, entries: list[Pending]):
    [site] = spider.sites
    return spider.queue(entries, site)


class Engine:
    """Stands in for the engine the idle spider hands its next requests to."""

    def __init__(self):
        self.crawled = []

    def crawl(self, request):
        self.crawled.append(request)


def idle(spider) -> list[str]:
    """Let the spider go idle once; return the URLs it hands to the engine."""
    spider.crawler.engine = engine = Engine()
    try:
        spider.refill_when_idle()
    except DontCloseSpider:
        assert engine.crawled, "kept open only for requests"
    else:
        assert not engine.crawled, "requests handed over keep the spider open"
    return [request.url for request in engine.crawled]


def test_a_source_gets_requests_for_as_many_as_the_queue_holds_the_rest_when_it_runs_dry(small):
    entries = urls(8, second="")
    first = [request.url for request in listed(small, entries)]
    assert len(first) == 3 and set(first) <= {e.url for e in entries}
    assert {e.url for e in state_of(small.crawler).pending("asia")} == {e.url for e in entries}, "all noted first"
    assert listed(small, urls(8, second="")[:2]) == [], "no room, and nothing new: nothing"
    second, third, last = idle(small), idle(small), idle(small)
    assert (len(second), len(third), last) == (3, 2, [])
    assert sorted(first + second + third) == sorted(e.url for e in entries), "each once"


def test_a_url_that_failed_is_not_requested_again_in_the_run(small):
    [request] = listed(small, urls(1, second=""))
    failure = Failure(HttpError(HtmlResponse(url=request.url, status=404, request=request)))
    failure.request = request
    list(small.article_failed(failure))
    assert [e.url for e in state_of(small.crawler).pending("asia")] == [request.url], "pending for the next run"
    assert idle(small) == [], "the run ends without it"


def test_leftovers_of_an_earlier_run_are_read_first_a_batch_at_a_time(make_crawler):
    state = state_of(make_crawler())
    state.add_pending(urls(5, second="2026-11-01T00:00:00+00:00"))
    spider = make_crawler(NEWSCRAWL_QUEUE_SIZE=2).spider
    first = spider.leftover_requests()
    assert [r.url for r in first] == [e.url for e in urls(5)[:2]] and all(LISTED_URL in r.meta for r in first)
    assert spider.crawler.stats.get_value("newscrawl/discovered/leftover_article") == 2
    new = Pending("asia", "https://sputnikglobe.com/20261127/new-1121999999.html")
    assert listed(spider, [new]) == [], "the queue is full: the leftovers are requested, not done yet"
    rest = [idle(spider) for _ in range(3)]
    assert rest == [[e.url for e in urls(5)[2:4]], [urls(5)[4].url, new.url], []], "the other leftovers, then the new"


def test_a_url_listed_behind_the_last_one_read_is_requested_at_once(small):
    service = incremental_of(small.crawler)
    listed(small, urls(3, second=""))
    small.cursor = ("9999-12-31T00:00:00+00:00", "")  # as if the clock had gone back since
    [request] = listed(small, [Pending("asia", "https://sputnikglobe.com/20261127/late-1121888888.html")])
    assert request.url.endswith("late-1121888888.html") and service.last_listed < small.cursor[0]


def test_listed_in_the_same_second_each_batch_comes_after_the_one_before(make_crawler):
    service = incremental_of(make_crawler())
    first = service.pending(urls(2, second=""))
    later = service.pending([Pending("asia", "https://sputnikglobe.com/20261127/a-1121000000.html")])
    assert later[0].key > max(entry.key for entry in first)


# -- the stores -------------------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.subprocess)])
def store(request, tmp_path):
    if request.param == "sqlite":
        made = SQLiteStateStore(tmp_path / "state.sqlite")
    else:
        client, url = request.getfixturevalue("redis_server")
        client.flushall()
        made = RedisStateStore(url, owner="w1")
    yield made
    made.close()


def read_all(store, spider: str, batch: int) -> list[Pending]:
    found, after = [], None
    while entries := store.pending_after(spider, after, batch):
        found += entries
        after = entries[-1].key
    return found


def test_the_pending_urls_are_read_in_batches_in_order_each_once(store):
    older, newer = urls(7, "2026-11-27T09:00:00+00:00", name="old"), urls(6, "2026-11-27T10:00:00+00:00")
    assert store.add_pending(newer + older) == newer + older
    assert store.add_pending(urls(2, "2026-11-28T00:00:00+00:00")) == [], "already pending: not added again"
    store.add_pending(urls(3, "2026-11-27T10:00:00+00:00", spider="europe"))
    assert [e.key for e in read_all(store, "asia", 4)] == [e.key for e in older + newer]
    assert read_all(store, "asia", 4) == store.pending("asia")


def test_a_batch_starts_after_the_last_one_read_even_when_that_one_is_done_since(store):
    entries = urls(9)
    store.add_pending(entries)
    first = store.pending_after("asia", None, 4)
    store.settle("asia", [first[-1].url, entries[4].url])  # the last one read, and the next one: written
    assert store.pending_after("asia", first[-1].key, 3) == entries[5:8]
    later = Pending("asia", "https://sputnikglobe.com/20261127/story-00003-late.html", since=entries[0].since)
    store.add_pending([later])  # listed in the same second, after the reading position
    assert store.pending_after("asia", first[-1].key, 9) == [later, *entries[5:]]


def test_a_redis_batch_costs_the_same_few_commands_whatever_the_number_of_urls(redis_server):  # noqa: F811
    client, url = redis_server
    client.flushall()
    store = RedisStateStore(url, owner="w1")
    sizes = {"small": 16, "large": 4096}
    sent = {}
    for spider, size in sizes.items():
        entries = urls(size, spider=spider)
        for start in range(0, size, 1000):
            store.add_pending(entries[start:start + 1000])
        after = entries[size // 2 - 1].key
        store.settle(spider, [after[1]])  # the reading position need not be pending any more
        sent[spider] = commands_sent(url, lambda: store.pending_after(spider, after, 10))  # noqa: B023 (called at once)
        assert store.pending_after(spider, after, 10) == entries[size // 2:size // 2 + 10]
    store.close()
    for spider, size in sizes.items():
        looks = [command for command, _ in sent[spider] if command == "ZRANGE"]
        # a bisection over the URLs of one second: one single-member ZRANGE a step, then the batch's ZRANGE
        assert len(looks) <= math.ceil(math.log2(size)) + 2, f"{spider}: {sent[spider]}"
    assert len(sent["large"]) - len(sent["small"]) <= 2 * (math.log2(4096) - math.log2(16)) + 2
    walks = [command for command, _ in sent["large"] if command in {"HGETALL", "ZRANGEBYSCORE", "SCAN", "HSCAN"}]
    assert not walks, json.dumps(sent["large"])
