"""Turn bylines ("By A, B and C. Sputnik International") into a list of names."""

import re
from collections.abc import Iterable

from newscrawl.processors.text import normalize_each

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_PROMPT = re.compile(r"\b(?:e-?mail|contact|follow)\s+the\s+author\b", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;&]|\band\b|\bи\b)\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_BY = re.compile(r"^(?:written\s+)?by\s+", re.IGNORECASE)
_ROLE = (
    r"(?:(?:senior|chief|staff|special|foreign|political|managing|deputy|contributing)\s+)?"
    r"(?:reporter|correspondent|writer|editor|columnist|contributor|journalist)s?"
)
_ROLE_AT_EDGE = re.compile(rf"^{_ROLE}\b[\s:|–—-]*|[\s|–—-]*\b{_ROLE}$", re.IGNORECASE)
# A byline is a name of two to five words; single words are mostly sites or nicknames.
_NAME_WORDS = range(2, 6)


def _without_agency(part: str, agencies: list[str]) -> str:
    """Drop a trailing ". Sputnik International" / " (Reuters)" agency tail."""
    if not agencies:
        return part
    names = "|".join(map(re.escape, agencies))
    return re.sub(rf"[\s.,|(–—-]+(?:{names})\)?$", "", part, flags=re.IGNORECASE)


def _clean_part(part: str, agencies: list[str]) -> str:
    """Strip "By", roles and an agency tail from one name of a byline."""
    part = _PARENTHESIS.sub("", part)  # "(Reuters)", "(Senior Reporter)"
    part = _ROLE_AT_EDGE.sub("", _BY.sub("", part.strip(" .:|–—-")))
    return _without_agency(part, agencies).strip(" .:|–—-")


def _is_name(part: str, agencies: list[str]) -> bool:
    """Tell a plausible person name from leftovers, agencies and junk."""
    words = part.split()
    return (
        len(words) in _NAME_WORDS
        # Names capitalise every word but short particles ("von der", "bin").
        and all(word[0].isupper() for word in words if len(word) > 3)
        and any(char.isupper() for char in part)
        and not any(char.isdigit() or char in "@/:()" for char in part)
        and part.casefold() not in {agency.casefold() for agency in agencies}
    )


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
