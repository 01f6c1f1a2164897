import pytest

from newscrawl.processors.normalize import (
    content_hash,
    is_title_case,
    join_paragraphs,
    normalize_each,
    normalize_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   \n\t ", None),
        ("\x00", None),
        (42, None),
        (["a"], None),
        ("!!!", "!!!"),
        ("  Lu Kang  said ", "Lu Kang said"),
        ("first\n\nsecond\r\nthird", "first second third"),
        ("a\u00a0b\u2009c\u202fd\u2002e\u3000f", "a b c d e f"),
        ("Hua\u200bwei\u200c\u200d\u2060\ufeff", "Huawei"),
        ("co\u00adoperation", "cooperation"),
        ("e\u0301", "\u00e9"),  # NFC composes the accent
        ("bell\x07 ring", "bell ring"),
    ],
)
def test_normalize_text(value, expected):
    assert normalize_text(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, []),
        ("", []),
        (42, []),
        ([None, 42, "", " \u200b "], []),
        (" one ", ["one"]),  # a lone string is one value, not letters
        (("a ", None, "b"), ["a", "b"]),
        ((text for text in ["x", "y"]), ["x", "y"]),
    ],
)
def test_normalize_each(values, expected):
    assert normalize_each(values) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (None, None),
        ("", None),
        (42, None),
        ([None, "", "  "], None),
        ("Just one.", "Just one."),
        (["First\nline.", None, "Second  one."], "First line.\n\nSecond one."),
    ],
)
def test_join_paragraphs(paragraphs, expected):
    assert join_paragraphs(paragraphs) == expected


HELLO_HASH = "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        (" \n ", None),
        (42, None),
        ("hello world", HELLO_HASH),
        ("  Hello\n\n  WORLD\u00a0", HELLO_HASH),
        ("Hello\u200b world", HELLO_HASH),
    ],
)
def test_content_hash(text, expected):
    assert content_hash(text) == expected


def test_content_hash_differs_for_other_words():
    assert content_hash("hello worlds") != content_hash("hello world")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("!!! ???", False),
        (42, False),
        ("Huawei Pushes Ahead", False),  # too short to tell
        ("Huawei Pushes Ahead With Trademarks for Own OS in Europe Amid US Crackdown", True),
        ("US Trying 'All Possible Means' to Blame Huawei Without Giving Evidence - China", True),
        ("Chinese Foreign Ministry spokesman Lu Kang said Thursday.", False),
        ("Beijing has firmly denied those allegations.", False),
    ],
)
def test_is_title_case(value, expected):
    assert is_title_case(value) is expected
