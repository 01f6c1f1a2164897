"""Sputnik International (sputnikglobe.com, formerly sputniknews.com): every site rule in one place.

Evidence for each selector is in ../shared/research/sputnik-structure.md. Two markup generations exist:
"ria" (the RIA web platform, 2021 on) and "b-article" (BEM "b-" blocks, about 2014-2021; archived and
cached pages still serve it).
"""

import re

from newscrawl.sites.rules import Discovery, ImageRule, Layout, Listing, Site, has_class

# The newsroom is in Moscow: visible times, compact stamps and even the "Z"-suffixed b-article metas are
# Moscow local time (a real 2019 page says 21:17:27Z where its Unix stamp is 18:17:27 UTC).
TIMEZONE = "Europe/Moscow"

BOILERPLATE = (
    re.compile(r"^READ MORE\b", re.I),
    re.compile(r"^The views and opinions expressed in (the|this) article do not necessarily reflect", re.I),
    re.compile(r"^(Subscribe|Newsfeed|Chats|loader)$", re.I),
    re.compile(r"^To participate in the discussion", re.I),
    re.compile(r"^Заголовок открываемого материала$"),
)

RIA = Layout(
    name="ria",
    detect="div.article__body, h1.article__title",
    headline=("h1.article__title", ".article__header .article__title"),
    lead=("div.article__announce-text",),
    published=(
        ".article__info-date [data-unixtime]::attr(data-unixtime)",
        "div.endless__item::attr(data-published-time)",
        'div[itemprop="datePublished"]::text',
    ),
    modified=(
        ".article__info-date-modified [data-unixtime]::attr(data-unixtime)",
        'div[itemprop="dateModified"]::text',
    ),
    authors=(".article__author .article__author-name", 'div[itemprop="creator"] div[itemprop="name"]'),
    tags=(".article__tags a.article__tags-item", "ul.tags li.tag a"),
    section=("div.endless__item::attr(data-supertag)", ".article__supertag-header-align a::attr(href)"),
    article_id=("div.article::attr(data-article-id)", "div.endless__item::attr(data-id)"),
    body=("div.article__body",),
    blocks=(
        ("text", 'self::div[@data-type="text"]'),
        ("subheading", f'self::div[@data-type="h2" or @data-type="h3" or {has_class("online__item-title")}]'),
        ("quote", 'self::div[@data-type="quote"]'),
        ("card", 'self::div[@data-type="article"]'),
        # a live blog: its updates, each a title and text blocks (the time line is left out)
        ("container", f'self::div[{has_class("online__article")} or {has_class("online__item")}'
         f' or {has_class("online__item-content")}]'),
    ),
    text=f'(.//*[{has_class("article__text")} or {has_class("article__quote-text")} or {has_class("article__h2")}])[1]',
    images=(
        ImageRule(
            container=".article__announce .media, .article__body .media",
            url=("img::attr(src)",),
            caption=(".media__description", ".photoview__desc-text", "img::attr(title)", "img::attr(alt)"),
            credit=(".media__copyright-item", ".photoview__copyright"),
        ),
    ),
    boilerplate=BOILERPLATE,
    furniture=(
        ".article__supertag-header", ".article__info", ".article__announce", ".article__subscribe",
        ".article__userbar", ".article__tags", ".article__aggr", ".article__best-comments", ".article__comments",
        ".chat", ".banner", "header", "footer", "nav", "aside",
        # the right column of article pages: "Most read" and other cell lists of headlines
        ".layout-article__right", ".cell-list",
    ),
)

B_ARTICLE = Layout(
    name="b-article",
    detect="div.b-article, div.b-article__text",
    headline=(".b-article__header-title h1",),
    lead=("div.b-article__lead",),
    published=(
        'meta[name="analytics:p_ts"]::attr(content)',
        'meta[itemprop="datePublished"]::attr(content)',
        "time.b-article__refs-date::attr(datetime)",
    ),
    modified=('meta[name="lastmod"]::attr(content)', 'meta[itemprop="dateModified"]::attr(content)'),
    authors=("div.b-article__refs-author a[rel=author]", 'meta[name="author"]::attr(content)'),
    # a real 2020 page's refs list holds its tag links (/tags/…): a tag, never a related story
    tags=("ul.b-article__tags a", ".b-article__refs-tags a", 'div.b-article__refs-list a[href*="/tags/"]'),
    section=("a.b-article__refs-rubric::attr(href)", 'meta[name="analytics:rubric"]::attr(content)'),
    article_id=('meta[name="analytics:article_id"]::attr(content)', "input#articleId::attr(data-id)"),
    body=("div.b-article__text",),
    blocks=(
        ("disclaimer", f'self::p[{has_class("b-disclaimer")}]'),
        ("text", "self::p"),
        ("subheading", "self::h2 or self::h3 or self::h4"),
        ("quote", "self::blockquote"),
        ("card", f'self::div[{has_class("b-inject")}]'),
    ),
    images=(
        ImageRule(
            container="div.b-article__header",
            url=("img::attr(src)",),
            caption=("img::attr(title)", "img::attr(alt)"),
            credit=("div.b-article__header-copy",),
        ),
    ),
    related_lists=('div.b-article__refs-list a[href]:not([href*="/tags/"])',),
    boilerplate=BOILERPLATE,
    furniture=(".b-article__header", ".b-article__refs", ".b-inject", ".b-disclaimer", "header", "footer", "nav", "aside"),
    z_is_local_time=True,
)

SITE = Site(
    key="sputnik",
    name="Sputnik International",
    hosts=("sputnikglobe.com", "sputniknews.com"),
    timezone=TIMEZONE,
    language="en",
    site_names=("Sputnik International", "Sputnik"),
    agencies=("Sputnik International", "Sputnik", "Sputnik News", "RIA Novosti"),
    # region spider -> its sections on this site
    regions={
        "asia": ("asia",), "world": ("world",), "russia": ("russia",), "europe": ("europe",),
        "africa": ("africa",), "americas": ("us", "latam"), "middle_east": ("middleeast",),
    },
    discovery=Discovery(
        section_url="https://sputnikglobe.com/{section}/",
        listing=Listing(
            items="div.list__item, li.b-plainlist__item",
            link="a.list__title::attr(href), h2.b-plainlist__title a::attr(href)",
            date=".list__date::attr(data-unixtime), span.b-plainlist__date::text",
            more=(
                ".list__more::attr(data-url)",
                ".list-items-loaded::attr(data-next-url)",
                "li.b-plainlist__item::attr(data-next)",
            ),
            more_marker=".list__more, .list-more",
        ),
        section_feeds=("https://sputnikglobe.com/export/rss2/{section}/index.xml",),
        robots_url="https://sputnikglobe.com/robots.txt",
        sitemap_follow=re.compile(r"sitemap_article"),
        # the live sitemap_article_index.xml lists MONTHLY children that take date_start/date_end (public scrapers
        # of the platform, research addendum; no real Sputnik index saved): one day's sitemap is one URL
        sitemap_day_params=("date_start", "date_end"),
        # real 2020 pages link the whole site's feed beside their section's (htmldate's test set); ria.ru's section
        # feeds answer 404: the site feed, section-checked, stands in for a section feed that fails
        fallback_feeds=("https://sputnikglobe.com/export/rss2/archive/index.xml",),
        # the page's rubric (RIA: the endless item's data-supertag; b-article: the refs rubric link)
        section_evidence=("declared",),
    ),
    # RIA story cards append ?in=t to say where the click came from
    tracking_params=("in",),
    article_url=(
        re.compile(r"^https?://(?:www\.)?sputnik(?:globe|news)\.com/\d{8}/(?:[^/?#]*-)?(?P<id>\d{7,})\.html"),
        re.compile(r"^https?://(?:www\.)?sputnik(?:globe|news)\.com/[a-z_]+/\d{8}(?P<id>\d{10})-[^/?#]*/?"),
    ),
    layouts=(RIA, B_ARTICLE),
    section_slug=re.compile(r"^/?(?:https?://[^/]+)?/?(?P<slug>[a-z_]+)/?$"),
    # "... 30.05.2019, Sputnik International" ends og:description on the RIA platform
    # sputniknews.com went live on 10 November 2014; RIA Novosti's older English archive is not this site
    founded="2014-11-10",
    description_suffix=re.compile(r"\s*(?:\.\.\.|…)?\s*\d{2}\.\d{2}\.\d{4},\s*Sputnik[\w ]*$"),
)
