"""BBC News (bbc.com, bbc.co.uk; feeds on feeds.bbci.co.uk): every site rule in one place.

Evidence: real article pages in fixtures/bbc/ of two markup generations, "story-body" (2015-2020, World Service
languages too) and "text-block" (today's bbc.com article), and the real /news/technology section page (WCXB dev
2962), whose card template the /news/world/asia page shares. Rules resting on no real page are marked UNVERIFIED.
"""

import re
from dataclasses import replace

from newscrawl.sites.generic import GENERIC
from newscrawl.sites.rules import Discovery, ImageRule, Listing, Site

# The generic extraction reads the story-body date line ("24 July 2015", "From the section …", comment counts)
# as text, and a Burmese page's long h1 as the first paragraph: the body is the story-body__inner paragraphs.
STORY_BODY = replace(
    GENERIC,
    name="story-body",
    detect="div.story-body__inner",
    headline=("h1.story-body__h1",),
    # Unix seconds of the article's own date line (later .date elements are related stories')
    published=(".story-body__mini-info-list-and-share .date[data-seconds]::attr(data-seconds)",),
    authors=(".byline__name",),
    body=("div.story-body__inner",),
    # a <ul> whose every item links to a story is a promo ("One virus, two Americas", "A SIMPLE GUIDE: …"); one
    # with items of plain text is a list in the article
    blocks=(
        # a paragraph that is one link is a pointer to another story ("Read the full transcript …")
        ("card", "self::p[a and normalize-space(.) = normalize-space(a)]"),
        ("text", "self::p or self::li"),
        ("subheading", "self::h2"),
        ("container", "self::ul[li[not(.//a)]]"),
    ),
    images=(
        ImageRule(
            container="div.story-body__inner figure",
            url=("img::attr(src)", "div.js-delayed-image-load::attr(data-src)"),
            caption=(".media-caption__text",),
            credit=(".story-image-copyright",),
        ),
    ),
)

# Today's article page: the body is a run of data-component blocks; the header's "Published" line and the byline
# block are blocks of their own.
TEXT_BLOCK = replace(
    GENERIC,
    name="text-block",
    detect='main article div[data-component="text-block"]',
    headline=("main article h1",),
    published=('main article header time[datetime]::attr(datetime)',),
    # the contributor's name line ("By Will Smale"; its role, "Business reporter, BBC News", is the next line)
    authors=('div[data-component="byline-block"] [class*="TextContributorName"]', *GENERIC.authors),
    body=("main article",),
    blocks=(
        # a text block that is one link is a pointer to another story (a "More The Boss features" list)
        ("card", 'self::div[@data-component="text-block"][count(.//p) = 1 and normalize-space(.//p) = normalize-space(.//p/a)]'),
        ("text", 'self::div[@data-component="text-block"]'),
        # UNVERIFIED: no saved page has a sub-heading block
        ("subheading", 'self::div[@data-component="subheadline-block"]'),
    ),
)

SITE = Site(
    key="bbc",
    name="BBC News",
    hosts=("bbc.com", "bbc.co.uk", "bbci.co.uk"),
    timezone="Europe/London",
    language="en",
    site_names=("BBC News", "BBC"),
    # UNVERIFIED: the agencies BBC copy credits
    agencies=("BBC News", "BBC", "Reuters", "AFP", "AP", "Associated Press"),
    regions={"asia": ("world/asia",)},
    discovery=Discovery(
        section_url="https://www.bbc.com/news/{section}",
        listing=Listing(
            # the real section page's cards (data-indexcard); video cards carry no internal link and are left out
            items='div[data-indexcard="true"] a[data-testid="internal-link"]',
            link="::attr(href)",
            # relative ("58 mins ago"): no date the listing can give
            date='[data-testid="card-metadata-lastupdated"]::text',
            # the real section page has no next-page link
            more=(),
        ),
        # UNVERIFIED: the section feed host and path (third-party feed lists; no saved feed)
        section_feeds=("https://feeds.bbci.co.uk/news/{section}/rss.xml",),
        # UNVERIFIED: robots.txt itself; the news sitemap index is the one third-party crawlers read
        robots_url="https://www.bbc.com/robots.txt",
        sitemap_follow=re.compile(r"/sitemaps/https-(?:index|sitemap)-com-news"),
        # article paths hold the section only inside a slug (/news/world-asia-12345678, /news/articles/<id>),
        # never as a segment; article:section is the display name ("US & Canada", "Business")
        section_evidence=("declared",),
    ),
    tracking_params=("at_medium", "at_campaign", "at_link_origin", "at_format", "at_bbc_team"),  # UNVERIFIED
    article_url=(
        # /news/world-asia-45989453, /news/business-40504764, /burmese/burma-45989453: the 8-digit asset id
        re.compile(r"^https?://(?:www\.)?bbc\.(?:com|co\.uk)/(?:news|[a-z]+)/(?:[a-z0-9_]+(?:-[a-z0-9_]+)*-)?(?P<id>\d{8})/?$"),
        # /news/articles/ckg8wvz427vo: today's opaque ids (the real section page's links), not numeric
        re.compile(r"^https?://(?:www\.)?bbc\.(?:com|co\.uk)/news/articles/c[a-z0-9]{10,12}/?$"),
    ),
    layouts=(STORY_BODY, TEXT_BLOCK),
    founded="1997-11-04",  # BBC News Online launched on 4 November 1997
)
