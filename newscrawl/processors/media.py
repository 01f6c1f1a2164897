"""Image credits ("© AP Photo / Dake Kang"), captions and alt texts as pages show them."""

import re
from collections.abc import Iterable
from typing import TypeGuard

from newscrawl.processors.headline import strip_headline_suffix
from newscrawl.processors.normalize import normalize_text

_SIGN = re.compile(r"(?:\([cC]\)|©)\s*")
# Where a caption may start after a credit: a line break, a spaced separator, or
# the glued join a reader sees in "Dake KangIn this…", "POOLBritain's…", "2019In…".
_SEPARATOR = re.compile(r"\s*\n\s*|\s+[-–—|]\s+")
_GLUED = re.compile(
    r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])|(?<=[A-ZА-ЯЁ\d]{2})(?=[A-ZА-ЯЁ][a-zа-яё])"
)
# A name like "Kevin LaMarque" or "DeSantis" glues case by itself.
_LAST_WORD_PIECE = re.compile(r"[A-ZА-ЯЁ]?[a-zа-яё]*$")
_NAME_PREFIXES = frozenset({"Mc", "Mac", "La", "Le", "De", "Di", "Du", "Da", "Van", "Von", "Fitz"})
_CREDIT_MAX_WORDS = 10
_CAPTION_EDGES = " -–—|:"


def _has_words(text: str | None) -> TypeGuard[str]:
    """Tell text that holds a letter or digit from a lone sign or punctuation."""
    return text is not None and any(char.isalnum() for char in text)


def clean_credit(value: object) -> str | None:
    """Normalize a photo credit to start with "© " and have single spaces.

    >>> clean_credit("\\n  ©\\n   REUTERS  / POOL")
    '© REUTERS / POOL'
    """
    text = normalize_text(value)
    text = _SIGN.sub("© ", text).strip() if text else None
    return text if _has_words(text) else None


def _is_glued_join(text: str, position: int) -> bool:
    """Tell a credit/caption join from a case change inside a name or word."""
    piece = _LAST_WORD_PIECE.search(text[:position])
    assert piece is not None  # the pattern also matches the empty string
    left = piece[0]
    return left not in _NAME_PREFIXES and len(text[position:].split()) > 1


def _credit_end(text: str) -> int | None:
    """Find where the credit that opens the text ends, or None when it is all credit."""
    joins = [match.start() for match in _SEPARATOR.finditer(text)]
    glued = [match.start() for match in _GLUED.finditer(text)]
    joins += [end for end in glued if _is_glued_join(text, end)]
    short = [end for end in joins if len(text[:end].split()) <= _CREDIT_MAX_WORDS]
    return min(short, default=None)


def _clean_caption(value: str) -> str | None:
    """Normalize a caption and drop separators left at its edges."""
    text = normalize_text(value)
    return text.strip(_CAPTION_EDGES) if _has_words(text) else None


def split_credit_caption(value: object) -> tuple[str | None, str | None]:
    """Split text where a photo credit and a caption run together into (credit, caption).

    >>> split_credit_caption("© AP Photo / Dake KangIn this photo, the logo of Huawei.")
    ('© AP Photo / Dake Kang', 'In this photo, the logo of Huawei.')
    """
    if not isinstance(value, str):
        return None, None
    text = _SIGN.sub("© ", value).strip()
    sign = text.find("©")
    if sign == -1:
        return None, _clean_caption(text)
    if sign > 0:  # caption first: "Luna. Archive photo © RIA Novosti / Sergey Kirkach"
        return clean_credit(text[sign:]), _clean_caption(text[:sign])
    end = _credit_end(text)
    if end is None:
        return clean_credit(text), None
    return clean_credit(text[:end]), _clean_caption(text[end:])


def strip_caption_suffix(value: object, site_names: Iterable[str] = ()) -> str | None:
    """Drop the " - Site Name[, width][, date]" tail of an image alt text.

    >>> strip_caption_suffix("Луна - РИА Новости, 1920, 31.05.2026", ("РИА Новости",))
    'Луна'
    """
    return strip_headline_suffix(value, site_names)  # alt texts carry the title's tail
