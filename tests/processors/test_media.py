import pytest

from newscrawl.processors.media import clean_credit, split_credit_caption, strip_caption_suffix

HUAWEI_CAPTION = (
    "In this March 13, 2018, photo, the logo of Huawei is displayed at its headquarters"
    " in Shenzhen in southern China's Guangdong Province."
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\x00", None),
        (42, None),
        ("!!!", None),
        ("©", None),
        ("  © \n", None),
        ("(c)", None),
        ("\n  ©\n   REUTERS  / POOL", "© REUTERS / POOL"),
        ("(c) AP", "© AP"),
        ("(C)AP", "© AP"),
        ("©AP Photo / Dake Kang", "© AP Photo / Dake Kang"),
        ("© РИА Новости / Сергей Киркач", "© РИА Новости / Сергей Киркач"),
        ("REUTERS / POOL", "REUTERS / POOL"),  # no sign is added where the page has none
    ],
)
def test_clean_credit(value, expected):
    assert clean_credit(value) == expected


DRUZHININ = "© Sputnik / Alexey Druzhinin"
PUTIN = "Russian President Vladimir Putin"


@pytest.mark.parametrize(
    ("value", "credit", "caption"),
    [
        (None, None, None),
        ("", None, None),
        ("   ", None, None),
        (42, None, None),
        ("!!!", None, None),
        ("©", None, None),
        # Glued as a reader sees it on the real page:
        ("© AP Photo / Dake Kang" + HUAWEI_CAPTION, "© AP Photo / Dake Kang", HUAWEI_CAPTION),
        (
            "© РИА Новости / Сергей КиркачЛуна. Архивное фото",
            "© РИА Новости / Сергей Киркач", "Луна. Архивное фото",
        ),
        ("© REUTERS / POOLBritain's Camilla waves", "© REUTERS / POOL", "Britain's Camilla waves"),
        ("© AFP 2019In this photo, a man waves", "© AFP 2019", "In this photo, a man waves"),
        ("(c) AP Photo / Ng Han GuanA worker walks", "© AP Photo / Ng Han Guan", "A worker walks"),
        # Case changes inside a name are no join:
        ("© Reuters / Kevin LaMarque", "© Reuters / Kevin LaMarque", None),
        ("© Reuters / Kevin LaMarque in Moscow", "© Reuters / Kevin LaMarque in Moscow", None),
        (
            "© Reuters / Kevin LaMarqueU.S. President speaks",
            "© Reuters / Kevin LaMarque", "U.S. President speaks",
        ),
        ("© AP / Dake KangMcDonald's opens a shop", "© AP / Dake Kang", "McDonald's opens a shop"),
        # Explicit separators:
        (f"{DRUZHININ}\n{PUTIN}", DRUZHININ, PUTIN),
        (f"{DRUZHININ} - {PUTIN}", DRUZHININ, PUTIN),
        (f"{DRUZHININ} | {PUTIN}", DRUZHININ, PUTIN),
        ("\n ©\n  REUTERS / POOL\n", "© REUTERS / POOL", None),
        # Ambiguous: a space alone cannot tell where the name ends, so it is all credit.
        (f"{DRUZHININ} {PUTIN}", f"{DRUZHININ} {PUTIN}", None),
        # ... and a case change deep in the text is no credit end: credits are short.
        (f"{DRUZHININ} {PUTIN} has an iPhone", f"{DRUZHININ} {PUTIN} has an iPhone", None),
        # Caption first, credit at the end:
        (
            "Luna. Archive photo © RIA Novosti / Sergey Kirkach",
            "© RIA Novosti / Sergey Kirkach", "Luna. Archive photo",
        ),
        ("Луна. Архивное фото - © РИА Новости", "© РИА Новости", "Луна. Архивное фото"),
        # No credit at all:
        ("Луна. Архивное фото", None, "Луна. Архивное фото"),
        (HUAWEI_CAPTION, None, HUAWEI_CAPTION),
    ],
)
def test_split_credit_caption(value, credit, caption):
    assert split_credit_caption(value) == (credit, caption)


@pytest.mark.parametrize(
    ("value", "site_names", "expected"),
    [
        (None, ("Sputnik International",), None),
        ("", ("Sputnik International",), None),
        ("\x00", ("Sputnik International",), None),
        (42, ("Sputnik International",), None),
        (
            "Visitors walk past Huawei's booth during Mobile World Congress in Barcelona, Spain,"
            " February 27, 2017 - Sputnik International",
            ("Sputnik International",),
            "Visitors walk past Huawei's booth during Mobile World Congress in Barcelona, Spain,"
            " February 27, 2017",
        ),
        ("Луна - РИА Новости, 1920, 31.05.2026", ("РИА Новости",), "Луна"),
        ("Луна - РИА Новости, 31.05.2026", ("РИА Новости",), "Луна"),
        (  # another site's name stays
            "Луна - РИА Новости, 1920, 31.05.2026",
            ("Sputnik International",),
            "Луна - РИА Новости, 1920, 31.05.2026",
        ),
        ("Talks in Minsk - Belarus", ("Sputnik International",), "Talks in Minsk - Belarus"),
    ],
)
def test_strip_caption_suffix(value, site_names, expected):
    assert strip_caption_suffix(value, site_names) == expected
