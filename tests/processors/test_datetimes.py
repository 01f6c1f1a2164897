import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newscrawl.processors.datetimes import parse_datetime, parse_since, to_iso8601

MOSCOW = "Europe/Moscow"


@pytest.mark.parametrize(
    ("value", "default_tz", "expected"),
    [
        (None, "UTC", None),
        ("", "UTC", None),
        ("   ", "UTC", None),
        ("\x00", "UTC", None),
        ("!!!", "UTC", None),
        (True, "UTC", None),
        (12.5, "UTC", None),
        (["2019-05-30"], "UTC", None),
        ("2019-13-45", "UTC", None),
        ("31.02.2019", "UTC", None),
        ("32:99 18.11.2019", "UTC", None),
        ("Thu, 31 Feb 2019 14:55:00 GMT", "UTC", None),
        ("123456789", "UTC", None),  # 9 digits: no timestamp form we know
        (10**30, "UTC", None),
        ("2019-11-18T21:17:27Z", MOSCOW, "2019-11-18T21:17:27+00:00"),
        ("2026-05-31T00:44:00+03:00 ", "UTC", "2026-05-30T21:44:00+00:00"),
        ("2022-02-25T13:15+0000", MOSCOW, "2022-02-25T13:15:00+00:00"),
        ("2019-11-18T21:17", MOSCOW, "2019-11-18T18:17:00+00:00"),
        ("2019-11-18T21:17", "UTC", "2019-11-18T21:17:00+00:00"),
        ("20260531T0044", MOSCOW, "2026-05-30T21:44:00+00:00"),
        ("20240217T145439", MOSCOW, "2024-02-17T11:54:39+00:00"),
        (1780177483, MOSCOW, "2026-05-30T21:44:43+00:00"),
        ("1780177483", MOSCOW, "2026-05-30T21:44:43+00:00"),
        ("1780177483123", "UTC", "2026-05-30T21:44:43+00:00"),
        ("21:17 18.11.2019", MOSCOW, "2019-11-18T18:17:00+00:00"),
        ("00:44 31.05.2026", MOSCOW, "2026-05-30T21:44:00+00:00"),
        ("14:00 GMT 03.07.2023", MOSCOW, "2023-07-03T14:00:00+00:00"),
        ("Thu, 30 May 2019 14:55:00 +0300", "UTC", "2019-05-30T11:55:00+00:00"),
        ("Thu, 30 May 2019 14:55:00 GMT", MOSCOW, "2019-05-30T14:55:00+00:00"),
        ("2019-05-30", MOSCOW, "2019-05-29T21:00:00+00:00"),
        ("2019-05-30", "UTC", "2019-05-30T00:00:00+00:00"),
        # Offsets come from the zone's history, not a fixed +3:
        ("2010-01-15T12:00", MOSCOW, "2010-01-15T09:00:00+00:00"),  # MSK +3 (winter)
        ("2010-07-15T12:00", MOSCOW, "2010-07-15T08:00:00+00:00"),  # MSD +4 (summer)
        ("2012-01-15T12:00", MOSCOW, "2012-01-15T08:00:00+00:00"),  # +4 all year 2011-2014
        ("2019-07-01T12:00", "Europe/Berlin", "2019-07-01T10:00:00+00:00"),
        # A zone the text names beside a wall-clock time beats the default zone:
        ("GMT+3", MOSCOW, None),
        ("14:00 GMT+99 03.07.2023", MOSCOW, None),  # no zone is a day or more from UTC
        ("UTC", MOSCOW, None),
        ("21:17 GMT+3 18.11.2019", "UTC", "2019-11-18T18:17:00+00:00"),
        ("21:17 18.11.2019 (GMT +3)", "UTC", "2019-11-18T18:17:00+00:00"),
        ("22:57  GMT 28.04.2020", MOSCOW, "2020-04-28T22:57:00+00:00"),
        ("14:00 UTC−05:30 03.07.2023", MOSCOW, "2023-07-03T19:30:00+00:00"),
        ("2013-08-22 21:43:53 UTC", MOSCOW, "2013-08-22T21:43:53+00:00"),
        ("2025-12-17UTC07:30:00+00:00", "UTC", None),  # no label inside a word: an unknown form, not a guess
        # A day written with its month's name, as date lines show it: the start of that day, in the site's zone
        ("10 Fob 2024", "UTC", None),
        ("31 Feb 2024", "UTC", None),
        ("Feb 2024", "UTC", None),
        ("Published On 10 Feb 2024", "UTC", None),  # the label is the layout selector's business
        ("10 Feb 2024", "Asia/Qatar", "2024-02-09T21:00:00+00:00"),
        ("10 February 2024", "UTC", "2024-02-10T00:00:00+00:00"),
        ("Feb. 10, 2024", "UTC", "2024-02-10T00:00:00+00:00"),
        ("February 10, 2024", "UTC", "2024-02-10T00:00:00+00:00"),
    ],
)
def test_parse_datetime(value, default_tz, expected):
    assert to_iso8601(parse_datetime(value, default_tz)) == expected


def test_parse_datetime_is_aware_in_the_default_zone():
    parsed = parse_datetime("21:17 18.11.2019", MOSCOW)
    assert parsed.utcoffset() == timedelta(hours=3)
    assert str(parsed.tzinfo) == MOSCOW


def test_parse_datetime_rejects_an_unknown_zone_loudly():
    with pytest.raises(KeyError):  # ZoneInfoNotFoundError: a bug in the caller
        parse_datetime("2019-05-30", "Mars/Olympus")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2019-11-18T21:17:27Z", None),  # a string is no datetime
        (datetime(2019, 11, 18, 21, 17, 27), None),  # naive: we never guess a zone
        (datetime(2019, 11, 18, 21, 17, 27, 999999, tzinfo=UTC), "2019-11-18T21:17:27+00:00"),
        (
            datetime(2019, 11, 18, 21, 17, 27, tzinfo=timezone(timedelta(hours=3))),
            "2019-11-18T18:17:27+00:00",
        ),
    ],
)
def test_to_iso8601(value, expected):
    assert to_iso8601(value) == expected


NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("24h", NOW - timedelta(hours=24)),
        ("90m", NOW - timedelta(minutes=90)),
        ("7d", NOW - timedelta(days=7)),
        ("2w", NOW - timedelta(weeks=2)),
        (" 7D ", NOW - timedelta(days=7)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
        ("2026-11-20T06:00:00+03:00", datetime(2026, 11, 20, 3, tzinfo=UTC)),
    ],
)
def test_parse_since(value, expected):
    assert parse_since(value, NOW) == expected


@pytest.mark.parametrize(
    "value",
    ["\x00x", "!!!", "soon", "5y", "24", "-2d", "2019-13-45", 42, True, "100000000d", "9999999999999w", "9" * 5000 + "m"],
)
def test_parse_since_fails_loudly_on_junk(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        parse_since(value, NOW)


@pytest.mark.parametrize("value", ["100000000d", "9999999999999w", "9" * 5000 + "m"])
def test_parse_since_says_a_duration_reaching_past_the_year_1_is_too_long(value):
    with pytest.raises(ValueError, match="too long a duration"):
        parse_since(value, NOW)
