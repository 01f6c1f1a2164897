"""The Japan Times (www.japantimes.co.jp): every site rule in one place.

Evidence: one real 2020 article page (fixtures/japantimes/, WordPress "jt_theme"), read right by the generic
extraction, so no layout here. Its menus link the section fronts /news/<slug>/ and /news_category/<slug>/; its
related links show article URLs /news/YYYY/MM/DD/<section>/[<subsection>/]<slug>/. Rules resting on no real
page are marked UNVERIFIED.
"""

import re

from newscrawl.sites.rules import Discovery, Listing, Site

SITE = Site(
    key="japantimes",
    name="The Japan Times",
    hosts=("japantimes.co.jp",),
    timezone="Asia/Tokyo",
    language="en",
    site_names=("The Japan Times", "Japan Times"),
    # the real page credits JIJI (p.credit); UNVERIFIED: the other wires the paper runs
    agencies=("The Japan Times", "JIJI", "Jiji", "Kyodo", "Reuters", "AP", "AFP-JIJI", "Bloomberg"),
    regions={"asia": ("asia-pacific",)},
    discovery=Discovery(
        # the real page's news menu links https://www.japantimes.co.jp/news/asia-pacific/ ("Asia Pacific")
        section_url="https://www.japantimes.co.jp/news/{section}/",
        # UNVERIFIED: no real section front saved; the fixture's is reconstructed in this shape
        listing=Listing(
            items="div.main_content article.story",
            link="h1 a::attr(href)",
            date="time::attr(datetime)",
            more=('a.next::attr(href)', 'link[rel="next"]::attr(href)'),
        ),
        # UNVERIFIED: WordPress's feed of a category (the site runs WordPress: wp-content, wp-json on the real page)
        section_feeds=("https://www.japantimes.co.jp/news_category/{section}/feed/",),
        # the real page declares <link rel=alternate type=application/rss+xml href=…/feed/topstories>
        fallback_feeds=("https://www.japantimes.co.jp/feed/topstories",),
        # no sitemap known: robots.txt is only obeyed, not read for sitemaps
        # the section slug is a segment of the article path (/news/2020/01/31/asia-pacific/…); the page names its
        # category only in a link (h3.single-post-categories), which no extraction source reads
        section_evidence=("url",),
    ),
    # /news/2020/02/18/national/crime-legal/6000-surgical-masks-stolen/: no article id in the URL
    article_url=(
        re.compile(r"^https?://(?:www\.)?japantimes\.co\.jp/news/\d{4}/\d{2}/\d{2}/(?:[a-z0-9-]+/){1,3}[a-z0-9%-]+/?$"),
    ),
)
