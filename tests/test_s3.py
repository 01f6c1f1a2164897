"""S3, on moto's server on 127.0.0.1: `scrapy dataset --to s3://…` (generations, the manifest written last, failed
uploads) and Scrapy's own feed export `scrapy crawl asia -o s3://…`, whose failed upload exits 9."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import pyarrow.fs  # type: ignore[import-untyped]  # pyarrow ships no type information
import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information
import pytest
from conftest import FIXTURE_SITE
from s3_server import s3_server_fixture, start_s3_server  # noqa: F401 (the fixture `s3_server`)
from test_crawl_offline import scrapy
from test_dataset import record, write_run
from test_dataset_crawl import card_snippets, run_snippets
from test_health import codes, summary_of

from newscrawl import health
from newscrawl.dataset import store as store_module
from newscrawl.dataset.build import build_dataset
from newscrawl.dataset.store import Columns, open_store
from newscrawl.extensions.report import feed_failures

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("stats", "failure", "exit_codes"), [
    (None, None, None),
    ({}, None, None),
    ({"junk": "junk", "feedexport/": 1}, None, None),
    ({"feedexport/success_count/S3FeedStorage": 1}, None, []),
    ({"feedexport/failed_count/S3FeedStorage": 1}, "the feed export failed to store 1 S3FeedStorage", [health.EXIT_STORAGE]),
    ({"feedexport/failed_count/S3FeedStorage": 1, "feedexport/failed_count/FileFeedStorage": 2},
     "the feed export failed to store 1 S3FeedStorage, 2 FileFeedStorage", [health.EXIT_STORAGE]),
])
def test_a_failed_feed_store_is_a_storage_failure(stats, failure, exit_codes):
    assert feed_failures(stats) == failure
    if exit_codes is not None:  # a run that wrote its articles and then failed to store a feed export
        assert codes(summary_of(newscrawl__written=4, **stats)) == exit_codes


def filesystem(uri: str) -> tuple[pyarrow.fs.FileSystem, str]:
    return pyarrow.fs.FileSystem.from_uri(uri)


def manifest_at(uri: str) -> dict:
    s3, root = filesystem(uri)
    with s3.open_input_stream(f"{root}/manifest.json") as stream:
        return json.loads(stream.read())


def s3_rows(uri: str) -> list[dict]:
    """The rows of the generation the manifest names, as a reader following the manifest sees them."""
    s3, root = filesystem(uri)
    rows = pq.read_table(f"{root}/{manifest_at(uri)['data']}", filesystem=s3).to_pylist()
    return sorted(rows, key=lambda row: (row["article_key"], row["version"]))


def build_to(uri: str, data, latest: bool = False):
    return build_dataset(open_store(uri, Columns()), data, None, "parquet", latest, False, NOW)


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_a_round_trip_through_s3_by_generations(s3_server, tmp_path):
    s3_server.create_bucket("datasets")
    uri, data = "s3://datasets/news/asia", tmp_path / "data"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2, published="2026-10-02T06:00:00+00:00")])
    assert build_to(uri, data).rows == 2
    assert manifest_at(uri)["data"] == "gen-00001"
    write_run(data, "asia", "2026-11-29T10-00-00Z", [record(1, version=2)])
    outcome = build_to(uri, data)
    assert (outcome.runs, outcome.rows, outcome.articles, outcome.partitions_written) == (1, 3, 2, 1)
    assert [(row["version"], row["is_latest"]) for row in s3_rows(uri) if row["article_key"].endswith("01")] == [
        (1, False), (2, True)]
    keys = s3_server.keys("datasets", "news/asia")
    assert {key.split("/")[2] for key in keys if "/gen-" in key} == {"gen-00001", "gen-00002"}, "the previous one is kept"
    assert "news/asia/manifest.json" in keys and "news/asia/README.md" in keys
    assert build_to(uri, data) is None  # nothing new
    write_run(data, "asia", "2026-11-30T10-00-00Z", [record(3)])
    build_to(uri, data)
    assert {key.split("/")[2] for key in s3_server.keys("datasets", "news/asia") if "/gen-" in key} == {
        "gen-00002", "gen-00003"}, "older generations are deleted"
    # the card's snippets, taken from the card on S3, read the generation its manifest names
    s3, root = filesystem(uri)
    card = tmp_path / "README.md"
    with s3.open_input_stream(f"{root}/README.md") as stream:
        card.write_bytes(stream.read())
    results = list(run_snippets(card_snippets(card), tmp_path / "hf").values())
    assert [result["rows"] for result in results] == [3, 4]  # pyarrow: the latest versions; pandas: every row


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_a_failed_upload_leaves_the_dataset_its_manifest_names(s3_server, tmp_path, monkeypatch):
    s3_server.create_bucket("halfway")
    uri, data = "s3://halfway/news", tmp_path / "data"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2, published="2026-10-02T06:00:00+00:00")])
    build_to(uri, data)
    before = s3_rows(uri)
    write_run(data, "asia", "2026-11-29T10-00-00Z", [record(1, version=2), record(4, published="2026-09-01T06:00:00+00:00")])
    calls = []

    def lost_connection(self, path, rows, file_format):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("AWS Error NETWORK_CONNECTION during UploadPart")
        original(self, path, rows, file_format)

    original = store_module.Store.write_file
    monkeypatch.setattr(store_module.Store, "write_file", lost_connection)
    with pytest.raises(OSError, match="NETWORK_CONNECTION"):
        build_to(uri, data)
    assert manifest_at(uri)["generation"] == 1 and s3_rows(uri) == before
    assert any("/gen-00002/" in key for key in s3_server.keys("halfway")), "a half-written generation, unnamed"
    monkeypatch.undo()
    assert build_to(uri, data).runs == 1
    assert manifest_at(uri)["generation"] == 2 and len(s3_rows(uri)) == 4


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_scrapy_dataset_to_s3_and_its_failures(s3_server, tmp_path):
    s3_server.create_bucket("crawls")
    data = tmp_path / "data"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1), record(2)])
    run = scrapy("dataset", "--data", str(data), "--to", "s3://crawls/asia")
    assert run.returncode == 0, run.stderr
    assert "2 rows" in run.stdout and len(s3_rows("s3://crawls/asia")) == 2
    missing = scrapy("dataset", "--data", str(data), "--to", "s3://no-such-bucket/asia")
    assert missing.returncode == health.EXIT_STORAGE
    assert "could not be read or written" in missing.stderr and "NoSuchBucket" in missing.stderr.replace("NO_SUCH_BUCKET", "NoSuchBucket")


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_scrapy_dataset_exits_9_when_s3_is_unreachable(s3_server, tmp_path, monkeypatch):
    stopped = start_s3_server()
    stopped.stop()
    monkeypatch.setenv("AWS_ENDPOINT_URL", stopped.endpoint)
    data = tmp_path / "data"
    write_run(data, "asia", "2026-11-28T10-00-00Z", [record(1)])
    run = scrapy("dataset", "--data", str(data), "--to", "s3://crawls/asia")
    assert run.returncode == health.EXIT_STORAGE
    assert "could not be read or written" in run.stderr and "connect" in run.stderr.lower()


def feed_crawl(tmp_path, feed: str) -> subprocess.CompletedProcess:
    """The offline crawl of asia, with its own output and state in tmp_path, plus a feed export."""
    return scrapy(
        "crawl", "asia", "-s", f"NEWSCRAWL_REPLAY={FIXTURE_SITE}",
        "-s", f"NEWSCRAWL_OUTPUT={tmp_path / '%(name)s' / '%(time)s.jsonl'}",
        "-s", f"NEWSCRAWL_STATE={tmp_path / 'state.sqlite'}", "-s", f"NEWSCRAWL_LOCK={tmp_path / '%(name)s.lock'}",
        "-o", feed,
    )


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_a_feed_export_to_s3_lands_beside_the_local_file(s3_server, tmp_path):
    s3_server.create_bucket("feeds")
    run = feed_crawl(tmp_path, "s3://feeds/asia/%(time)s.jsonl")
    assert run.returncode == 0, run.stderr[-3000:]
    [key] = s3_server.keys("feeds", "asia")
    s3, _ = filesystem("s3://feeds")
    with s3.open_input_stream(f"feeds/{key}") as stream:
        exported = stream.read().decode().splitlines()
    [local] = (tmp_path / "asia").glob("*.jsonl")
    assert len(exported) == len(local.read_text().splitlines()) == 16


@pytest.mark.subprocess  # moto's server (and scrapy) in child processes
def test_a_feed_export_that_fails_to_upload_exits_9(s3_server, tmp_path):
    run = feed_crawl(tmp_path, "s3://no-such-bucket/asia/%(time)s.jsonl")
    assert run.returncode == health.EXIT_STORAGE, run.stderr[-3000:]
    [summary] = (tmp_path / "asia").glob("*.summary.json")
    verdict = json.loads(summary.read_text())
    assert verdict["storage_failed"] == "the feed export failed to store 1 S3FeedStorage"
    assert verdict["health"]["exit_code"] == health.EXIT_STORAGE
    assert "Error storing jsonl feed" in run.stderr

