"""The loader's own small processors: the site-aware wrappers and the list shapers, bad input first."""

import pytest

from newscrawl.loaders import (
    ArticleLoader,
    canonical_link,
    digits,
    primary_language,
    site_lead,
    site_section,
    unique_by_url,
)
from newscrawl.sites import sputnik

CONTEXT = {"site": sputnik.SITE, "base_url": "https://sputnikglobe.com/20261127/a-1121150342.html"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("abc", None), ("12a", None), ("1075461232", "1075461232")],
)
def test_digits(value, expected):
    assert digits(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("!!", None), ("english", None), ("en_US", "en"), ("EN-gb", "en"), ("ru", "ru")],
)
def test_primary_language(value, expected):
    assert primary_language(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("Asia & Pacific", "Asia & Pacific"), ("/asia/", "asia"), ("asia", "asia"),
     ("https://sputnikglobe.com/middleeast/", "middleeast")],
)
def test_site_section(value, expected):
    assert site_section(value, CONTEXT) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("...", "..."),
     ("Washington is trying… 30.05.2019, Sputnik International", "Washington is trying"),
     ("BEIJING (Sputnik) – Washington is trying", "BEIJING (Sputnik) – Washington is trying")],
)
def test_site_lead(value, expected):
    assert site_lead(value, CONTEXT) == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [({"url": None}, None), ({"url": ""}, None), ({"url": "javascript:void(0)"}, None),
     ({"url": "/20261126/x-1121000005.html?in=t", "title": "T", "kind": "card"},
      {"url": "https://sputnikglobe.com/20261126/x-1121000005.html", "title": "T", "kind": "card"})],
)
def test_canonical_link(entry, expected):
    assert canonical_link(entry, CONTEXT) == expected


def test_unique_by_url_keeps_page_order_and_drops_empty():
    entries = [{"url": None}, {"url": "a", "n": 1}, {"url": "b"}, {"url": "a", "n": 2}]
    assert unique_by_url([]) == [] and unique_by_url(entries) == [{"url": "a", "n": 1}, {"url": "b"}]


def test_loader_keeps_the_first_value_that_survives_and_every_list_key():
    loader = ArticleLoader(site=sputnik.SITE, base_url=CONTEXT["base_url"])
    loader.add_value("headline", [None, "", "Tokyo Drill - Sputnik International", "Other"])
    item = loader.load_item()
    assert item.headline == "Tokyo Drill"
    assert (item.authors, item.quotes, item.related, item.images, item.tags) == ([], [], [], [], [])
