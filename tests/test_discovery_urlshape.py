"""What a URL's shape says: dates, years, slugs, ids, listing pages, the same site; bad input first."""

from __future__ import annotations

import pytest

from newscrawl.discovery.urlshape import has_date, has_id, has_year, is_listing, path_segments, same_site, slug_words

BAD = [None, "", 42, b"https://www.example.com/2025/03/04/quake", "http://[::1", "not a url at all"]


@pytest.mark.parametrize("value", BAD)
def test_bad_input_has_no_shape(value):
    assert path_segments(value) in ([], ["not a url at all"])
    assert (has_date(value), has_year(value), has_id(value), slug_words(value)) == (False, False, False, 0)
    assert same_site(value, "https://www.example.com/") is False
    assert same_site("https://www.example.com/", value) is False


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/2025/03/04/quake", True),
        ("/asia/2026/3/8/iran-live", True),
        ("/technology/2026/mar/08/billionaires", True),
        ("/20250304/quake-1121141932.html", True),
        ("/future/article/20260303-the-most-important-google-setting", True),
        ("/2025-03-04/quake", True),
        ("/live/iran-war-israel-trump-03-08-2026", True),
        ("/sections/the-picture-show/2026/02/27/g-s1-111346/festival", True),
        # archives of a day or a month, a year, numbers that are no dates
        ("/2025/03/04/", False),
        ("/2025/03/", False),
        ("/2025/", False),
        ("/2025/slug-of-a-story", False),
        ("/podcasts/510351/short-wave", False),
        ("/article/x-20734185732761060c6cda413cd7b96b", False),
        ("/story-2025", False),
    ],
)
def test_has_date(path, expected):
    assert has_date("https://www.example.com" + path) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/2025/memory-safety-tipping-point-0618", True),
        ("/features/2023/the-protein-problem/index.html", True),
        ("/archive/2025/", False),
        ("/asia/2025/03/", False),
        ("/3025/x", False),
    ],
)
def test_has_year(path, expected):
    assert has_year("https://www.example.com" + path) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", 0),
        ("/story/the-cdc-has-a-leadership-crisis/", 5),
        ("/2025/quake-hits-the-coast.html", 4),
        ("/technology/ai-v-the-mind", 3),  # single letters are no words
        ("/article/ape-kanzi-imagination-20734185732761060c6cda413cd7b96b", 3),  # nor is an id
        ("/features/2023/the-protein-problem/brazil-amazon-rainforest-deforestation/index.html", 4),
        ("/новости/землетрясение-в-японии-сегодня-утром", 4),
    ],
)
def test_slug_words(path, expected):
    assert slug_words("https://www.example.com" + path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/news/articles/ckg8wvz427vo", True),
        ("/audio/play/p0mylrw0", True),
        ("/20250304/quake-1121141932.html", True),
        ("/article/ape-kanzi-imagination-20734185732761060c6cda413cd7b96b", True),
        ("/news/uk", False),
        ("/covid19", False),
        ("/bbcnewsignup2", False),  # a name ending in a digit
        ("/news/12345", False),  # five digits: a short number, not an article id
    ],
)
def test_has_id(path, expected):
    assert has_id("https://www.example.com" + path) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", True),
        ("/tag/energy/", True),
        ("/category/science/space/", True),
        ("/hub/science", True),
        ("/sections/science/", True),
        ("/author/jane-doe", True),
        ("/page/2/", True),
        ("/usingthebbc/cookies/how-can-i-change-my-bbc-cookie-settings/", True),
        ("/v2/offers/wira01042", True),
        ("/contact", True),
        ("/report.pdf", True),
        ("/audio/quake.mp3", True),
        # a dated story stays a story in a "sections" or "topic" folder
        ("/sections/the-picture-show/2026/02/27/g-s1-111346/festival", False),
        ("/news/articles/ckg8wvz427vo", False),
        ("/story/the-cdc-has-a-leadership-crisis/", False),
    ],
)
def test_is_listing(path, expected):
    assert is_listing("https://www.example.com" + path) is expected


@pytest.mark.parametrize(
    ("url", "site", "expected"),
    [
        ("https://www.example.com/a", "https://www.example.com/asia/", True),
        ("https://example.com/a", "https://www.example.com/asia/", True),
        ("https://amp.example.com/a", "https://www.example.com/asia/", True),
        ("https://example.com.evil.net/a", "https://www.example.com/", False),
        ("https://notexample.com/a", "https://example.com/", False),
        ("https://other.com/a", "https://www.example.com/", False),
    ],
)
def test_same_site(url, site, expected):
    assert same_site(url, site) is expected
