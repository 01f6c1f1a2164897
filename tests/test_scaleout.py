"""Many workers on one Redis: the Redis state store, the scale-out settings, and real `scrapy crawl` workers
sharing one crawl of the fixture site, one of them killed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from conftest import FIXTURE_SITE, ROOT, next_second, project_settings
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from test_crawl_offline import expected_asia_urls
from test_health import summary_of
from test_state_store import (  # the store interface's tests, run below against Redis too
    URL,
    emit,
    story,
    test_a_late_record_of_an_older_version_never_moves_an_article_back,
    test_a_second_run_emits_only_changes_each_as_the_next_version,
    test_a_version_without_an_id_keeps_the_known_id,
    test_an_update_found_by_id_moves_the_entry_to_the_new_url,
    test_claim_gives_the_version_to_write_and_none_for_the_same_story_unchanged,
    test_counts_and_recent_per_spider,
    test_expire_forgets_entries_last_seen_before_the_cutoff,
    test_expire_refuses_a_cutoff_without_timezone,
    test_find_by_url_or_by_article_id_within_one_spider,
    test_pending_urls_stay_until_written_rejected_or_settled_and_keep_their_first_entry,
    test_rejections_are_per_spider_recent_only_and_renewed,
    test_reset_and_expire_forget_pending_urls_too,
    test_reset_and_expire_forget_rejections_too,
    test_reset_forgets_one_spider_only,
    test_the_urls_own_entry_wins_over_another_entrys_id,
    test_times_are_stored_as_utc_text_so_they_order_as_instants,
    test_written_since_counts_what_any_process_wrote,
)

from newscrawl import health
from newscrawl.commands.crawl import lock_path
from newscrawl.extensions.report import previous_summaries
from newscrawl.recovery import read_leftover
from newscrawl.scaleout import ScaleOutAddon
from newscrawl.state import Emitted, open_state
from newscrawl.state.redis import RedisStateStore

# one era-A story under two section paths, as in the fixture site
MEKONG_ASIA = (
    "https://sputnikglobe.com/asia/201911191077347921-why-mekong-dams-are-becoming-southeast-asias-next-flashpoint/"
)
MEKONG_WORLD = MEKONG_ASIA.replace("/asia/", "/world/")
MEKONG_ID = "1077347921"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A real redis-server on a free port of 127.0.0.1, without persistence, for this module's tests."""
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it")
        pytest.skip("redis-server is not installed (`apt-get install redis-server`; CI installs it)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
            time.sleep(0.05)
    yield client, url
    client.close()
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server):
    """The Redis of this module, emptied for each test."""
    client, url = redis_server
    client.flushall()
    return url


@pytest.fixture
def store(redis_url):
    opened = RedisStateStore(redis_url, owner="test")
    yield opened
    opened.close()


# -- the state store in Redis -------------------------------------------------------------------------------------


def test_open_state_picks_redis_for_a_redis_url(redis_url):
    store = open_state({"NEWSCRAWL_STATE": redis_url, "NEWSCRAWL_WORKER": "w1"})
    assert isinstance(store, RedisStateStore) and store.owner == "w1"
    store.close()


def test_the_entries_are_plain_redis_hashes(store):
    emit(store, modified="2026-11-27T09:00:00+00:00")
    assert store.redis.hgetall(f"newscrawl:state:asia:article:{URL}") == {
        "url": URL, "article_id": "1121000001", "content_hash": "sha256:a", "modified": "2026-11-27T09:00:00+00:00",
        "version": "1", "first_seen": "2026-11-27T10:00:00+00:00", "last_seen": "2026-11-27T10:00:00+00:00",
    }
    assert store.redis.hget("newscrawl:state:asia:ids", "1121000001") == URL


def test_a_state_of_an_older_newscrawl_gets_its_ids_kept_within_their_site(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)  # as schema 4 wrote it: bare ids
    client.sadd("newscrawl:state:spiders", "asia")
    client.hset("newscrawl:state:asia:ids", "1121000001", URL)
    client.hset(f"newscrawl:state:asia:article:{URL}", mapping={
        "url": URL, "article_id": "1121000001", "version": "1", "first_seen": "x", "last_seen": "x"})
    upgraded = RedisStateStore(redis_url, owner="test")
    assert client.hgetall("newscrawl:state:asia:ids") == {"sputnik:1121000001": URL}
    assert upgraded.find("asia", article_id="sputnik:1121000001").url == URL
    assert client.get("newscrawl:state:schema") == "5"
    upgraded.close()


def test_a_record_without_url_is_refused_and_the_store_stays_usable(store):
    with pytest.raises(ValueError, match="needs its URL"):
        emit(store, url=None, article_id=None)
    emit(store)
    assert store.counts() == {"asia": 1}


def test_one_story_under_two_urls_is_claimed_by_one_worker_only(redis_url):
    first, second = RedisStateStore(redis_url, owner="a"), RedisStateStore(redis_url, owner="b")
    assert first.claim(story(url=MEKONG_ASIA, article_id=MEKONG_ID, content_hash="sha256:m")) == 1
    assert second.claim(story(url=MEKONG_WORLD, article_id=MEKONG_ID, content_hash="sha256:m")) is None, "a is writing it"
    first.record(Emitted("asia", MEKONG_ASIA, MEKONG_ID, "sha256:m", None, 1, "", "2026-11-28T10:00:00+00:00"))
    assert second.claim(story(url=MEKONG_WORLD, article_id=MEKONG_ID, content_hash="sha256:m")) is None, "a has written it"
    assert second.claim(story(url=MEKONG_WORLD, article_id=MEKONG_ID, content_hash="sha256:changed")) == 2
    first.close(), second.close()


def test_the_claims_of_a_dead_worker_are_released_for_the_others(redis_url):
    dead, alive = RedisStateStore(redis_url, owner="dead"), RedisStateStore(redis_url, owner="alive")
    assert dead.claim(story(url=MEKONG_ASIA, article_id=MEKONG_ID, content_hash="sha256:m")) == 1
    assert alive.claim(story(url=MEKONG_ASIA, article_id=MEKONG_ID, content_hash="sha256:m")) is None
    alive.release_claims("asia", "dead")
    assert alive.claim(story(url=MEKONG_ASIA, article_id=MEKONG_ID, content_hash="sha256:m")) == 1
    alive.release_claims("asia", "dead")  # a claim another worker took since is not the dead one's to end
    assert dead.claim(story(url=MEKONG_WORLD, article_id=MEKONG_ID, content_hash="sha256:m")) is None
    dead.close(), alive.close()


def test_of_many_workers_claiming_one_story_at_once_exactly_one_wins(redis_url):
    stores = [RedisStateStore(redis_url, owner=f"w{n}") for n in range(8)]
    start, results = threading.Barrier(len(stores)), []

    def claim(store, url):
        start.wait()
        results.append(store.claim(story(url=url, article_id=MEKONG_ID, content_hash="sha256:m")))

    urls = [MEKONG_ASIA, MEKONG_WORLD] * 4
    threads = [threading.Thread(target=claim, args=pair) for pair in zip(stores, urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [1] + [None] * 7
    for store in stores:
        store.close()


@pytest.mark.subprocess
def test_scrapy_state_reads_the_workers_redis(redis_url, store):
    emit(store)
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "state", "asia", "-s", f"NEWSCRAWL_REDIS_URL={redis_url}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "asia: 1 article" and URL in run.stdout


# -- the settings of a worker -------------------------------------------------------------------------------------


def worker_settings(cmdline: dict) -> Settings:
    """The project's settings with these on the command line, after the scale-out addon."""
    settings = Settings(project_settings(), priority="project")
    settings.setdict(cmdline, priority="cmdline")
    ScaleOutAddon().update_settings(settings)
    return settings


def test_without_a_redis_url_nothing_changes():
    settings = worker_settings({})
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert settings["NEWSCRAWL_STATE"] == "data/state.sqlite"
    assert settings["NEWSCRAWL_OUTPUT"] == "data/%(name)s/%(time)s.jsonl"


def test_a_redis_url_shares_queue_filter_and_state_and_shards_the_output():
    settings = worker_settings({"NEWSCRAWL_REDIS_URL": "redis://10.0.0.5:6379/1", "NEWSCRAWL_WORKER": "w1"})
    assert settings["SCHEDULER"] == "newscrawl.scaleout.Scheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == settings["NEWSCRAWL_STATE"] == "redis://10.0.0.5:6379/1"
    assert settings.getbool("SCHEDULER_PERSIST") and settings["NEWSCRAWL_WORKER"] == "w1"
    assert settings["NEWSCRAWL_OUTPUT"] == "data/%(name)s/%(time)s-%(worker)s.jsonl"
    assert settings.getint("CONCURRENT_REQUESTS") == settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")


def test_an_unnamed_worker_is_named_by_host_and_pid():
    settings = worker_settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert settings["NEWSCRAWL_WORKER"] == f"{socket.gethostname()}-{os.getpid()}"


def test_an_output_given_without_the_worker_is_refused():
    with pytest.raises(UsageError, match="%\\(worker\\)s"):
        worker_settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0", "NEWSCRAWL_OUTPUT": "out/%(name)s.jsonl"})


def test_a_state_given_on_the_command_line_must_be_in_redis_too():
    with pytest.raises(UsageError, match="NEWSCRAWL_STATE must be a Redis URL"):
        worker_settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0", "NEWSCRAWL_STATE": "x.sqlite"})
    given = worker_settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0", "NEWSCRAWL_STATE": "redis://h:6379/2"})
    assert given["NEWSCRAWL_STATE"] == "redis://h:6379/2"


def test_the_coverage_baseline_is_earlier_runs_not_the_other_workers_of_this_one(tmp_path):
    for name, finished in (("1-a", "10:00:05"), ("1-b", "10:00:07"), ("2-a", "10:15:09")):
        summary = {"finished": f"2026-11-28T{finished}+00:00", "finish_reason": "finished", "articles": {"written": 8},
                   "coverage": {}}
        (tmp_path / f"{name}.summary.json").write_text(json.dumps(summary))
    found = previous_summaries(tmp_path / "2-b.summary.json", 5, before="2026-11-28T10:15:01+00:00")
    assert [run["finished"][11:19] for run in found] == ["10:00:05", "10:00:07"]


def test_a_timeout_too_short_for_the_heartbeat_is_refused():
    with pytest.raises(UsageError, match="more than twice"):
        worker_settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0", "NEWSCRAWL_WORKER_TIMEOUT": "15"})


def test_the_run_lock_is_per_named_worker_under_redis():
    assert lock_path(Settings(project_settings()), "asia") == "data/asia.lock"
    scaled = {"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert lock_path(Settings(project_settings(**scaled)), "asia") is None
    assert lock_path(Settings(project_settings(**scaled, NEWSCRAWL_WORKER="w1")), "asia") == "data/asia-w1.lock"


def test_a_worker_that_the_others_left_nothing_to_is_healthy():
    assert health.check_no_articles(summary_of(newscrawl__articles__by_other_workers=3)) is None
    assert health.check_no_articles(summary_of(newscrawl__worker="b")) is None, "it fetched nothing"
    assert health.check_no_articles(summary_of())[0] == health.EXIT_NO_ARTICLES
    fetched = {"downloader/response_status_count/200": 3}
    assert health.check_no_articles(summary_of(newscrawl__worker="b", **fetched))[0] == health.EXIT_NO_ARTICLES


# -- real workers on the fixture site ------------------------------------------------------------------------------


def worker(workdir: Path, redis_url: str, name: str, *extra: str) -> subprocess.Popen:
    """Start `scrapy crawl asia` as a named worker of the Redis crawl, offline, its files and log in workdir."""
    args = [
        sys.executable, "-m", "scrapy", "crawl", "asia",
        "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}",
        "-s", f"NEWSCRAWL_REDIS_URL={redis_url}",
        "-s", f"NEWSCRAWL_WORKER={name}",
        "-s", f"NEWSCRAWL_OUTPUT={workdir / 'data' / '%(name)s' / '%(time)s-%(worker)s.jsonl'}",
        "-s", f"NEWSCRAWL_LOCK={workdir / '%(name)s.lock'}",
        # a dead worker is noticed within seconds, not the default minute
        "-s", "NEWSCRAWL_HEARTBEAT=0.5", "-s", "NEWSCRAWL_WORKER_TIMEOUT=2",
        *extra,
    ]
    log = workdir / f"worker-{name}-{time.monotonic_ns()}.log"  # a file: a pipe nobody reads could fill up
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(args, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    process.log = log
    return process


def finish(process: subprocess.Popen) -> str:
    """Wait for a worker; return its log after checking it ended healthy and without warnings."""
    process.wait(timeout=180)
    log = process.log.read_text(encoding="utf-8")
    assert process.returncode == 0, log[-3000:]
    assert "Warning" not in log, "a deprecation today is a broken crawl after the next upgrade"
    return log


def shard_urls(workdir: Path, pattern: str = "*.jsonl") -> Counter:
    """Count the URLs of the records in the shards (whole lines of a .part too)."""
    shards = (workdir / "data" / "asia").glob(pattern)
    return Counter(record["url"] for shard in shards for record in read_leftover(shard.read_bytes()).records)


@pytest.mark.subprocess
def test_two_workers_share_the_crawl_and_their_shards_hold_every_article_once(tmp_path, redis_url):
    # slowed down so that the two overlap on the fixture site's ~30 requests
    workers = [worker(tmp_path, redis_url, name, "-s", "DOWNLOAD_DELAY=0.2") for name in ("a", "b")]
    logs = [finish(process) for process in workers]
    assert shard_urls(tmp_path) == Counter(expected_asia_urls())
    for name, log in zip("ab", logs):
        assert "scheduler/dequeued/redis" in log, f"worker {name} took part"
    assert not redis.Redis.from_url(redis_url).exists("newscrawl:asia:dupefilter"), "the next run starts afresh"

    next_second()  # shard names hold their start second
    again = [finish(process) for process in [worker(tmp_path, redis_url, name) for name in ("a", "b")]]
    assert all("Nothing new to write" in log for log in again), "both healthy, neither writes"
    assert shard_urls(tmp_path) == Counter(expected_asia_urls())


@pytest.mark.subprocess
def test_a_killed_worker_loses_nothing_its_requests_in_flight_go_to_the_other(tmp_path, redis_url):
    server = redis.Redis.from_url(redis_url)
    doomed = worker(tmp_path, redis_url, "a", "-s", "DOWNLOAD_DELAY=0.4")
    survivor = worker(tmp_path, redis_url, "b", "-s", "DOWNLOAD_DELAY=0.4")
    deadline, part = time.monotonic() + 120, []
    while time.monotonic() < deadline and doomed.poll() is None:
        part = list((tmp_path / "data" / "asia").glob("*-a.jsonl.part"))
        if part and part[0].read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.02)
    # between two records, not in the instant between a record's line and its entry in the state (README)
    time.sleep(0.15)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)
    assert part, "the worker to kill had started writing"
    assert server.hlen("newscrawl:asia:inflight:a") >= 1, "it died with requests in flight"

    log = finish(survivor)
    assert "Worker a silent for" in log and "requests in flight are back on the queue" in log
    assert not server.exists("newscrawl:asia:inflight:a")
    assert shard_urls(tmp_path, "*.jsonl*") == Counter(expected_asia_urls()), "the dead shard's lines and the other's"

    # the next run in that folder finishes the dead worker's shard and finds nothing new
    log = finish(worker(tmp_path, redis_url, "c"))
    assert "Recovered" in log and "Nothing new to write" in log
    assert not list((tmp_path / "data" / "asia").glob("*.part"))
    assert shard_urls(tmp_path) == Counter(expected_asia_urls())
