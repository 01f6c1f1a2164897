import pytest

from newscrawl.processors.dateline import split_dateline


@pytest.mark.parametrize(
    ("paragraph", "place", "agency", "raw", "rest"),
    [
        (None, None, None, None, None),
        ("", None, None, None, None),
        ("   ", None, None, None, None),
        ("\x00", None, None, None, None),
        (42, None, None, None, None),
        ("!!!", None, None, None, "!!!"),
        (
            "BEIJING (Sputnik) – Washington is trying by all means.",
            "Beijing", "Sputnik", "BEIJING (Sputnik) –", "Washington is trying by all means.",
        ),
        (
            "NEW DELHI (Sputnik) — India has launched a probe.",
            "New Delhi", "Sputnik", "NEW DELHI (Sputnik) —", "India has launched a probe.",
        ),
        (
            "TOKYO (Sputnik) - Japan will host the talks.",
            "Tokyo", "Sputnik", "TOKYO (Sputnik) -", "Japan will host the talks.",
        ),
        (  # the date stays out of the place
            "MOSCOW, November 28 (Sputnik) - Russia said.",
            "Moscow", "Sputnik", "MOSCOW, November 28 (Sputnik) -", "Russia said.",
        ),
        (
            "WASHINGTON, Nov 28 (Reuters) - The US said.",
            "Washington", "Reuters", "WASHINGTON, Nov 28 (Reuters) -", "The US said.",
        ),
        (
            "UNITED NATIONS (Sputnik) – The UN chief said.",
            "United Nations", "Sputnik", "UNITED NATIONS (Sputnik) –", "The UN chief said.",
        ),
        (
            "МОСКВА, 31 мая - РИА Новости. Второе полнолуние мая произойдет 31 мая.",
            "Москва", "РИА Новости", "МОСКВА, 31 мая - РИА Новости.",
            "Второе полнолуние мая произойдет 31 мая.",
        ),
        (
            "ТАШКЕНТ, 3 июл — Sputnik. Президент подписал указ.",
            "Ташкент", "Sputnik", "ТАШКЕНТ, 3 июл — Sputnik.", "Президент подписал указ.",
        ),
        (
            "МИНСК, 5 мар — Sputnik Беларусь. Текст.",
            "Минск", "Sputnik Беларусь", "МИНСК, 5 мар — Sputnik Беларусь.", "Текст.",
        ),
        (
            "BEIJING, May 30 (Xinhua) -- China said.",
            "Beijing", "Xinhua", "BEIJING, May 30 (Xinhua) --", "China said.",
        ),
        (
            "WASHINGTON, D.C. (Sputnik) – The White House said.",
            "Washington, D.C.", "Sputnik", "WASHINGTON, D.C. (Sputnik) –", "The White House said.",
        ),
        (  # an agency not in the list, in the "CITY (Agency) –" form
            "SEOUL (Yonhap News) - South Korea said.",
            "Seoul", "Yonhap News", "SEOUL (Yonhap News) -", "South Korea said.",
        ),
        (
            "  BEIJING\u00a0(Sputnik)\u00a0–\nWashington is trying. ",
            "Beijing", "Sputnik", "BEIJING (Sputnik) –", "Washington is trying.",
        ),
        ("BEIJING (Sputnik) –", "Beijing", "Sputnik", "BEIJING (Sputnik) –", None),
        # Not datelines:
        (
            "Beijing has firmly denied those allegations.",
            None, None, None, "Beijing has firmly denied those allegations.",
        ),
        (
            '"We would like evidence", the diplomat said.',
            None, None, None, '"We would like evidence", the diplomat said.',
        ),
        (
            "READ MORE: Apple Expected to Lose Huge Share of China's Market",
            None, None, None, "READ MORE: Apple Expected to Lose Huge Share of China's Market",
        ),
        (
            "NATO (North Atlantic Treaty Organization) is a military bloc.",
            None, None, None, "NATO (North Atlantic Treaty Organization) is a military bloc.",
        ),
        (  # the parenthesis spells out the acronym: a definition, not an agency
            "NATO (North Atlantic Treaty Organization) – The bloc grew.",
            None, None, None, "NATO (North Atlantic Treaty Organization) – The bloc grew.",
        ),
        (  # a dateline is followed by a new sentence, never a lower-case word
            "TOKYO (Sputnik) - based firms grew.",
            None, None, None, "TOKYO (Sputnik) - based firms grew.",
        ),
        (
            "The US – which denies it – said (Sputnik) – nothing.",
            None, None, None, "The US – which denies it – said (Sputnik) – nothing.",
        ),
        ("Tokyo (Sputnik) – Japan said.", None, None, None, "Tokyo (Sputnik) – Japan said."),
        ("MOSCOW (the city) – It rained.", None, None, None, "MOSCOW (the city) – It rained."),
    ],
)
def test_split_dateline(paragraph, place, agency, raw, rest):
    dateline = {"place": place, "agency": agency, "raw": raw} if raw else None
    assert split_dateline(paragraph, SITE_AGENCIES) == (dateline, rest)


# the agencies a RIA-platform site declares (Site.agencies), as the extraction passes them
SITE_AGENCIES = ("Sputnik", "РИА Новости")


@pytest.mark.parametrize("agencies", [(), ("Reuters",)])
def test_the_agency_last_form_is_a_dateline_only_for_the_sites_own_agencies(agencies):
    text = "МОСКВА, 31 мая - РИА Новости. Второе полнолуние мая произойдет 31 мая."
    assert split_dateline(text, agencies) == (None, text)


def test_an_edition_of_the_sites_agency_is_its_agency():
    dateline, _ = split_dateline("DAKAR (Sputnik Afrique) – Le texte.", ("Sputnik",))
    assert dateline["agency"] == "Sputnik Afrique"


@pytest.mark.parametrize(
    ("paragraph", "marked", "dateline", "rest"),
    [
        ("KOBE – A total of masks.", None, None, "KOBE – A total of masks."),
        ("KOBE – A total of masks.", "", None, "KOBE – A total of masks."),
        ("KOBE – A total of masks.", "\x00", None, "KOBE – A total of masks."),
        ("KOBE – A total of masks.", "KOBE", None, "KOBE – A total of masks."),  # no dash: no dateline
        ("KOBE – a total of masks.", "KOBE –", None, "KOBE – a total of masks."),  # a lower-case continuation
        ("It began. KOBE – A total.", "KOBE –", None, "It began. KOBE – A total."),  # not at the start
        ("Published 10 Feb – The talks.", "Published 10 Feb –", None, "Published 10 Feb – The talks."),
        ("KOBE –", "KOBE –", None, "KOBE –"),  # nothing after it
        # real markup: The Japan Times' span.dateline, Al Jazeera's bold lead-in
        ("KOBE – A total of masks.", "KOBE – ", {"place": "Kobe", "agency": None, "raw": "KOBE –"}, "A total of masks."),
        ("Doha, Qatar – On Friday nights.", "Doha, Qatar –", {"place": "Doha", "agency": None, "raw": "Doha, Qatar –"},
         "On Friday nights."),
        ("SEOUL (AP) — North Korea fired.", "SEOUL (AP) —", {"place": "Seoul", "agency": "AP", "raw": "SEOUL (AP) —"},
         "North Korea fired."),
    ],
)
def test_a_dateline_the_markup_marks_may_name_no_agency(paragraph, marked, dateline, rest):
    assert split_dateline(paragraph, (), marked) == (dateline, rest)
