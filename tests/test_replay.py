"""The offline replay handler answers like the fixture site's server would, inside a real crawler."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURE_SITE
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, TextResponse

from newscrawl import replay
from newscrawl.replay import ReplayDownloadHandler


@pytest.fixture
def handler(make_crawler):
    return ReplayDownloadHandler.from_crawler(make_crawler(NEWSCRAWL_REPLAY=str(FIXTURE_SITE)))


def manifest_entries():
    return json.loads((FIXTURE_SITE / "site.json").read_text(encoding="utf-8"))["responses"]


async def fetch(handler, url):
    return await handler.download_request(Request(url))


def run(coroutine):
    import asyncio

    return asyncio.run(coroutine)


def test_unknown_url_is_a_404(handler):
    response = run(fetch(handler, "https://sputnikglobe.com/no/such/page.html"))
    assert response.status == 404 and isinstance(response, HtmlResponse)


def test_every_manifest_file_is_served_with_its_status_and_type(handler):
    for entry in manifest_entries():
        response = run(fetch(handler, entry["url"]))
        assert response.status == entry.get("status", 200), entry["url"]
        if "file" in entry:
            assert response.body == (FIXTURE_SITE / entry["file"]).read_bytes()
            assert isinstance(response, TextResponse), entry["url"]


def test_unknown_query_parameters_are_ignored_like_a_real_server(handler):
    article = next(e for e in manifest_entries() if e.get("file", "").startswith("articles/") and "?" not in e["url"])
    response = run(fetch(handler, article["url"] + "?utm_source=x"))
    assert response.status == 200


def test_missing_fixture_folder_fails_loudly(make_crawler, tmp_path):
    with pytest.raises(UsageError, match=r"site\.json"):
        make_crawler(NEWSCRAWL_REPLAY=str(tmp_path))


def test_the_manifest_is_read_once_for_both_schemes(make_crawler, tmp_path, monkeypatch):
    # Scrapy builds one handler per scheme; a 10,000-article site.json held twice costs 24 MB
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FIXTURE_SITE / "site.json", site / "site.json")
    reads = []
    read = replay.load_manifest
    monkeypatch.setattr(replay, "load_manifest", lambda root: reads.append(root) or read(root))
    crawler = make_crawler(NEWSCRAWL_REPLAY=str(site))
    http, https = ReplayDownloadHandler.from_crawler(crawler), ReplayDownloadHandler.from_crawler(crawler)
    assert reads == [site] and https.responses is http.responses
    # an edited site.json is read again
    (site / "site.json").write_text((site / "site.json").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = ReplayDownloadHandler.from_crawler(crawler)
    assert reads == [site, site] and edited.responses == http.responses
