"""Each section crawled by URL runs under a lock of its own: two sections' cron jobs run side by side, while a second
run of one section is refused (exit 75)."""

from __future__ import annotations

import pytest
from test_crawl_offline import isolated, scrapy

from newscrawl.runlock import RunLock
from newscrawl.spiders.any_section import AnySectionSpider
from newscrawl.spiders.asia import AsiaSpider

ASIA = "https://www.theguardian.com/world/asia-pacific"
OTHER = "https://www.theguardian.com/world/europe-news"


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ({}, "section"),
        ({"url": ""}, "section"),
        ({"url": "not a url"}, "section"),
        ({"url": ASIA}, "section_theguardian.com_world-asia-pacific"),
        ({"url": ASIA + "?page=2"}, "section_theguardian.com_world-asia-pacific"),
        ({"url": OTHER}, "section_theguardian.com_world-europe-news"),
    ],
)
def test_a_section_runs_under_the_name_of_its_url(arguments, name):
    assert AnySectionSpider.run_name(arguments) == name


def test_a_region_runs_under_its_own_name_whatever_its_arguments():
    assert AsiaSpider.run_name({"sites": "guardian"}) == "asia"


def crawl_asia_section_while_held(tmp_path, held_lock: str):
    """Crawl the Asia section offline while the test holds the named run lock."""
    lock = RunLock(tmp_path / held_lock)
    lock.acquire()
    try:
        return scrapy("crawl", "section", "-a", f"url={ASIA}", "-s", "NEWSCRAWL_REPLAY=fixtures/guardian",
                      *isolated(tmp_path))
    finally:
        lock.release()


@pytest.mark.subprocess
def test_another_sections_run_is_not_locked_out_but_the_same_sections_is(tmp_path):
    run = crawl_asia_section_while_held(tmp_path, "section_theguardian.com_world-europe-news.lock")
    assert run.returncode == 0, run.stderr[-3000:]
    run = crawl_asia_section_while_held(tmp_path, "section_theguardian.com_world-asia-pacific.lock")
    assert run.returncode == 75, run.stderr[-3000:]
