"""Split a wire dateline such as "BEIJING (Sputnik) –" off a first paragraph."""

import re
from collections.abc import Iterable
from functools import lru_cache

from newscrawl.processors.normalize import normalize_text

# The world's wire agencies, lower-cased; a site adds its own (Site.agencies), and any other 1-4 capitalised
# words in "CITY (Agency) –" are accepted too.
KNOWN_AGENCIES = frozenset(
    {
        "reuters", "ap", "afp", "xinhua", "tass", "тасс", "интерфакс", "interfax", "dpa", "efe", "ansa", "kyodo",
        "yonhap", "anadolu", "irna", "upi", "ani", "pti", "bernama", "antara", "bloomberg",
    }
)

_DASH = r"(?:--|[-–—])"
# Checked to be upper case after matching: re has no Unicode "upper letter" class.
_PLACE = r"(?P<place>[^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*){0,3}(?:,\sD\.\s?C\.)?)"
_DATE = r"(?:[^\W\d_]+\.?\s\d{1,2}|\d{1,2}\s[^\W\d_]+\.?)(?:,?\s\d{4})?"
# "BEIJING (Sputnik) –", "MOSCOW, November 28 (Sputnik) -", "BEIJING, May 30 (Xinhua) --"
_WIRE = re.compile(rf"^{_PLACE}(?:,\s{_DATE})?\s?\((?P<agency>[^()]{{2,40}})\)\s?{_DASH}(?:\s|$)")


@lru_cache(maxsize=64)
def _agency_last(agencies: tuple[str, ...]) -> re.Pattern | None:
    """The dateline with the agency last, for a site's own agencies (an edition may add up to two words):
    "МОСКВА, 31 мая - РИА Новости.", "ТАШКЕНТ, 3 июл — Sputnik.", "БИШКЕК, 2 дек — Sputnik Кыргызстан."."""
    if not agencies:
        return None
    names = "|".join(re.escape(agency) for agency in sorted(agencies, key=len, reverse=True))
    return re.compile(
        rf"^{_PLACE}(?:,\s{_DATE})?\s{_DASH}\s(?P<agency>(?:{names})(?:\s[^\W\d_][\w-]*){{0,2}})\.(?:\s|$)"
    )
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+,?")


def _title_case(place: str) -> str:
    """Title-case each word of an upper-case place, keeping initialisms like "D.C."."""
    return " ".join(
        word if _INITIALISM.fullmatch(word) else "-".join(map(str.capitalize, word.split("-")))
        for word in place.split()
    )


def _is_agency(agency: str, place: str, own: tuple[str, ...]) -> bool:
    """Tell whether the parenthesised words name a news agency: a wire, the site's own (or an edition of it:
    "Sputnik Afrique"), or 1-4 capitalised words that do not spell out the place."""
    folded = agency.casefold()
    if folded in KNOWN_AGENCIES or any(folded.startswith(name.casefold()) for name in own):
        return True
    words = agency.split()
    if not 1 <= len(words) <= 4 or not all(word[0].isupper() for word in words):
        return False
    # "NATO (North Atlantic Treaty Organization) –" spells out an acronym: no dateline.
    initials = "".join(word[0] for word in words)
    return initials.casefold() != place.replace(" ", "").casefold()


def _match_dateline(text: str, agencies: tuple[str, ...]) -> re.Match[str] | None:
    """Match a dateline at the start of the text, checking what regexes cannot."""
    agency_last = _agency_last(agencies)
    match = _WIRE.match(text) or (agency_last.match(text) if agency_last else None)
    if match is None or not match["place"].isupper():
        return None
    rest = text[match.end() :]
    # A dateline is followed by a new sentence, never a lower-case continuation.
    if rest[:1].islower() or not _is_agency(match["agency"], match["place"], agencies):
        return None
    return match


# A dateline the page's markup marks (span.dateline, a bold lead-in): "KOBE –", "Doha, Qatar –", "SEOUL (AP) —".
# no digits: "Published 10 Feb –" is a date line, not a dateline
_MARKED = re.compile(rf"^(?P<place>[^\W\d_][^(),\d]{{0,40}}?)(?:,[^()\d]{{0,40}}?)?(?:\s?\((?P<agency>[^()]{{2,40}})\))?\s?{_DASH}$")


def split_marked_dateline(paragraph: str, marked: object) -> tuple[dict | None, str]:
    """Split off the start of the paragraph that the page marks as its dateline: a place (the first of a
    "City, Country" pair), maybe an agency, and a dash; nothing when the marked text is no such dateline or
    does not open the paragraph.

    >>> split_marked_dateline("KOBE – A total of 6,000 masks were lost.", "KOBE – ")
    ({'place': 'Kobe', 'agency': None, 'raw': 'KOBE –'}, 'A total of 6,000 masks were lost.')
    """
    raw = normalize_text(marked)
    match = _MARKED.match(raw) if raw else None
    if raw is None or match is None or not paragraph.startswith(raw):
        return None, paragraph
    place = match["place"].strip()
    rest = paragraph[len(raw) :].strip()
    if not rest or rest[:1].islower():
        return None, paragraph
    dateline = {
        "place": _title_case(place) if place.isupper() else place,
        "agency": normalize_text(match["agency"]),
        "raw": raw,
    }
    return dateline, rest


def split_dateline(
    paragraph: object, agencies: Iterable[str] = (), marked: object = None
) -> tuple[dict | None, str | None]:
    """Return ({"place", "agency", "raw"}, rest) when the paragraph opens with a dateline; `agencies` are the
    site's own (Site.agencies), which may also come last ("МОСКВА, 31 мая - РИА Новости."); `marked` is the text
    of the element the page marks as its dateline, if any (it may name no agency: "KOBE –").

    >>> split_dateline("TOKYO (Sputnik) - Japan said.")
    ({'place': 'Tokyo', 'agency': 'Sputnik', 'raw': 'TOKYO (Sputnik) -'}, 'Japan said.')
    """
    text = normalize_text(paragraph)
    if text is None:
        return None, None
    match = _match_dateline(text, tuple(agencies))
    if match is None:
        return split_marked_dateline(text, marked)
    dateline = {
        "place": _title_case(match["place"]),
        "agency": normalize_text(match["agency"]),
        "raw": match[0].strip(),
    }
    return dateline, normalize_text(text[match.end() :])
