"""Remove the site-name tail that page titles (and image alt texts) carry."""

import re
from collections.abc import Iterable

from newscrawl.processors.normalize import normalize_each, normalize_text

_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
# The tail starts with a spaced separator (" - ", " – ", " — ", " | ") or, in
# the "…, 25.02.2022, Sputnik Mundo" form, with a comma before a date.
_LEAD_IN = rf"(?:\s+[-–—|]\s+(?:{_DATE},\s*)?|,\s*{_DATE},\s*)"
# RIA alt texts add the image width before the date: ", 1920, 31.05.2026".
_TRAIL = rf"(?:,\s*\d{{3,4}})?(?:,\s*{_DATE})?"


def _site_tail(site_names: Iterable[str]) -> re.Pattern[str] | None:
    """Compile the tail pattern for these site names, or None when there are none."""
    names = [re.escape(name) for name in normalize_each(site_names)]
    if not names:
        return None
    return re.compile(rf"{_LEAD_IN}(?:{'|'.join(names)}){_TRAIL}$", re.IGNORECASE)


def strip_headline_suffix(value: object, site_names: Iterable[str] = ()) -> str | None:
    """Normalize a title and drop a trailing " - Site Name[, date]" naming one of site_names.

    >>> strip_headline_suffix("Royal Self-Indicting Arrogance - Sputnik International",
    ...                       ("Sputnik International",))
    'Royal Self-Indicting Arrogance'
    """
    text = normalize_text(value)
    tail = _site_tail(site_names)
    if text is None or tail is None:
        return text
    return tail.sub("", text, count=1).strip() or None


def same_headline(visible: object, declared: object, share: float = 0.3) -> bool:
    """Tell whether the page's visible headline (its h1) is the story's, by the words it shares with the headline
    the page declares (og:title, JSON-LD): a tenth of a shared word is chance, a third is the same story told
    shorter or longer. Nothing declared: the visible one stands.

    >>> same_headline("Tokyo Holds Drill", "Tokyo Holds Largest Drill - Sputnik"), same_headline("Menu", "Tokyo Drill")
    (True, False)
    >>> same_headline(None, "Tokyo Drill"), same_headline("Tokyo Drill", None)
    (False, True)
    """
    visible_words = set(re.findall(r"\w+", str(visible).casefold())) if visible else set()
    declared_words = set(re.findall(r"\w+", str(declared).casefold())) if declared else set()
    if not visible_words:
        return False
    if not declared_words:
        return True
    return len(visible_words & declared_words) >= share * min(len(visible_words), len(declared_words))
