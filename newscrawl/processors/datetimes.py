"""Parse the date formats news pages, their structured data and feeds use into aware datetimes."""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from newscrawl.processors.normalize import normalize_text

# Visible page dates: "21:17 18.11.2019", "14:00 GMT 03.07.2023" (the zone label is read apart).
_CLOCK_FIRST = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})")
# "GMT", "UTC+3", "GMT +3", "(UTC−05:00)": the zone a page names beside a time it writes without an offset.
_ZONE_LABEL = re.compile(
    r"\(?\b(?:GMT|UTC)(?:\s?(?P<sign>[+−-])\s?(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?\b\)?"
)
# RFC 822 (RSS pubDate) always names a month: "Thu, 30 May 2019 14:55:00 +0300".
_RFC822 = re.compile(r"\d{1,2}\s[A-Za-z]{3}\s\d{4}\s\d{1,2}:\d{2}")
_DURATION = re.compile(r"(?P<amount>\d+)\s?(?P<unit>[mhdw])", re.IGNORECASE)
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# A day written out, as page date lines show it: "10 Feb 2024", "10 February 2024", "Feb. 10, 2024".
_NAMED_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b. %d, %Y")
_NAMED_MONTH = re.compile(r"(?:\d{1,2} [A-Za-z]{3,9} \d{4}|[A-Za-z]{3,9}\.? \d{1,2}, \d{4})")
# Unix time comes as 10 digits of seconds or 13 of milliseconds; others are no timestamp.
_UNIX_DIVISORS = {10: 1, 13: 1000}


def _from_clock_first(text: str) -> datetime | None:
    """Read the visible "HH:MM DD.MM.YYYY" form, as a wall-clock time."""
    match = _CLOCK_FIRST.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute = (int(match[key]) for key in ("year", "month", "day", "hour", "minute"))
    return datetime(year, month, day, hour, minute)


def _from_named_month(text: str) -> datetime | None:
    """Read a day written with its month's English name ("10 Feb 2024"), as the start of that day."""
    if not _NAMED_MONTH.fullmatch(text):
        return None
    for form in _NAMED_MONTH_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    return None


def is_written_out(value: object) -> bool:
    """Tell a day written with its month's name ("Jun 24, 2025") from a machine-written date."""
    return isinstance(value, str) and bool(_NAMED_MONTH.fullmatch(value.strip()))


def _zone_label(text: str) -> tuple[str, tzinfo | None]:
    """Split a "GMT+3" label off a date: the text without it, and the zone it names (None without a label)."""
    match = _ZONE_LABEL.search(text)
    if match is None:
        return text, None
    offset = timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
    zone = timezone(-offset if match["sign"] in ("-", "−") else offset) if offset else UTC
    return " ".join(f"{text[: match.start()]} {text[match.end() :]}".split()), zone


def _from_iso(text: str) -> datetime | None:
    """Read ISO 8601, incl. the compact "20260531T0044"."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _from_text(text: str, zone: tzinfo) -> datetime | None:
    """Try each textual format in turn; wall-clock times take the zone the text names, else the default zone."""
    if text.isdigit() and len(text) in _UNIX_DIVISORS:
        return datetime.fromtimestamp(int(text) / _UNIX_DIVISORS[len(text)], UTC)
    text, labelled = _zone_label(text)
    parsed = _from_iso(text) or _from_clock_first(text) or _from_named_month(text)
    if parsed is None and _RFC822.search(text):
        parsed = parsedate_to_datetime(text)
    if parsed is None or parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=labelled or zone)  # zoneinfo picks the offset valid on that day


def parse_datetime(value: object, default_tz: str = "UTC") -> datetime | None:
    """Parse a date or timestamp into an aware datetime; zone-less values get default_tz.

    >>> parse_datetime("21:17 18.11.2019", "Europe/Moscow").isoformat()
    '2019-11-18T21:17:00+03:00'
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    zone = ZoneInfo(default_tz)  # a bad zone name is a bug in the caller: let it raise
    text = normalize_text(value)
    if text is None:
        return None
    try:
        return _from_text(text, zone)
    except (ValueError, OverflowError, OSError):
        return None  # impossible dates and out-of-range timestamps


def to_iso8601(value: datetime | None) -> str | None:
    """Format an aware datetime as its UTC instant to the second; naive -> None.

    >>> to_iso8601(parse_datetime("2019-11-18T21:17:27+03:00"))
    '2019-11-18T18:17:27+00:00'
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_since(value: object, now: datetime) -> datetime | None:
    """Read the `since` argument: a duration before now ("24h", "7d") or a date.

    >>> parse_since("2d", datetime(2026, 11, 20, tzinfo=UTC)).isoformat()
    '2026-11-18T00:00:00+00:00'
    """
    text = normalize_text(value)
    if text is None and (value is None or isinstance(value, str)):
        return None  # the argument was not given
    duration = _DURATION.fullmatch(text or "")
    if duration:
        unit = _DURATION_UNITS[duration["unit"].lower()]
        try:
            return now - timedelta(**{unit: int(duration["amount"])})
        except (OverflowError, ValueError):  # past datetime.min, or more digits than int() reads
            raise ValueError(f"since={value!r} is too long a duration: it reaches back past the year 1") from None
    parsed = parse_datetime(text, "UTC")
    if parsed is None:
        raise ValueError(f"since={value!r} is neither a duration like 24h/90m/7d/2w nor a date")
    return parsed
