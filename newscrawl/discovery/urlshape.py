"""What a URL's shape says about its page: an article (a date, a long slug, an id) or a listing (a tag, a topic)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from courlan import is_navigation_page, is_not_crawlable

# A date with something after it: /2025/03/04/slug, /2026/3/8/slug, /2025/mar/04/slug, /20250304/slug,
# /20260303-slug, /2025-03-04/slug. A date that ends the path is a day's archive, not an article.
_MONTH = r"(?:0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
DATE_IN_PATH = re.compile(
    rf"/(?:19|20)\d\d/{_MONTH}(?:/{_DAY})?/(?!\d{{1,2}}(?:/|$))[^/]"
    r"|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)[-_./][^/]"
    r"|(?<!\d)(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)[-_/][^/]"
    rf"|[^/]-{_DAY}-{_DAY}-(?:19|20)\d\d(?!\d)"  # a slug ending in a date: live-03-08-2026
)
# A year alone, with more path after it: /2025/memory-safety-0618, /features/2023/the-protein-problem/...
# (a month number after it is a month's archive: /2025/03/)
YEAR_IN_PATH = re.compile(r"/(?:19|20)\d\d/(?!\d{1,2}(?:/|$))[^/]")
LONG_NUMBER = re.compile(r"(?<!\d)\d{6,}(?!\d)")
# Files that are no web page, whatever their path looks like.
NOT_A_PAGE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|ico|pdf|zip|gz|mp3|mp4|m4a|mov|avi|webm|ogg|wav|css|js|json|xml|rss|atom|"
    r"txt|csv|xlsx?|docx?|pptx?|epub)$",
    re.I,
)
# First path segments of listing pages: a tag, a topic, an author, a series... (hubs, not stories).
LISTING_SEGMENTS = frozenset(
    {
        "author", "authors", "by", "categories", "category", "contributor", "contributors", "department",
        "departments", "hub", "hubs", "index", "newsletter", "newsletters", "people", "podcast", "podcasts",
        "profile", "profiles", "search", "section", "sections", "series", "subject", "subjects", "tag", "tags",
        "topic", "topics",
    }
)
# Path segments of a site's own pages (policies, accounts, offers) anywhere in an undated path.
UTILITY_SEGMENTS = frozenset(
    {
        "about", "about-us", "account", "accounts", "advertise", "careers", "contact", "contact-us", "cookies",
        "faq", "help", "jobs", "login", "offers", "preferences", "privacy", "privacy-policy", "register",
        "settings", "shop", "signin", "sign-in", "signup", "store", "subscribe", "subscription", "subscriptions",
        "terms", "terms-of-service", "terms-of-use",
    }
)
MIN_SLUG_WORDS = 4


def path_segments(url: str) -> list[str]:
    """Return the URL's non-empty path segments, percent-decoded and lower-cased.

    >>> path_segments("https://a.com/World/Asia/?x=1")
    ['world', 'asia']
    """
    if not isinstance(url, str):
        return []
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    return [unquote(part).lower() for part in path.split("/") if part]


def site_of(url: str) -> str:
    """Return the URL's host without "www." (the site its subdomains belong to), or ""."""
    if not isinstance(url, str):
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def same_site(url: str, site_url: str) -> bool:
    """Tell whether the URL is on the site's host or one of its subdomains ("www." aside).

    >>> same_site("https://amp.example.com/a", "https://www.example.com/asia/")
    True
    >>> same_site("https://example.com.evil.net/a", "https://example.com/")
    False
    """
    host, site = site_of(url), site_of(site_url)
    return bool(site) and (host == site or host.endswith("." + site))


def has_date(url: str) -> bool:
    """Tell whether the path holds a publication date followed by more path (a story, not a day's archive).

    >>> has_date("https://a.com/news/2026/3/8/iran-live"), has_date("https://a.com/2026/03/")
    (True, False)
    >>> has_date("https://apnews.com/live/iran-war-03-08-2026"), has_date("https://a.com/story-2025")
    (True, False)
    """
    return bool(DATE_IN_PATH.search("/".join([""] + path_segments(url))))


def has_year(url: str) -> bool:
    """Tell whether a path segment is a year with more path after it (weaker than a whole date).

    >>> has_year("https://news.mit.edu/2025/memory-safety-0618"), has_year("https://a.com/archive/2025/")
    (True, False)
    >>> has_year("https://a.com/asia/2025/03/")
    False
    """
    return bool(YEAR_IN_PATH.search("/".join([""] + path_segments(url))))


def slug_words(url: str) -> int:
    """Count the words of the page's slug (its last path segment); digit runs, ids and single letters are no words.

    >>> slug_words("https://a.com/story/the-cdc-has-a-leadership-crisis/"), slug_words("https://a.com/ai-v-the-mind")
    (5, 3)
    """
    words = re.split(r"[-_+]+", _slug(url))
    # "ai-v-the-mind" is a series' name of three words; a headline's slug has more
    return sum(1 for word in words if word.isalpha() and len(word) > 1)


def has_id(url: str) -> bool:
    """Tell whether the page's path holds an id: a long number, or a token of letters and digits.

    >>> has_id("https://www.bbc.com/news/articles/ckg8wvz427vo"), has_id("https://a.com/article/x-y-4cd5b467eed4ad1f")
    (True, True)
    >>> has_id("https://a.com/news/uk"), has_id("https://a.com/covid19"), has_id("https://a.com/bbcnewsignup2")
    (False, False, False)
    """
    segments = path_segments(url)
    if any(LONG_NUMBER.search(segment) for segment in segments):
        return True
    # BBC ("ckg8wvz427vo", "p0mylrw0") and AP ("...-4cd5b467eed4ad1f112f0834aee3d45b") ids mix letters and digits
    tokens = re.split(r"[-_+.]+", _slug(url))
    # ...where a digit comes before a letter: a name ending in a number ("bbcnewsignup2") is no id
    return any(re.fullmatch(r"[a-z0-9]{8,40}", token) and re.search(r"\d[a-z]", token) for token in tokens)


def _slug(url: str) -> str:
    """Return the segment that names the page: the last, or the one before an "index.html"."""
    segments = path_segments(url)
    while segments and re.fullmatch(r"(?:index|default)(?:\.[a-z]{2,5})?", segments[-1]):
        segments.pop()
    return re.sub(r"\.[a-z0-9]{2,5}$", "", segments[-1]) if segments else ""


def is_listing(url: str) -> bool:
    """Tell whether the URL leads to a listing or a utility page rather than a story.

    >>> is_listing("https://a.com/tag/energy/"), is_listing("https://a.com/page/2/"), is_listing("https://a.com/v2/offers/x")
    (True, True, True)
    >>> is_listing("https://www.npr.org/sections/pictures/2026/02/27/g-s1-111346/frozen-lake")
    False
    """
    segments = path_segments(url)
    if not segments or NOT_A_PAGE.search(segments[-1]) or is_not_crawlable(url):
        return True
    if has_date(url):
        return False  # a dated story filed under a "sections" or "topic" folder is still a story
    if segments[0] in LISTING_SEGMENTS or UTILITY_SEGMENTS.intersection(segments):
        return True
    return is_navigation_page(url)

