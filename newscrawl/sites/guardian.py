"""The Guardian (theguardian.com): every site rule in one place.

Evidence: real pages in fixtures/guardian/ (four articles of 2017-2025, all read right by the generic extraction,
so no layout here) and the real /technology section front (WCXB dev 2966), whose template the /world/asia-pacific
front shares. Rules resting on no real page are marked UNVERIFIED.
"""

import re

from newscrawl.sites.rules import Discovery, Listing, Site

SITE = Site(
    key="guardian",
    name="The Guardian",
    hosts=("theguardian.com",),
    timezone="Europe/London",
    language="en",
    site_names=("The Guardian", "the Guardian"),
    # UNVERIFIED: the wire agencies the Guardian credits ("Guardian staff and agencies" bylines)
    agencies=("The Guardian", "Guardian staff and agencies", "Associated Press", "Reuters", "Agence France-Presse",
              "AFP", "PA Media"),
    regions={"asia": ("world/asia-pacific",)},
    discovery=Discovery(
        section_url="https://www.theguardian.com/{section}",
        listing=Listing(
            # the front's cards: an empty overlay link per card, its data-link-name "<kind> | group-N | card-@N | …"
            items='a[data-link-name*="card-@"]',
            link="::attr(href)",
            # a card's <time> sits beside its overlay link, not in it (and most cards render it client-side):
            # the front gives no date; `since` applies to the page's own date
            date="time::attr(datetime)",
            # UNVERIFIED: the real front's pagination is not in the saved page; fronts end after their containers
            more=('a[rel="next"]::attr(href)',),
        ),
        # the real technology front declares <link rel=alternate type=application/rss+xml href=…/uk/technology/rss>
        section_feeds=("https://www.theguardian.com/{section}/rss",),
        # UNVERIFIED: robots.txt itself; its news sitemap is the one Fundus and other crawlers read
        robots_url="https://www.theguardian.com/robots.txt",
        sitemap_follow=re.compile(r"/sitemaps/news\.xml$"),
        # article paths start with their section (/environment/2019/jan/03/…) but Asia-Pacific stories live
        # under /world/, and article:section is the display name ("Environment", "World news")
        section_evidence=("declared",),
    ),
    # /<section>[/<sub>]/<yyyy>/<mon>/<dd>/<slug>: no numeric id in Guardian URLs
    article_url=(
        re.compile(r"^https?://(?:www\.)?theguardian\.com/(?:[a-z0-9-]+/){1,3}\d{4}/[a-z]{3}/\d{2}/[a-z0-9-]+/?$"),
    ),
    founded="1990-01-01",
)
