"""Rules for a page of a site newscrawl has no rules for: common article markup for the fields structured data
lacks; no body rules, so the body comes from the generic main-text extractor (extraction/fallback.py)."""

import re

from newscrawl.sites.rules import ImageRule, Layout, Site

GENERIC = Layout(
    name="generic",
    detect="body",
    headline=("article h1", "main h1", "h1"),
    published=("article time[datetime]::attr(datetime)", "time[datetime]::attr(datetime)"),
    modified=('time[itemprop="dateModified"]::attr(datetime)',),
    # bylines: author links and names first, then byline blocks, profile links, anything classed "author"
    authors=(
        '[rel="author"]',
        '[itemprop="author"] [itemprop="name"]',
        ".byline a",
        '[class*="byline"], [class*="Byline"]',
        'a[href*="/author/"], a[href*="/authors/"]',
        '[class*="author"], [class*="Author"]',
    ),
    tags=('a[rel="tag"]',),
    # WordPress news themes' <span class="dateline">KOBE – </span> (The Japan Times)
    dateline=('p [class~="dateline"]',),
    images=(ImageRule(container="article figure, main figure", url=("img::attr(src)",), caption=("figcaption",)),),
    related_lists=('[class*="related"] a[href]', '[class*="read-more"] a[href]', '[class*="more-on"] a[href]'),
    boilerplate=(re.compile(r"^(Advertisement|ADVERTISEMENT|Read more:?|Subscribe)$", re.I),),
)

SITE = Site(key="", name="", hosts=(), timezone="UTC", language=None, site_names=(), layouts=(GENERIC,))
