"""The README stays true: its field table is the schema's, and every project path it names exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from newscrawl.pipelines.validation import load_schema
from scripts import schema_table
from scripts.schema_table import BEGIN, END, cell, render_table, type_text, with_table

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# A project path in the README: it starts at one of these folders, not inside another path or a URL
# ("/srv/newscrawl/…"); its parts are names, `<site>`-style placeholders match any name; a version such as
# "newscrawl/0.1" (the user agent) is no path.
# a quoted 'newscrawl/…' is a stats key, not a path; newscrawl.egg-info is what setuptools leaves, not a module
PATH = re.compile(r"(?<![\w/.:~'-])(?:newscrawl|tests|scripts|benchmarks|fixtures)(?:(?:/[A-Za-z_<][\w.<>-]*)+/?|/)")
MODULE = re.compile(r"(?<![\w/.:~-])newscrawl(?!\.egg)(?:\.[A-Za-z_]\w*)+")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def table_fields(text: str) -> list[str]:
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, re.M)


def test_the_field_table_is_the_one_the_schema_gives():
    text = readme()
    assert text == with_table(text, render_table(schema_table.load_schema())), (
        "README.md's field table is out of date: run `python scripts/schema_table.py`"
    )


def test_every_schema_property_is_in_the_table_in_order():
    assert table_fields(readme()) == list(load_schema()["properties"])


def test_every_project_path_the_readme_names_exists():
    paths = {match.rstrip(".") for match in PATH.findall(readme())}
    assert len(paths) > 30, sorted(paths)  # the pattern still finds the paths
    missing = [path for path in sorted(paths) if not list(ROOT.glob(re.sub(r"<[^>]*>", "*", path.rstrip("/"))))]
    assert missing == []


def test_every_module_file_of_the_architecture_diagram_exists():
    diagram = readme().split("## Architecture\n", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    files = set(re.findall(r"(?<![\w/.])[\w/]+\.py\b", diagram))  # relative to newscrawl/: spiders/section.py, health.py
    assert len(files) > 5, sorted(files)
    assert [name for name in sorted(files) if not list((ROOT / "newscrawl").glob(f"**/{name.removeprefix('newscrawl/')}"))] == []


def test_every_module_the_readme_names_exists():
    names = set(MODULE.findall(readme()))
    assert names
    missing = [name for name in sorted(names) if not resolves(name)]
    assert missing == []


def resolves(dotted: str) -> bool:
    """A module, or an attribute of one: `newscrawl.warc.archive.iter_warc_responses`."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


OBJECT = {"type": "object", "properties": {"text": {"type": "string"}, "speaker": {"type": ["string", "null"]}}}


@pytest.mark.parametrize(
    "schema, expected",
    [
        (None, ValueError),
        ("", ValueError),
        ("string", ValueError),
        ([], ValueError),
        ({}, "any"),
        ({"description": "anything"}, "any"),
        ({"type": "frob"}, ValueError),
        ({"type": ["string", "frob"]}, ValueError),
        ({"type": []}, ValueError),
        ({"type": 5}, ValueError),
        ({"enum": []}, ValueError),
        ({"enum": "rules"}, ValueError),
        ({"type": "array", "items": None}, ValueError),
        ({"type": "string"}, "string"),
        ({"type": "string", "pattern": "^https?://"}, "string"),
        ({"type": ["string", "null"]}, "string | null"),
        ({"type": "integer", "minimum": 1}, "integer"),
        ({"type": "boolean"}, "boolean"),
        ({"const": "1.5"}, '"1.5"'),
        ({"const": None}, "null"),
        ({"enum": ["rules", "fallback"]}, '"rules" | "fallback"'),
        ({"enum": ["meta", None]}, '"meta" | null'),
        ({"type": "array"}, "list"),
        ({"type": "array", "items": {"type": "string", "minLength": 1}}, "list of string"),
        ({"type": "array", "items": {"type": ["string", "null"]}}, "list of (string | null)"),
        ({"type": "array", "items": OBJECT}, "list of {text, speaker}"),
        ({**OBJECT, "type": ["object", "null"]}, "{text, speaker} | null"),
        ({"type": "object", "additionalProperties": {"enum": ["meta", "url"]}}, '{name → "meta" | "url"}'),
        ({"type": "object"}, "object"),
        ({"type": "object", "properties": {}}, "object"),
    ],
)
def test_type_text(schema, expected):
    if isinstance(expected, type):
        with pytest.raises(expected):
            type_text(schema)
    else:
        assert type_text(schema) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ""),
        ("string | null", "string \\| null"),
        ("two\nlines", "two lines"),
        ("`<title>` or <title>", "`<title>` or &lt;title>"),
    ],
)
def test_cell(text, expected):
    assert cell(text) == expected


@pytest.mark.parametrize(
    "schema",
    [
        None,
        {},
        {"properties": {}},
        {"properties": {"url": {"type": "string"}}},
        {"properties": {"url": {"type": "string", "description": " "}}},
        {"properties": {"url": None}},
    ],
)
def test_a_schema_without_described_properties_is_refused(schema):
    with pytest.raises(ValueError):
        render_table(schema)


def test_render_table():
    schema = {"properties": {"url": {"type": "string", "description": "Where | it is."}}}
    assert render_table(schema) == "| field | type | description |\n|---|---|---|\n| `url` | string | Where \\| it is. |\n"


@pytest.mark.parametrize("text", ["", "no markers", f"{BEGIN}\nno end", f"{END}\n{BEGIN}\n", f"{BEGIN}\n{END}\n{BEGIN}\n{END}"])
def test_a_readme_without_one_pair_of_markers_is_refused(text):
    with pytest.raises(ValueError):
        with_table(text, "| table |\n")


def test_check_fails_on_a_stale_readme_and_the_rewrite_fixes_it(tmp_path, capsys):
    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n\n{BEGIN}\n| old |\n{END}\n\nafter\n", encoding="utf-8")
    assert schema_table.main(["--check", "--readme", str(stale)]) == 1
    assert "run `python scripts/schema_table.py`" in capsys.readouterr().err
    assert schema_table.main(["--readme", str(stale)]) == 0
    assert schema_table.main(["--check", "--readme", str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith(f"# x\n\n{BEGIN}\n\n| field | type | description |") and text.endswith(f"{END}\n\nafter\n")
    assert table_fields(text) == list(load_schema()["properties"])
