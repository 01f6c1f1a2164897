import pytest

from newscrawl.processors.authors import clean_authors

AGENCIES = ("Sputnik International", "Sputnik", "РИА Новости")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, []),
        ("", []),
        ("   ", []),
        ("\x00", []),
        ("!!!", []),
        (42, []),
        ([None, 42, ""], []),
        ("Finian Cunningham", ["Finian Cunningham"]),
        # a CMS's placeholder for no byline is nobody
        ("No Author", []),
        ("unknown author", []),
        ("Anonymous Writers", []),
        ("No Author, Jane Doe", ["Jane Doe"]),
        ("Noah Author", ["Noah Author"]),
        ("By Jane Doe, John Smith and Ann Lee", ["Jane Doe", "John Smith", "Ann Lee"]),
        ("Jane Doe & John Smith", ["Jane Doe", "John Smith"]),
        ("Иван Иванов и Пётр Петров", ["Иван Иванов", "Пётр Петров"]),
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Staff Writer Jane Doe", ["Jane Doe"]),
        ("Jane Doe - Correspondent", ["Jane Doe"]),
        ("Jane Doe jane.doe@example.com Email the author", ["Jane Doe"]),
        ("Finian Cunningham. Sputnik International", ["Finian Cunningham"]),
        ("Finian Cunningham, Sputnik", ["Finian Cunningham"]),
        ("Jane Doe. Sputnik and John Smith - РИА Новости", ["Jane Doe", "John Smith"]),
        ("John Doe (Reuters)", ["John Doe"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("Sputnik International", []),
        ("РИА Новости", []),
        (["Finian Cunningham", "finian  cunningham", None, "Sputnik"], ["Finian Cunningham"]),
        (("Ann Lee", "John Smith and Ann Lee"), ["Ann Lee", "John Smith"]),
        ("Mary Anderson", ["Mary Anderson"]),  # "and" inside a word is no separator
        # Fewer authors rather than wrong ones:
        ("Editor", []),
        ("Lenta", []),  # one word: a site or nickname more often than a person
        ("by jane doe", []),  # no capital letter: not written as a name
        ("Martin Luther King, Jr.", ["Martin Luther King"]),
        ("https://sputnikglobe.com/authors/finian_cunningham/", []),
        ("Read more from this author and others on our site today", []),
        # Labels before a name, or alone:
        ("Written by", []),
        ("Posted by: Jane Doe", ["Jane Doe"]),
        ("Author Jane Doe", ["Jane Doe"]),
        ("About the author", []),
        ("Text by Hunter Dukes", ["Hunter Dukes"]),
        ("Von Lena Hoffmann, BR", ["Lena Hoffmann"]),
        ("Par Jeanne Martin", ["Jeanne Martin"]),
        # Roles and titles are no names, at either end:
        ("Staff Writer", []),
        ("Political analyst", []),
        ("Political Analyst", []),
        ("Jane Doe, Political Analyst", ["Jane Doe"]),
        # Names are capitalised words and particles; labels of forms and menus are not:
        ("Name *", []),
        ("CEO of", []),
        ("Z.B. Steele", ["Z.B. Steele"]),
        ("Nick van Mead", ["Nick van Mead"]),
        ("Ellen O'Brien", ["Ellen O'Brien"]),
        # One byline line: name | role | date, or names between dots:
        ("Aaron Ricadela | Senior Writer | July 2, 2025", ["Aaron Ricadela"]),
        ("Jane Doe · John Smith", ["Jane Doe", "John Smith"]),
    ],
)
def test_clean_authors(values, expected):
    assert clean_authors(values, AGENCIES) == expected

