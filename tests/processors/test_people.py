import pytest

from newscrawl.processors.people import find_named_people, resolve_speaker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, []),
        ("", []),
        ("   ", []),
        ("\x00", []),
        ("!!!", []),
        (42, []),
        ("Chinese Foreign Ministry spokesman Lu Kang said Thursday.", ["Lu Kang"]),
        (
            "The statement follows a claim by US Secretary of State Mike Pompeo, who said Huawei"
            " and its alleged ties to the Chinese government presented a real risk.",
            ["Mike Pompeo"],
        ),
        ("Russian Foreign Minister Sergei Lavrov said so.", ["Sergei Lavrov"]),
        ("signed by President Donald Trump earlier in May", ["Donald Trump"]),
        ("UN Secretary-General Antonio Guterres said so.", ["Antonio Guterres"]),
        ("Donald J. Trump spoke, then Xi Jinping replied.", ["Donald J. Trump", "Xi Jinping"]),
        (
            "Crown Prince Mohammed bin Salman met Ursula von der Leyen.",
            ["Mohammed bin Salman", "Ursula von der Leyen"],
        ),
        ("Глава МИД России Сергей Лавров заявил об этом.", ["Сергей Лавров"]),
        ("Lu Kang spoke. Later Lu Kang spoke again.", ["Lu Kang"]),
        # Places, organisations, dates and acronyms are no people:
        ("Last year, Australia, Japan, New Zealand and the United States banned it.", []),
        ("Officials in Hong Kong and Rio de Janeiro agreed on Monday.", []),
        ("Visitors walk past a booth at Mobile World Congress in Barcelona, Spain, May 27.", []),
        ("The US District Court for the Eastern District of Texas ruled.", []),
        ("NATO and the EU said nothing.", []),
        ("Minister of New and Renewable Energy Harish Kulkarni spoke.", ["Harish Kulkarni"]),
        ("It opened the International Solar Energy Summit in New Delhi.", []),
        ("Beijing has firmly denied those allegations.", []),  # one word is not enough
        # Title Case headlines capitalise every word, so they name nobody:
        ("Huawei Pushes Ahead With Trademarks for Own OS in Europe Amid US Crackdown", []),
    ],
)
def test_find_named_people(text, expected):
    assert find_named_people(text) == expected


PEOPLE = ["Mike Pompeo", "Sergei Lavrov", "Lu Kang"]


@pytest.mark.parametrize(
    ("mention", "named_people", "expected"),
    [
        (None, PEOPLE, None),
        ("", PEOPLE, None),
        ("   ", PEOPLE, None),
        ("!!!", PEOPLE, None),
        (42, PEOPLE, None),
        ('“ "', PEOPLE, None),
        ("he", None, None),
        ("he", [], None),
        ("he", PEOPLE, "Lu Kang"),
        ("She", PEOPLE, "Lu Kang"),
        ("they", PEOPLE, "Lu Kang"),
        ("он", PEOPLE, "Lu Kang"),
        ("the diplomat", PEOPLE, "Lu Kang"),
        ("the Russian diplomat", PEOPLE, "Lu Kang"),
        ("the spokesman", PEOPLE, "Lu Kang"),
        ("the minister", PEOPLE, "Lu Kang"),
        ("дипломат", PEOPLE, "Lu Kang"),
        ("Lu Kang", [], "Lu Kang"),
        ("Chinese Foreign Ministry spokesman Lu Kang", [], "Lu Kang"),
        ("US Secretary of State Mike Pompeo", [], "Mike Pompeo"),
        ("Russian Foreign Minister Sergei Lavrov", [], "Sergei Lavrov"),
        ("Lavrov", PEOPLE, "Sergei Lavrov"),  # a surname points to the full name
        ("Lavrov", [], None),  # a lone unknown word may be a place: Beijing said
        ("Beijing", PEOPLE, None),
        ("it", PEOPLE, None),  # "it said" is an organisation speaking
        ("one legal expert", PEOPLE, None),  # unnamed: never the phrase, never a guess
        ("a source", PEOPLE, None),
        ("the source", PEOPLE, None),  # an anonymous source is by definition not a named person
        ("A source close to the diplomat", PEOPLE, None),
        ("the United States", PEOPLE, None),
        ("his spokesman", PEOPLE, None),  # someone else: the spokesman of the last person
        ("Putin's spokesman", PEOPLE, None),
        ("officials", PEOPLE, None),
    ],
)
def test_resolve_speaker(mention, named_people, expected):
    assert resolve_speaker(mention, named_people) == expected
