"""Al Jazeera English (aljazeera.com): every site rule in one place.

Evidence: the real /economy/ section page (WCXB dev 2967), whose listing template /where/asia/ shares, and three
real article pages saved as their <body> only (a browser copy: no <head>, so no structured data or meta tags;
fixtures/aljazeera/README.md). Rules resting on no real page are marked UNVERIFIED.
"""

import re
from dataclasses import replace

from newscrawl.sites.generic import GENERIC
from newscrawl.sites.rules import Discovery, Listing, Site

# The generic extraction puts the standfirst (p.article__subhead) into the body: the article's own text is the
# .wysiwyg container's paragraphs and sub-headings (its "Keep reading" list, newsletter box, ads are divs).
ARTICLE = replace(
    GENERIC,
    name="aljazeera",
    detect="div.wysiwyg",
    headline=("header.article-header h1", "h1"),
    lead=("header.article-header p.article__subhead", "p.article__subhead"),
    # "Published On 10 Feb 2024": the article's own date line (other .date-simple are related-story cards)
    published=(".article-b-l .date-simple span[aria-hidden]::text",),
    authors=(".article-author-name a.author-link", ".article-author-name-item a"),
    body=("div.wysiwyg",),
    # the real pages open their first paragraph with a bold "Doha, Qatar –"
    dateline=("div.wysiwyg > p:first-of-type > strong:first-child",),
    blocks=(("text", "self::p"), ("subheading", "self::h2 or self::h3"), ("quote", "self::blockquote")),
)

SITE = Site(
    key="aljazeera",
    name="Al Jazeera",
    hosts=("aljazeera.com",),
    timezone="Asia/Qatar",
    language="en",
    site_names=("Al Jazeera",),
    # UNVERIFIED: the agencies Al Jazeera credits ("Al Jazeera and news agencies")
    agencies=("Al Jazeera", "Al Jazeera and news agencies", "Reuters", "AFP", "AP", "Associated Press"),
    regions={"asia": ("where/asia",)},
    discovery=Discovery(
        section_url="https://www.aljazeera.com/{section}/",
        listing=Listing(
            # the featured grid and the feed list share one card: article > a.u-clickable-card__link, date footer
            items="#featured-news-container article, #news-feed-container article",
            link="a.u-clickable-card__link::attr(href)",
            date=".date-simple span[aria-hidden]::text",
            # the real "Show more" is a <button> without a URL (the page loads more by script): no next page
            more=(),
        ),
        # the real section page links only the site-wide feed (/xml/rss/all.xml): no section feed
        site_feeds=("https://www.aljazeera.com/xml/rss/all.xml",),
        # UNVERIFIED: robots.txt itself; the article sitemaps are those third-party crawlers read
        robots_url="https://www.aljazeera.com/robots.txt",
        sitemap_follow=re.compile(r"/sitemaps/article-new\.xml$"),
        # article paths name a kind (/news/, /economy/, /sports/), never the region; the saved pages declare
        # no section either (no <head>), so a site-wide source cannot prove Asia
        section_evidence=("declared",),
    ),
    # /<kind>/<yyyy>/<m>/<d>/<slug> (also /news/liveblog/…): no numeric id
    article_url=(re.compile(r"^https?://(?:www\.)?aljazeera\.com/(?:[a-z-]+/){1,2}\d{4}/\d{1,2}/\d{1,2}/[a-z0-9-]+/?$"),),
    layouts=(ARTICLE,),
    founded="2006-11-15",  # Al Jazeera English went on air on 15 November 2006
)
