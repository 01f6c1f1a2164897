"""Which URL a record carries: the page's declared canonical URL only when the page may claim it.

A page declares its canonical URL (rel=canonical, og:url, JSON-LD url), and that is the URL deduplication and the
state key on. A declaration naming another site, another article of the same site, or a home or section page is
a mistake or a spoof: trusting it would file the page under another story and overwrite that story's record.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl.processors.urls import canonicalize_url
from newscrawl.sites.rules import Site


def bare_host(url: str) -> str:
    """Return a URL's host without a leading "www.".

    >>> bare_host("https://www.Example.com:8443/a"), bare_host("not a url")
    ('example.com', '')
    """
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def same_site(host: str, hosts: tuple[str, ...]) -> bool:
    """Tell whether a host is one of these hosts, or a subdomain of one, or the parent domain of one.

    >>> same_site("sputniknews.com", ("sputnikglobe.com", "sputniknews.com")), same_site("evil.example", ("a.com",))
    (True, False)
    >>> same_site("cnn.com", ("edition.cnn.com",)), same_site("", ("a.com",)), same_site("com", ("a.com",))
    (True, False, False)
    """
    return "." in host and any(
        host == known or host.endswith("." + known) or known.endswith("." + host) for known in hosts
    )


def is_front_page(url: str) -> bool:
    """Tell a home page (no path) from an article's URL.

    >>> is_front_page("https://example.com/"), is_front_page("https://example.com/2026/11/story")
    (True, False)
    """
    return urlsplit(url).path.strip("/") == ""


def path_segments(url: str) -> list[str]:
    """Return a URL's path segments that name a story: no empty ones, no AMP markers, no ".html"-like endings.

    >>> path_segments("https://x.test/amp/news/ferry-fares.html"), path_segments("https://x.test/")
    (['news', 'ferry-fares'], [])
    """
    segments = [segment.rsplit(".", 1)[0] if "." in segment else segment for segment in urlsplit(url).path.split("/")]
    return [segment.lower() for segment in segments if segment and segment.lower() not in ("amp", "index")]


def same_story_path(declared: str, fetched: str) -> bool:
    """Tell, without article ids, whether two URLs can name one story: the last segment of one is a segment of
    the other (another section's path, an AMP or mobile copy, an id with or without its slug).

    >>> same_story_path("https://x.test/world/ferry-fares", "https://m.x.test/asia/ferry-fares/amp")
    True
    >>> same_story_path("https://x.test/a/12345/ferry-fares", "https://x.test/a/12345")
    True
    >>> same_story_path("https://x.test/news/other-story", "https://x.test/news/ferry-fares")
    False
    """
    one, other = path_segments(declared), path_segments(fetched)
    if one == other:
        return True  # the same path (a page at the site's root included) on another host or scheme
    return bool(one and other) and (one[-1] in other or other[-1] in one)


def refusal(declared: str, fetched: str, site: Site) -> str | None:
    """Return why a page fetched from `fetched` may not claim the canonical URL `declared`, or None."""
    hosts = tuple(host.removeprefix("www.") for host in site.hosts) or (bare_host(fetched),)
    if not same_site(bare_host(declared), hosts):
        return "other_host"
    declared_id, fetched_id = site.article_id(declared), site.article_id(fetched)
    if declared_id and fetched_id and declared_id != fetched_id:
        return "other_article"
    if fetched_id and not declared_id and site.article_url:
        return "not_an_article"
    if is_front_page(declared) and not is_front_page(fetched):
        return "not_an_article"
    if not (declared_id and fetched_id) and not same_story_path(declared, fetched):
        return "other_article"  # a site without id patterns: the path must name the same story
    return None


def trusted_url(declared: list[str | None], fetched_url: str, site: Site) -> tuple[str | None, dict | None]:
    """Return the record's URL (the first declared canonical, if trusted, else the fetched URL) and the refused
    declaration as {"url", "reason"}, or None."""
    fetched = canonicalize_url(fetched_url, extra_tracking_params=site.tracking_params)
    for value in declared:
        url = canonicalize_url(value, fetched_url, site.tracking_params)
        if not url:
            continue
        reason = refusal(url, fetched or fetched_url, site)
        if reason:
            return fetched, {"url": url, "reason": reason}
        return url, None
    return fetched, None
