"""The site registry and the region spiders' choice of sites: `-a sites=`, else NEWSCRAWL_SITES."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.sites import OTHER_SITES, REGISTRY, site_for_url, site_key, sites_named
from newscrawl.spiders.americas import AmericasSpider
from newscrawl.spiders.asia import AsiaSpider


@pytest.mark.parametrize(
    ("names", "error"),
    [
        (None, "not known"),
        ("", "not known"),
        (" , ", "not known"),
        ("nosuchsite", "nosuchsite not known; known sites: sputnik, ria"),
        ("sputnik,nosuchsite", "nosuchsite not known"),
    ],
)
def test_a_site_list_naming_no_registered_site_is_refused_with_the_known_ones(names, error):
    with pytest.raises(ValueError, match=error):
        sites_named(names)


def test_a_site_list_keeps_its_order_once_each():
    assert [site.key for site in sites_named("ria, sputnik,ria")] == ["ria", "sputnik"]


def test_a_site_without_the_region_is_refused_for_it():
    with pytest.raises(ValueError, match="ria has no asia section; sites with one: sputnik"):
        sites_named("sputnik,ria", "asia")


def test_every_registered_site_declares_its_key_hosts_and_zone():
    for key, site in REGISTRY.items():
        assert site.key == key and site.hosts and site.timezone and site.name


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (None, ""),
        ("", ""),
        ("not a url", ""),
        ("https://sputnikglobe.com/20261127/a-1121150342.html", "sputnik"),
        ("https://www.sputniknews.com/asia/", "sputnik"),
        ("https://ria.ru/20260531/a-1.html", "ria"),
        ("https://www.example.com/news/1", "example.com"),
    ],
)
def test_site_key_names_a_registered_site_else_the_host(url, key):
    assert site_key(url) == key


def test_a_url_of_no_registered_site_gets_the_generic_rules():
    assert site_for_url("https://evil.example/sputnikglobe.com/") is OTHER_SITES


def test_a_region_spider_takes_its_sites_from_the_setting_and_their_sections_from_each_site(make_crawler):
    spider = make_crawler().spider  # conftest: an AsiaSpider with the project's settings
    assert [site.key for site in spider.sites] == ["sputnik"]
    assert spider.sections == {"sputnik": ("asia",)}
    assert spider.allowed_domains == ["sputnikglobe.com", "sputniknews.com"]


def test_a_region_spider_takes_sites_from_its_argument_first(make_crawler):
    with pytest.raises(ValueError, match="ria has no asia section"):
        make_crawler(spider_kwargs={"sites": "ria"})


def test_one_region_may_hold_several_sections_of_a_site():
    spider = AmericasSpider.from_crawler(get_crawler(AmericasSpider, {"NEWSCRAWL_SITES": "sputnik"}))
    assert spider.sections == {"sputnik": ("us", "latam")}


def test_the_region_spiders_only_name_their_region():
    assert AsiaSpider.region == "asia" and not hasattr(AsiaSpider, "site")
