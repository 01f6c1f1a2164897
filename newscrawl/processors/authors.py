"""Turn bylines ("By A, B and C. Sputnik International") into a list of names."""

import re
from collections.abc import Iterable

from newscrawl.processors.normalize import normalize_each

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_PROMPT = re.compile(r"\b(?:e-?mail|contact|follow)\s+the\s+author\b", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;&|·•]|\band\b|\bи\b)\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
# "By", "Written by", "Posted by:", "Author:", "About the author": labels before a name, or a label alone;
# German "Von", French "Par", Spanish and Portuguese "Por" (capitalised: "von" inside a name is a particle)
_LABEL = re.compile(
    r"^(?:(?i:(?:(?:written|posted|published|text|words|story|article)\s+)?by|(?:about\s+)?(?:the\s+)?authors?)"
    r"|Von|Par|Por)\b[\s:]*"
)
_ROLE = (
    r"(?:(?:senior|chief|staff|special|foreign|political|managing|deputy|contributing)\s+)?"
    r"(?:reporter|correspondent|writer|editor|columnist|contributor|journalist|analyst)s?"
)
_ROLE_AT_EDGE = re.compile(rf"^{_ROLE}\b[\s:|–—-]*|[\s|–—-]*\b{_ROLE}$", re.IGNORECASE)
# What a CMS fills an empty byline with: "No Author" (The Japan Times' meta author), "Unknown Author"
_PLACEHOLDER = re.compile(r"(?:no|unknown|anonymous)\s+(?:authors?|writers?|bylines?)", re.IGNORECASE)
# A byline is a name of two to five words; single words are mostly sites or nicknames.
_NAME_WORDS = range(2, 6)
# The lower-case words inside names: "Ursula von der Leyen", "Mohammed bin Salman", "Nick van Mead".
_PARTICLES = frozenset("al bin ibn da das de del della der di dos du el la le ten ter van von y".split())
# A word of letters, maybe joined by an apostrophe or hyphen ("O'Brien"), or initials ("J.", "Z.B.").
_NAME_WORD = re.compile(r"(?:[^\W\d_]\.)+|[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")


def _without_agency(part: str, agencies: list[str]) -> str:
    """Drop a trailing ". Sputnik International" / " (Reuters)" agency tail."""
    if not agencies:
        return part
    names = "|".join(map(re.escape, agencies))
    return re.sub(rf"[\s.,|(–—-]+(?:{names})\)?$", "", part, flags=re.IGNORECASE)


def _clean_part(part: str, agencies: list[str]) -> str:
    """Strip "By", roles and an agency tail from one name of a byline."""
    part = _PARENTHESIS.sub("", part)  # "(Reuters)", "(Senior Reporter)"
    part = _ROLE_AT_EDGE.sub("", _LABEL.sub("", part.strip(" .:|–—-")))
    return _without_agency(part, agencies).strip(" .:|–—-")


def _is_name(part: str, agencies: list[str]) -> bool:
    """Tell a plausible person name from leftovers, agencies and junk."""
    words = part.split()
    return (
        len(words) in _NAME_WORDS
        # Names capitalise every word but particles: "CEO of", "Name *", "Read more" are no names.
        and all(_is_name_word(word) or word in _PARTICLES for word in words)
        and _is_name_word(words[0])
        and _is_name_word(words[-1])
        and part.casefold() not in {agency.casefold() for agency in agencies}
        and not _PLACEHOLDER.fullmatch(part)
    )


def _is_name_word(word: str) -> bool:
    """Tell a capitalised word of a name ("Lu", "O'Brien", "J.") from other words and symbols."""
    return bool(_NAME_WORD.fullmatch(word)) and word[0].isupper()


def clean_authors(values: object, agencies: Iterable[str] = ()) -> list[str]:
    """Return the distinct author names in a byline or list of bylines, in order.

    >>> clean_authors("By Finian Cunningham. Sputnik International", ("Sputnik International",))
    ['Finian Cunningham']
    """
    agency_names = normalize_each(agencies)
    names: dict[str, str] = {}  # casefolded -> first spelling, in insertion order
    for byline in normalize_each(values):
        byline = _PROMPT.sub(",", _EMAIL.sub(",", byline))
        for part in _LIST_SEPARATOR.split(byline):
            name = _clean_part(part, agency_names)
            if _is_name(name, agency_names):
                names.setdefault(name.casefold(), name)
    return list(names.values())
