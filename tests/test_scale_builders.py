"""The scale benchmark's builders (benchmarks/scale.py): a replay site whose sources agree with its pages, and a
state written straight into the store. Small sizes, no timing."""

from __future__ import annotations

from datetime import datetime

import pytest
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.sitemap import Sitemap

from benchmarks.scale import HOST, build_site, build_state, plan
from newscrawl.extraction.article import extract_article
from newscrawl.replay import load_manifest, lookup_key
from newscrawl.sites.sputnik import SITE
from newscrawl.state.sqlite import SQLiteStateStore

SIZE = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale") / "site"
    return folder, build_site(folder, SIZE), load_manifest(folder)


def served(site, url: str) -> bytes:
    folder, _, manifest = site
    return (folder / manifest[lookup_key(url)]["file"]).read_bytes()


def test_every_manifest_file_exists_and_every_article_is_served(site):
    folder, built, manifest = site
    assert built["articles"] == SIZE
    assert all((folder / entry["file"]).is_file() for entry in manifest.values())
    articles = plan(SIZE)
    assert all(lookup_key(a.url) in manifest for a in articles)
    assert len({a.article_id for a in articles}) == len({a.headline for a in articles}) == SIZE
    assert all(SITE.article_id(a.url) == a.article_id for a in articles)


def test_each_copy_is_an_article_of_its_own(site):
    # id, URL and headline of its own, so deduplication by URL, id or content hash keeps every copy
    records = []
    for article in plan(SIZE):
        record = extract_article(HtmlResponse(article.url, body=served(site, article.url)).selector, article.url)
        expected = (article.article_id, article.canonical, article.headline)
        assert (record.article_id, record.url, record.headline) == expected
        assert record.section == "asia" and record.body
        records.append(record)
    assert len({r.content_hash for r in records}) == SIZE


def test_the_listing_pages_list_every_article_once_newest_first(site):
    url, listed, dates = f"{HOST}/asia/", [], []
    while url:
        page = HtmlResponse(url, body=served(site, url))
        listed += [page.urljoin(href) for href in page.css("a.list__title::attr(href)").getall()]
        dates += [int(stamp) for stamp in page.css(".list__date::attr(data-unixtime)").getall()]
        following = page.css(".list__more::attr(data-url), .list-items-loaded::attr(data-next-url)").get()
        url = following and page.urljoin(following)
    assert listed == [a.url for a in plan(SIZE)]
    assert dates == sorted(dates, reverse=True)


def test_the_feed_lists_the_newest_articles(site):
    feed = XmlResponse(f"{HOST}/export/rss2/asia/index.xml", body=served(site, f"{HOST}/export/rss2/asia/index.xml"))
    links = feed.xpath("//item/link/text()").getall()
    assert links == [a.url for a in plan(SIZE)][: len(links)] and links


def test_the_sitemaps_list_every_article_with_its_modified_date(site):
    index = Sitemap(served(site, f"{HOST}/sitemap_article_index.xml"))
    days = list(index)
    assert index.type == "sitemapindex" and len(days) == site[1]["day_sitemaps"]
    lastmods = {}
    for day in days:
        for entry in Sitemap(served(site, day["loc"])):
            lastmods[entry["loc"]] = datetime.fromisoformat(entry["lastmod"])
            assert day["lastmod"] >= entry["lastmod"]  # the same offset throughout: text order is time order
    articles = plan(SIZE)
    assert set(lastmods) == {a.url for a in articles}
    assert all(lastmods[a.url] == a.template.modified for a in articles)


def test_the_state_is_built_in_the_stores_own_schema(tmp_path):
    path = tmp_path / "state.sqlite"
    assert build_state(path, 1000)["entries"] == 1000
    build_state(path, 1000)  # more rows go on after the ones there
    store = SQLiteStateStore(path)
    try:
        assert store.counts() == {"asia": 2000}
        newest = store.recent("asia", 1)[0]
        assert store.find("asia", url=newest.url) == newest == store.find("asia", article_id=newest.article_id)
        assert newest.content_hash.startswith("sha256:") and newest.version == 1
    finally:
        store.close()
