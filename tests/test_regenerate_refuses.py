"""scripts/regenerate_expected.py must not write a record its page's hand checks contradict.

Each row breaks the extraction of one page (monkeypatched, the way a wrong rule would) so that one kind of hand
check disagrees, and runs the script over a copy of the fixture site: the page's expected file must stay unwritten,
the script must name the field and exit 1, and the other pages must still be written as committed.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from scripts import regenerate_expected
from scripts.hand_checks import disagreements, fixed_gaps

SITE, PAGE = "ria", "chili-pozhary"
"""A page whose checks hold every kind: body words, dateline with its raw text, quotes, related, images, scalars."""


def changed(**fields):
    return lambda record: {**record, **fields}


def changed_body(change):
    return lambda record: {**record, "body": change(record["body"])}


def first_quote_speaker(speaker):
    return lambda record: {**record, "quotes": [{**record["quotes"][0], "speaker": speaker}, *record["quotes"][1:]]}


BREAKS = [
    ("every field None", dict.fromkeys, "url"),
    ("every field an empty string", lambda record: dict.fromkeys(record, ""), "url"),
    ("no quotes field", lambda record: {k: v for k, v in record.items() if k != "quotes"}, "quotes"),
    ("no body", changed(body=None), "body_first_words"),
    ("another body", changed_body(lambda body: "Lorem ipsum dolor sit amet."), "body_first_words"),
    ("last paragraph lost", changed_body(lambda body: body.rsplit("\n\n", 1)[0]), "body_last_words"),
    ("a sentence lost", changed_body(lambda body: body.replace("12 тысяч гектаров леса", "")), "body_must_contain"),
    ("furniture kept", changed_body(lambda body: body.replace("\n\n", "\n\nСамое читаемое\n\n", 1)), "body_must_not_contain"),
    ("dateline left in the body", changed(dateline=None), "dateline"),
    ("dateline raw text cut", lambda r: {**r, "dateline": {**r["dateline"], "raw": "БУЭНОС-АЙРЕС"}}, "dateline"),
    ("quote's speaker dropped", first_quote_speaker(None), "quotes"),
    ("quotes lost", changed(quotes=[]), "quotes"),
    ("related card lost", changed(related=[]), "related"),
    ("image credit lost", lambda r: {**r, "images": [{**r["images"][0], "credit": None}]}, "images"),
    ("headline with the site suffix", lambda r: {**r, "headline": r["headline"] + " - РИА Новости"}, "headline"),
    ("raw date trimmed", lambda r: {**r, "published_raw": r["published_raw"].strip()}, "published_raw"),
    ("date read from elsewhere", lambda r: {**r, "sources": {**r["sources"], "published": "meta"}}, "sources"),
    ("publisher from the site rules", changed(publisher="RIA Novosti"), "publisher"),
]


@pytest.fixture
def articles(tmp_path, monkeypatch):
    """A copy of the fixture site, which the script then regenerates instead of the real one."""
    shutil.copytree(ROOT / "fixtures" / SITE, tmp_path / "fixtures" / SITE)
    monkeypatch.setattr(regenerate_expected, "ROOT", tmp_path)
    return tmp_path / "fixtures" / SITE / "articles"


def committed(articles) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in articles.glob("*.json") if not path.name.endswith(".checks.json")}


@pytest.mark.parametrize("break_record, field", [row[1:] for row in BREAKS], ids=[row[0] for row in BREAKS])
def test_a_contradicted_record_is_not_written(articles, monkeypatch, capsys, break_record, field):
    extract = regenerate_expected.extract_saved
    monkeypatch.setattr(
        regenerate_expected,
        "extract_saved",
        lambda path, url: break_record(extract(path, url)) if path.stem == PAGE else extract(path, url),
    )
    before = committed(articles)
    (articles / f"{PAGE}.json").unlink()

    assert regenerate_expected.main() == 1
    assert not (articles / f"{PAGE}.json").exists()
    assert f"\n  {field}: " in capsys.readouterr().out
    assert committed(articles) == {name: data for name, data in before.items() if name != f"{PAGE}.json"}


def test_a_page_without_hand_checks_is_not_written(articles, capsys):
    (articles / f"{PAGE}.checks.json").unlink()
    (articles / f"{PAGE}.json").unlink()
    assert regenerate_expected.main() == 1
    assert not (articles / f"{PAGE}.json").exists()
    assert "no chili-pozhary.checks.json" in capsys.readouterr().out


def test_unbroken_extraction_rewrites_the_committed_files(articles):
    before = committed(articles)
    assert regenerate_expected.main() == 0
    assert committed(articles) == before


@pytest.mark.parametrize(
    "record, checks, expected, fixed",
    [
        ({"headline": None}, {"headline": "A"}, ["headline"], []),
        ({"headline": "B"}, {"headline": "A", "known_gaps": {"headline": "why"}}, [], []),
        ({"headline": "A"}, {"headline": "A", "known_gaps": {"headline": "why"}}, [], ["headline"]),
        ({"headline": "A"}, {"headline": "A", "known_gaps": {"headline_typo": "why"}}, [], ["headline_typo"]),
        ({"headline": "A", "body": "x"}, {"body_must_contian": ["x"]}, ["body_must_contian"], []),
        ({"url": "u", "body": "x", "lead": "y"}, {"url": "u", "lead": None, "expect_dropped": True}, ["body"], []),
        ({"url": "u", "body": None, "lead": "y"}, {"url": "u", "lead": None, "expect_dropped": True}, [], []),
        ({"sources": {"body": "layout", "lead": "meta"}}, {"sources": {"body": "layout"}}, [], []),
        ({"sources": {"body": "layout", "lead": "meta"}}, {"sources": {"lead": None}}, ["sources"], []),
        ({"related": [{"url": "u"}]}, {"related": None}, [], []),
        ({"related": [{"url": "u"}]}, {}, ["related"], []),
    ],
)
def test_what_the_hand_checks_say(record, checks, expected, fixed):
    """Known gaps are no disagreement but must still fail; a dropped page's checks are url, headline and no body;
    a dict checks the keys it lists; related/images absent mean none, null means unchecked; a typo is caught."""
    record = {"related": [], "images": [], **record}
    assert [d.field for d in disagreements(record, checks)] == expected
    assert fixed_gaps(record, checks) == fixed
