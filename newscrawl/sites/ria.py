"""RIA Novosti (ria.ru): the RIA web platform's original site, read with the platform's layout rules.

The layout is the RIA platform's, defined with the Sputnik rules (Sputnik runs on the same platform); the
tests/gold/ria-ru page and fixtures/ria/ are this markup. Discovery follows the last addendum of
../shared/research/sputnik-structure.md (public scrapers of ria.ru; no real ria.ru listing, feed or sitemap saved).
"""

import re

from newscrawl.sites.rules import Discovery, Listing, Site
from newscrawl.sites.sputnik import RIA

SITE = Site(
    key="ria",
    name="РИА Новости",
    hosts=("ria.ru",),
    timezone="Europe/Moscow",
    language="ru",
    site_names=("РИА Новости",),
    agencies=("РИА Новости", "RIA Novosti"),
    regions={"world": ("world",)},
    discovery=Discovery(
        section_url="https://ria.ru/{section}/",
        listing=Listing(
            items="div.list__item",
            link="a.list__title::attr(href)",
            date=".list__date::attr(data-unixtime)",
            # ria.ru scrapers: div.list-more[data-url] on the section page, then each fragment's
            # div.list-items-loaded[data-next-url] (/services/<section>/more.html?id=…&date=…)
            more=(".list-more::attr(data-url)", ".list-items-loaded::attr(data-next-url)"),
            more_marker=".list-more",
        ),
        section_feeds=("https://ria.ru/export/rss2/{section}/index.xml",),
        robots_url="https://ria.ru/robots.txt",
        sitemap_follow=re.compile(r"sitemap_article"),
        # the index lists monthly children taking date_start/date_end (ria.ru: date_start=20250901&date_end=20250930)
        sitemap_day_params=("date_start", "date_end"),
        # a 2026 note: ria.ru's rubric feeds answer 404; the site feed (declared by the real 2026 page) stands in
        fallback_feeds=("https://ria.ru/export/rss2/archive/index.xml",),
        # the RIA layout reads the rubric slug from div.endless__item[data-supertag]
        section_evidence=("declared",),
    ),
    tracking_params=("in",),
    # https://ria.ru/20261127/geminidy-2096123456.html
    article_url=(re.compile(r"^https?://(?:www\.)?ria\.ru/\d{8}/(?:[^/?#]*-)?(?P<id>\d{7,})\.html"),),
    layouts=(RIA,),
    founded="1990-01-01",
)
