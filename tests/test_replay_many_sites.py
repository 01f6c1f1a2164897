"""Offline replay of several fixture sites at once: `-a sites=a,b -s NEWSCRAWL_REPLAY=fixtures` crawls each site as
its own fixture crawl does, in one run."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import FIXTURE_SITES, ROOT
from scrapy.exceptions import UsageError
from test_crawl_offline import isolated, scrapy
from test_fixture_crawls import crawl_of

from newscrawl.extensions.report import summary_path
from newscrawl.replay import fixture_sites, manifest_key, shared_manifest


def write_site(folder: Path, responses: list[dict]) -> Path:
    folder.mkdir(parents=True)
    (folder / "site.json").write_text(json.dumps({"responses": responses}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("value", ["", " , ", "nowhere", "fixtures/nowhere,fixtures/sputnik", "tests"])
def test_a_replay_value_that_names_no_fixture_site_stops_the_run(value):
    if not value.strip(" ,"):
        assert fixture_sites(value) == [], "nothing named: no sites (the addon does not run for an empty value)"
        return
    with pytest.raises(UsageError, match=r"site\.json"):
        fixture_sites(value)


def test_a_folder_of_fixture_sites_means_every_one_of_them_once():
    assert fixture_sites("fixtures") == FIXTURE_SITES
    assert fixture_sites("fixtures/sputnik, fixtures/guardian,fixtures/sputnik") == [
        ROOT / "fixtures" / "sputnik", ROOT / "fixtures" / "guardian"]


def test_the_merged_table_serves_each_sites_files_from_its_own_folder(tmp_path):
    one = write_site(tmp_path / "one", [{"url": "https://one.example/a", "file": "a.html"}])
    two = write_site(tmp_path / "two", [{"url": "https://two.example/a", "file": "a.html", "status": 200}])
    table = shared_manifest([one, two])
    assert table[manifest_key("https://one.example/a")] == "one/a.html"
    assert table[manifest_key("https://two.example/a")]["file"] == "two/a.html"


def test_two_sites_that_answer_one_url_differently_stop_the_run(tmp_path):
    one = write_site(tmp_path / "one", [{"url": "https://x.example/robots.txt", "file": "robots.txt"}])
    two = write_site(tmp_path / "two", [{"url": "https://x.example/robots.txt", "status": 404}])
    with pytest.raises(UsageError, match=r"both answer https://x\.example/robots\.txt"):
        shared_manifest([one, two])


def sites_by_spider() -> dict[str, list[str]]:
    spiders: dict[str, list[str]] = defaultdict(list)
    for site_dir in FIXTURE_SITES:
        crawl = crawl_of(site_dir)
        spiders[crawl["spider"]].append(crawl["site"])
    return spiders


@pytest.mark.subprocess
@pytest.mark.parametrize("spider", sorted(sites_by_spider()))
def test_one_run_over_every_fixture_site_writes_what_each_sites_own_crawl_writes(spider, tmp_path):
    sites = sites_by_spider()[spider]
    run = scrapy("crawl", spider, "-a", f"sites={','.join(sites)}", "-s", "NEWSCRAWL_REPLAY=fixtures",
                 *isolated(tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    output = tmp_path / f"{spider}.jsonl"
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    summary = json.loads(summary_path(str(output)).read_text(encoding="utf-8"))
    expected = {crawl["site"]: crawl["written"] for crawl in map(crawl_of, FIXTURE_SITES) if crawl["spider"] == spider}
    assert {site: counts["written"] for site, counts in summary["sites"].items()} == expected
    assert len(records) == sum(expected.values())
    assert len({record["url"] for record in records}) == len(records), "each article once"
