"""Whitespace and Unicode clean-up shared by every text field."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Invisible on the page, so they must not survive to split or glue words:
# zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, LRM/RLM,
# and control characters that are not whitespace (NUL, BEL, ...).
_CONTROL = (chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if not chr(c).isspace())
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f" + "".join(_CONTROL)))
# str regexes treat every Unicode space (NBSP, thin, narrow, ideographic...) as \s.
_WHITESPACE = re.compile(r"\s+")
# A word: letters, maybe joined by an apostrophe or hyphen ("O'Neill", "Jean-Pierre").
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Title Case leaves only these words in lower case; prose always has others.
_TITLE_SMALL_WORDS = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via with from into over"
    " amid upon onto than vs".split()
)


def normalize_text(value: object) -> str | None:
    """Return *value* as NFC text on one line with single spaces, or None.

    >>> normalize_text("  Lu\\u00a0Kang\\u200b said\\n\\n Thursday. ")
    'Lu Kang said Thursday.'
    """
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    return _WHITESPACE.sub(" ", text).strip() or None


def normalize_each(values: object) -> list[str]:
    """Normalize one string or each string of an iterable, dropping empty ones.

    >>> normalize_each(["  a ", None, "", "b"])
    ['a', 'b']
    """
    if isinstance(values, str):
        values = [values]  # one value, not a sequence of letters
    if not isinstance(values, Iterable):
        return []
    return [text for text in map(normalize_text, values) if text]


def join_paragraphs(paragraphs: Iterable[str | None]) -> str | None:
    """Join the non-empty normalized paragraphs with a blank line between them.

    >>> join_paragraphs(["First  one.", None, " ", "Second."])
    'First one.\\n\\nSecond.'
    """
    return "\n\n".join(normalize_each(paragraphs)) or None


def content_hash(text: str | None) -> str | None:
    """Return a sha256 of the normalized lower-cased text, blind to spacing and case.

    >>> content_hash("Hello  World") == content_hash("hello world")
    True
    """
    normalized = normalize_text(text)
    if normalized is None:
        return None
    return "sha256:" + hashlib.sha256(normalized.lower().encode()).hexdigest()


def is_title_case(value: object) -> bool:
    """Tell a Title Case headline (four words or more) from prose.

    >>> is_title_case("Huawei Pushes Ahead With Trademarks for Own OS in Europe")
    True
    """
    words = WORD.findall(value) if isinstance(value, str) else []
    lower = [word for word in words if word.islower()]
    return len(words) >= 4 and all(word in _TITLE_SMALL_WORDS for word in lower)
