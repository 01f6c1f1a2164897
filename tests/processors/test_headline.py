import pytest

from newscrawl.processors.headline import same_headline, strip_headline_suffix

SPUTNIK = ("Sputnik International",)
RIA = ("РИА Новости",)


@pytest.mark.parametrize(
    ("value", "site_names", "expected"),
    [
        (None, SPUTNIK, None),
        ("", SPUTNIK, None),
        ("   ", SPUTNIK, None),
        ("\x00", SPUTNIK, None),
        (42, SPUTNIK, None),
        ("!!!", SPUTNIK, "!!!"),
        (
            "Royal Self-Indicting Arrogance - Sputnik International",
            SPUTNIK,
            "Royal Self-Indicting Arrogance",
        ),
        (
            'Редкая "голубая Луна" взойдет 31 мая - РИА Новости, 31.05.2026',
            RIA,
            'Редкая "голубая Луна" взойдет 31 мая',
        ),
        ("Title | Sputnik International", SPUTNIK, "Title"),
        ("Title – Sputnik International", SPUTNIK, "Title"),
        ("Title — Sputnik International", SPUTNIK, "Title"),
        ("Title - SPUTNIK international", SPUTNIK, "Title"),  # case-insensitive
        (
            "Rusia lanza una operación, 25.02.2022, Sputnik Mundo",
            ("Sputnik Mundo",),
            "Rusia lanza una operación",
        ),
        ("Title  -  Sputnik\u00a0International ", SPUTNIK, "Title"),
        ("Title - Sputnik International", "Sputnik International", "Title"),  # str, not letters
        # The dash belongs to the headline when what follows is no site name.
        (
            "US Trying 'All Possible Means' to Blame Huawei Without Giving Evidence - China",
            SPUTNIK,
            "US Trying 'All Possible Means' to Blame Huawei Without Giving Evidence - China",
        ),
        ("Title - Sputnik International", (), "Title - Sputnik International"),
        ("Title - Sputnik International Asia", SPUTNIK, "Title - Sputnik International Asia"),
        ("Sputnik International - Sputnik Mundo", ("Sputnik Mundo",), "Sputnik International"),
        ("Sputnik International", SPUTNIK, "Sputnik International"),
    ],
)
def test_strip_headline_suffix(value, site_names, expected):
    assert strip_headline_suffix(value, site_names) == expected


@pytest.mark.parametrize(
    ("visible", "declared", "same"),
    [
        (None, None, False),
        ("", "Tokyo Holds Drill", False),
        ("   ", None, False),
        ("Tokyo Holds Drill", None, True),  # nothing declared: the visible headline stands
        ("Tokyo Holds Drill", "", True),
        ("Menu", "Tokyo Holds Largest-Ever Earthquake Drill", False),
        ("Subscribe to our newsletter", "Tokyo Holds Largest-Ever Earthquake Drill", False),
        ("Tokyo Holds Drill", "Tokyo Holds Largest-Ever Earthquake Drill | Example News", True),
        ("How to Start a Vegetable Garden", "How to Start a Vegetable Garden in 10 Easy Steps", True),
    ],
)
def test_same_headline(visible, declared, same):
    assert same_headline(visible, declared) is same
