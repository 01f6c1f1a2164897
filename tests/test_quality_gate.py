"""The extraction quality gate: scores on the hand-checked gold set (tests/gold/) must not fall below their floors.

The floors are tests/gold/floors.json, written by `python scripts/evaluate.py --write-floors` (the overall
scores rounded down). A change that lowers a score fails here; one that raises it should raise the floor.
The scoring functions are tested below on tables that start with bad input.
"""

from __future__ import annotations

import doctest
import json
from collections import Counter
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from scripts import evaluate
from scripts.evaluate import (
    authors_match,
    floor2,
    headline_match,
    name_key,
    precision_recall_f1,
    published_match,
    quotes_found,
    related_found,
    shingles,
    words,
)

PAGES = evaluate.gold_pages()


@pytest.fixture(scope="module")
def scores():
    return evaluate.evaluate()["overall"]


@pytest.mark.parametrize("metric", evaluate.METRICS)
def test_overall_score_holds_its_floor(scores, metric):
    floors = json.loads(evaluate.FLOORS.read_text(encoding="utf-8"))
    assert metric in floors, f"no floor for {metric}: run python scripts/evaluate.py --write-floors"
    assert scores[metric] >= floors[metric], (
        f"{metric} fell to {scores[metric]:.3f}, below its floor {floors[metric]}: "
        "python scripts/evaluate.py shows which pages lost it"
    )


def test_gold_set_has_many_sites():
    sites = {page["name"].split("/")[0] for page in PAGES}
    assert len(PAGES) >= 16
    assert len(sites - {"sputnik", "sputnik-redesign"}) >= 8


# --- the gold values come from the page they describe ---------------------------------------------------------

def page_words(html: bytes) -> str:
    """The words of a page's visible text, space-joined (no head, scripts or styles)."""
    tree = lxml.html.fromstring(html)
    for hidden in tree.xpath("//head | //script | //style"):
        hidden.drop_tree()
    return " ".join(words(" ".join(tree.itertext())))


def page_links(html: bytes, url: str) -> set[str]:
    """The page's link targets, absolute, without query or fragment."""
    tree = lxml.html.fromstring(html)
    return {strip_query(urljoin(url, href)) for href in tree.xpath("//a/@href")}


def strip_query(url: str) -> str:
    return urlsplit(url)._replace(query="", fragment="").geturl()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page["name"])
def test_gold_is_written_from_the_page(page):
    html, gold = page["html"].read_bytes(), page["gold"]
    assert set(gold) == {"headline", "published", "authors", "body", "quotes", "related"}
    text = page_words(html)
    assert " ".join(words(gold["headline"])) in text, "headline not on the page"
    for paragraph in gold["body"].split("\n\n"):
        assert " ".join(words(paragraph)) in text, f"body paragraph not on the page: {paragraph[:60]!r}"
    body = " ".join(words(gold["body"]))
    for quote in gold["quotes"]:
        assert " ".join(words(quote["text_starts"])) in body, f"quote not in the body: {quote['text_starts']!r}"
    links = page_links(html, page["url"])
    for url in gold["related"]:
        assert strip_query(url) in links, f"related URL not linked from the page: {url}"
    assert evaluate.parse_when(gold["published"]) is not None, "published: ISO 8601 with an offset, or a date"


# --- scoring functions ----------------------------------------------------------------------------------------

def test_doctests():
    assert doctest.testmod(evaluate).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, []),
        ("", []),
        (42, []),
        ("!!! --- …", []),
        ("Hello,  World!", ["hello", "world"]),
        ("state-owned 8-7", ["stateowned", "87"]),
        ("“Quoted” city’s", ["quoted", "citys"]),
        ("Ａ\u00a0B", ["a", "b"]),
        ("„Wölfe“ — Наука!", ["wölfe", "наука"]),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, Counter()),
        ("", Counter()),
        ("?!", Counter()),
        ("one", Counter({("one",): 1})),
        ("one two three", Counter({("one", "two", "three"): 1})),
        ("one two three four", Counter({("one", "two", "three", "four"): 1})),
        ("a b c d e", Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})),
        ("a b c d a b c d", Counter({("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1,
                                    ("d", "a", "b", "c"): 1})),
    ],
)
def test_shingles(text, expected):
    assert shingles(text) == expected


TEXT = "one two three four five six seven eight"


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, (1.0, 1.0, 1.0)),
        ("", "", (1.0, 1.0, 1.0)),
        ("", "junk text here", (0.0, 0.0, 0.0)),
        (TEXT, None, (0.0, 0.0, 0.0)),
        (TEXT, "", (0.0, 0.0, 0.0)),
        (TEXT, 42, (0.0, 0.0, 0.0)),
        (TEXT, TEXT, (1.0, 1.0, 1.0)),
        (TEXT, TEXT.upper() + "!", (1.0, 1.0, 1.0)),
        (TEXT, "nothing in common at all here", (0.0, 0.0, 0.0)),
        ("one two three four five", "one two three four", (1.0, 0.5, 2 / 3)),
        ("one two three four", "one two three four five", (0.5, 1.0, 2 / 3)),
        ("short", "short", (1.0, 1.0, 1.0)),
    ],
)
def test_precision_recall_f1(gold, extracted, expected):
    assert precision_recall_f1(gold, extracted) == pytest.approx(expected)


def test_repeated_text_lowers_precision():
    precision, recall, _ = precision_recall_f1(TEXT, f"{TEXT} {TEXT}")
    assert recall == 1.0 and precision < 0.6


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, 1.0),
        ("", None, 1.0),
        ("Title", None, 0.0),
        ("Title", 42, 0.0),
        ("Title", "  Title\n", 1.0),
        ("A\u00a0B", "A B", 1.0),
        ("Title", "title", 0.0),
        ("Title", "Title - Site Name", 0.0),
    ],
)
def test_headline_match(gold, extracted, expected):
    assert headline_match(gold, extracted) == expected


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, 1.0),
        ("", None, 1.0),
        ("", "2026-11-27T07:15:00+00:00", 0.0),
        ("2026-11-27T10:15:00+03:00", None, 0.0),
        ("2026-11-27T10:15:00+03:00", "junk", 0.0),
        ("junk", "2026-11-27T07:15:00+00:00", 0.0),
        ("2026-11-27T10:15:00", "2026-11-27T07:15:00+00:00", 0.0),  # a gold time without offset is no instant
        ("2026-11-27T10:15:00+03:00", "2026-11-27T10:15:00", 0.0),
        ("2026-11-27T10:15:00+03:00", "2026-11-27T07:15:00+00:00", 1.0),
        ("2026-11-27T10:15:00+03:00 ", "2026-11-27T07:15:59+00:00", 1.0),
        ("2026-11-27T10:15:00+03:00", "2026-11-27T07:16:00+00:00", 0.0),
        ("2026-11-27T10:15:00+03:00", "2026-11-27T10:15:00+00:00", 0.0),
        ("2026-11-27T04:12:33Z", "2026-11-27T04:12:00+00:00", 1.0),
        ("2026-11-27", "2026-11-27T00:00:00+00:00", 1.0),
        ("2026-11-27", "2026-11-26T10:00:00+00:00", 1.0),  # 00:00 on the 27th at UTC+14
        ("2026-11-27", "2026-11-26T09:59:00+00:00", 0.0),
        ("2026-11-27", "2026-11-28T11:59:00+00:00", 1.0),  # 23:59 on the 27th at UTC-12
        ("2026-11-27", "2026-11-28T12:00:00+00:00", 0.0),
    ],
)
def test_published_match(gold, extracted, expected):
    assert published_match(gold, extracted) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [(None, None), ("", None), (42, None), ("Dr", "dr"), ("  Dr  Imran Qureshi ", "imran qureshi"),
     ("Datuk Ahmad Faizal Hassan", "ahmad faizal hassan"), ("Cr. Aroha Tipene", "aroha tipene")],
)
def test_name_key(name, expected):
    assert name_key(name) == expected


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, 1.0),
        ([], None, 1.0),
        ([], [], 1.0),
        ([], ["Sputnik"], 0.0),
        (["Lu Kang"], "Lu Kang", 0.0),
        (["Lu Kang"], [None, 42, ""], 0.0),
        (["Lu Kang"], [], 0.0),
        (["A B", "C D"], ["c d", "A  B", "A B"], 1.0),
        (["A B", "C D"], ["A B"], 0.0),
    ],
)
def test_authors_match(gold, extracted, expected):
    assert authors_match(gold, extracted) == expected


KANG = {"text_starts": "We would very much like", "speaker": "Lu Kang"}


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, 0),
        ([], None, 0),
        ([KANG], None, 0),
        ([KANG], "junk", 0),
        ([KANG], [None, "text", {}], 0),
        (["junk", None], [{"text": "junk", "speaker": None}], 0),
        ([KANG], [{"text": "“We would very much like the US…”", "speaker": "Lu Kang"}], 1),
        ([KANG], [{"text": "We would very much like the US", "speaker": None}], 0),
        ([KANG], [{"text": "We would", "speaker": "Lu Kang"}], 0),
        ([KANG], [{"text": "Recently, we would very much like", "speaker": "Lu Kang"}], 0),
        ([{"text_starts": "Chinese buyers", "speaker": None}], [{"text": "Chinese buyers have", "speaker": None}], 1),
        ([{"text_starts": "", "speaker": None}], [{"text": "", "speaker": None}], 0),
        ([KANG, KANG], [{"text": "We would very much like it", "speaker": "lu  kang"}], 2),
    ],
)
def test_quotes_found(gold, extracted, expected):
    assert quotes_found(gold, extracted) == expected


URL = "https://ria.ru/20261120/meteory-2096011234.html"


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        (None, None, 0),
        ([], [], 0),
        ([URL], None, 0),
        ([URL], [None, URL, {"url": None}], 0),
        ([URL], [{"url": URL + "?in=t"}], 0),
        ([URL, ""], [{"url": URL, "title": "t", "kind": "card"}], 1),
        ([URL, URL.replace("2026", "2025")], [{"url": URL}], 1),
    ],
)
def test_related_found(gold, extracted, expected):
    assert related_found(gold, extracted) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0.0, 0.0), (0.29, 0.29), (0.8899999, 0.88), (0.999, 0.99), (1.0, 1.0)]
)
def test_floor2_rounds_down_so_an_equal_score_passes(value, expected):
    assert floor2(value) == expected
    assert value >= floor2(value)


def test_overall_counts_quotes_and_links_across_pages():
    rows = [
        {name: 1.0 for name in evaluate.PAGE_MEAN_METRICS} | {"quotes_found": 0, "quotes_total": 0,
                                                            "related_found": 1, "related_total": 4},
        {name: 0.0 for name in evaluate.PAGE_MEAN_METRICS} | {"quotes_found": 1, "quotes_total": 2,
                                                            "related_found": 0, "related_total": 0},
    ]
    scores = evaluate.overall(rows)
    assert scores["body_f1"] == 0.5 and scores["headline"] == 0.5
    assert scores["quotes_recall"] == 0.5 and scores["related_recall"] == 0.25
