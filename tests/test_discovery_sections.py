"""Section membership: from the URL path, the declared section, the breadcrumb; None without evidence."""

from __future__ import annotations

import pytest

from newscrawl.discovery import in_section

ASIA = "https://www.example.com/asia/"
WORLD_ASIA = "https://www.example.com/world/asia/"


@pytest.mark.parametrize(
    ("article", "section", "declared", "breadcrumb", "expected"),
    [
        # bad input: no evidence either way
        (None, ASIA, None, None, None),
        ("", ASIA, None, None, None),
        (42, ASIA, "Asia", None, None),
        ("https://www.example.com/asia/2025/03/04/quake", None, None, None, None),
        ("https://www.example.com/asia/2025/03/04/quake", "", None, None, None),
        ("https://www.example.com/asia/2025/03/04/quake", "junk", None, None, None),
        ("https://www.example.com/asia/2025/03/04/quake", "https://www.example.com/", "Asia", None, None),  # no section
        ("https://www.example.com/news/quake", ASIA, "", [], None),
        ("https://www.example.com/news/quake", ASIA, "!!!", ["", None, 42], None),
        ("https://www.example.com/news/quake", ASIA, {"name": "Asia"}, b"Asia", None),
        # the URL path: under the section's path
        ("https://www.example.com/asia/2025/03/04/quake", ASIA, None, None, True),
        ("https://www.example.com/world/asia/2025/03/04/quake", WORLD_ASIA, None, None, True),
        ("https://amp.example.com/asia/2025/03/04/quake", ASIA, None, None, True),
        ("https://www.example.com/ASIA/quake-hits", ASIA, None, None, True),
        # ...a path elsewhere is no evidence against (BBC files /news/technology stories under /news/articles/)
        ("https://www.example.com/news/articles/ckg8wvz427vo", ASIA, None, None, None),
        ("https://www.example.com/asia-pacific/quake", ASIA, None, None, None),  # another section, not under /asia/
        ("https://www.example.com/asia/", ASIA, None, None, None),  # the section page itself
        ("https://other.com/asia/2025/03/04/quake", ASIA, None, None, None),  # another site's /asia/
        # the declared section (article:section, JSON-LD articleSection: a str or a list)
        ("https://www.example.com/news/quake", ASIA, "Asia", None, True),
        ("https://www.example.com/news/quake", ASIA, ["World", "Asia"], None, True),
        ("https://www.example.com/news/quake", ASIA, "World > Asia", None, True),
        ("https://www.example.com/news/quake", ASIA, "Europe", None, False),
        ("https://www.example.com/news/quake", ASIA, "Asia Pacific", None, False),
        ("https://www.example.com/news/quake", "https://www.example.com/us-canada/", "US & Canada", None, True),
        ("https://www.example.com/news/quake", "https://www.example.com/news/world/latin_america", "Latin America",
         None, True),
        ("https://www.example.com/news/match", "https://www.example.com/sports/", "Sport", None, True),
        ("https://apnews.com/article/quake-4cd5b467", "https://apnews.com/hub/science", "Science", None, True),
        ("https://www.example.com/news/quake", "https://www.example.com/asia.html", "Asia", None, True),
        # the breadcrumb: names or links
        ("https://www.example.com/news/quake", ASIA, None, ["Home", "World", "Asia"], True),
        ("https://www.example.com/news/quake", ASIA, None, ["Home", "https://www.example.com/asia/"], True),
        ("https://www.example.com/news/quake", ASIA, None, ["Home", "/world/asia"], True),
        ("https://www.example.com/news/quake", ASIA, None, ["Home", "Europe", "Quake hits Greece"], False),
        # any evidence for wins over evidence against: a story can be filed in two sections
        ("https://www.example.com/asia/2025/quake", ASIA, "Europe", None, True),
        ("https://www.example.com/news/quake", ASIA, "World", ["Home", "World", "Asia"], True),
        ("https://www.example.com/news/quake", ASIA, "World", ["Home", "World"], False),
    ],
)
def test_in_section(article, section, declared, breadcrumb, expected):
    assert in_section(article, section, declared, breadcrumb) is expected
