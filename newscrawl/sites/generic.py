"""Rules for a page of a site newscrawl has no rules for: common article markup only."""

import re

from newscrawl.sites.rules import ImageRule, Layout, Site

GENERIC = Layout(
    name="generic",
    detect="body",
    headline=("article h1", "main h1", "h1"),
    published=("article time[datetime]::attr(datetime)", "time[datetime]::attr(datetime)"),
    modified=('time[itemprop="dateModified"]::attr(datetime)',),
    authors=('[rel="author"]', '[itemprop="author"] [itemprop="name"]', ".byline a"),
    tags=('a[rel="tag"]',),
    body=('[itemprop="articleBody"]', "article", "main", '[role="main"]'),
    blocks=(
        ("text", "self::p"),
        ("subheading", "self::h2 or self::h3 or self::h4"),
        ("quote", "self::blockquote[not(@class)]"),
        ("container", "self::div or self::section"),
    ),
    images=(ImageRule(container="article figure, main figure", url=("img::attr(src)",), caption=("figcaption",)),),
    boilerplate=(re.compile(r"^(Advertisement|ADVERTISEMENT|Read more:?|Subscribe)$", re.I),),
)

SITE = Site(name="", hosts=(), timezone="UTC", language=None, site_names=(), layouts=(GENERIC,))
