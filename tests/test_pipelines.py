"""Pipelines built through from_crawler, as Scrapy builds them: validation, deduplication, JSON Lines."""

from __future__ import annotations

import fcntl
import json
from dataclasses import asdict

import pytest
from conftest import article
from scrapy.exceptions import DropItem

from newscrawl.extensions.state import state_of
from newscrawl.pipelines.deduplication import DeduplicationPipeline
from newscrawl.pipelines.incremental import IncrementalPipeline
from newscrawl.pipelines.jsonlines import JsonLinesPipeline, record_line
from newscrawl.pipelines.validation import ValidationPipeline
from newscrawl.state import emitted_of


def stat(crawler, key):
    return crawler.stats.get_value(f"newscrawl/{key}")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"url": None}, "missing_url"),
        ({"headline": ""}, "missing_headline"),
        ({"body": None}, "missing_body"),
        ({"published": None}, "missing_published"),
        ({"published": "30.05.2019"}, "schema"),
        ({"quotes": [{"text": "x"}]}, "schema"),
        ({"related": [{"url": "/relative", "title": None, "kind": "card"}]}, "schema"),
    ],
)
def test_validation_drops_unusable_records_with_a_counted_reason(make_crawler, fields, reason):
    crawler = make_crawler()
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(article(**fields))
    assert stat(crawler, f"dropped/{reason}") == 1


def test_validation_passes_a_complete_record_on_as_a_plain_dict_in_field_order(make_crawler):
    item = article()
    record = ValidationPipeline.from_crawler(make_crawler()).process_item(item)
    assert record == asdict(item) and list(record) == list(asdict(item))


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ({}, "duplicate_url"),
        # the same story listed under another section path: same publisher id
        ({"url": "https://sputniknews.com/world/201911201077356339-x/", "content_hash": "sha256:" + "b" * 64}, "duplicate_id"),
        # a re-posted copy under a new id and URL: same text
        ({"url": "https://sputnikglobe.com/20261128/copy-1121000009.html", "article_id": "1121000009"}, "duplicate_content"),
    ],
)
def test_deduplication_writes_a_story_once(make_crawler, second, reason):
    crawler = make_crawler()
    pipeline = DeduplicationPipeline.from_crawler(crawler)
    pipeline.process_item(article())
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(article(**second))
    assert stat(crawler, f"dropped/{reason}") == 1


def test_deduplication_keeps_different_stories(make_crawler):
    pipeline = DeduplicationPipeline.from_crawler(make_crawler())
    first = article()
    other = article(
        url="https://sputnikglobe.com/20261127/other-1121000002.html", article_id="1121000002",
        content_hash="sha256:" + "c" * 64,
    )
    assert [pipeline.process_item(first), pipeline.process_item(other)] == [first, other]


def test_deduplication_is_per_site_one_agency_story_on_two_sites_is_two_articles(make_crawler):
    pipeline = DeduplicationPipeline.from_crawler(make_crawler())
    first = article()
    # another site, the same text (an agency story both run) and by chance the same number as its id
    elsewhere = article(url="https://www.example.com/news/1121000001", publisher="Example Times")
    assert [pipeline.process_item(first), pipeline.process_item(elsewhere)] == [first, elsewhere]


def test_jsonlines_writes_every_key_in_order_and_finalizes_the_file(make_crawler, tmp_path):
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(name)s" / "%(time)s.jsonl"))
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(article(headline="Токио — учения"))
    partial = list((tmp_path / "asia").glob("*.jsonl.part"))
    assert len(partial) == 1, "records grow in a .part file until the run ends"
    pipeline.close_spider()
    [output] = (tmp_path / "asia").glob("*.jsonl")
    lines = output.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    assert list(record) == list(article().__dataclass_fields__)
    assert record["headline"] == "Токио — учения" and "\\u" not in lines[0]
    assert record["authors"] == [] and record["modified"] is None
    assert not list((tmp_path / "asia").glob("*.part"))


def test_jsonlines_enforces_the_limit_argument(make_crawler, tmp_path):
    crawler = make_crawler({"limit": "1"}, NEWSCRAWL_OUTPUT=str(tmp_path / "out.jsonl"))
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(article())
    with pytest.raises(DropItem, match="over_limit"):
        pipeline.process_item(article(url="https://sputnikglobe.com/20261127/b-1121000003.html"))
    pipeline.close_spider()
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_a_killed_runs_part_file_is_finished_and_its_lines_recorded(make_crawler, tmp_path):
    out = tmp_path / "asia"
    out.mkdir()
    killed = out / "2026-11-28T09-00-00Z.jsonl.part"
    first = json.loads(record_line(article()))
    second = json.loads(record_line(article(url="https://sputnikglobe.com/20261127/b-1121000003.html", article_id="1121000003")))
    killed.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n" + '{"url": "https://sputnikglobe.com/torn', encoding="utf-8")
    crawler = make_crawler(NEWSCRAWL_OUTPUT=str(out / "%(time)s.jsonl"))
    pipeline = JsonLinesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    recovered = out / "2026-11-28T09-00-00Z.jsonl"
    assert [json.loads(line)["url"] for line in recovered.read_text(encoding="utf-8").splitlines()] == [first["url"], second["url"]]
    store = state_of(crawler)
    assert store.find("asia", url=first["url"]) and store.find("asia", url=second["url"])
    assert stat(crawler, "recovered") == 2
    pipeline.close_spider()


def test_a_part_file_another_live_run_writes_is_left_alone(make_crawler, tmp_path):
    out = tmp_path / "asia"
    out.mkdir()
    live = out / "2026-11-28T09-00-00Z.jsonl.part"
    with open(live, "w", encoding="utf-8") as writing:
        fcntl.flock(writing, fcntl.LOCK_EX | fcntl.LOCK_NB)
        pipeline = JsonLinesPipeline.from_crawler(make_crawler(NEWSCRAWL_OUTPUT=str(out / "%(time)s.jsonl")))
        pipeline.open_spider()
        assert live.exists()
        pipeline.close_spider()


def test_a_run_with_nothing_new_leaves_no_empty_file(make_crawler, tmp_path):
    pipeline = JsonLinesPipeline.from_crawler(make_crawler(NEWSCRAWL_OUTPUT=str(tmp_path / "%(time)s.jsonl")))
    pipeline.open_spider()
    pipeline.close_spider()
    assert list(tmp_path.glob("*.jsonl*")) == []


def test_the_incremental_pipeline_versions_changes_and_drops_the_unchanged(make_crawler):
    crawler = make_crawler()
    state_of(crawler).record(emitted_of("asia", asdict(article()), "2026-11-27T07:00:00+00:00"))
    pipeline = IncrementalPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="unchanged"):
        pipeline.process_item(article())
    changed = pipeline.process_item(article(modified="2026-11-27T09:00:00+00:00"))
    assert changed.version == 2
    fresh = pipeline.process_item(article(url="https://sputnikglobe.com/20261127/new-1121000004.html", article_id="1121000004"))
    assert fresh.version == 1
    assert (stat(crawler, "articles/unchanged"), stat(crawler, "articles/updated"), stat(crawler, "articles/new")) == (1, 1, 1)
