"""`scrapy extract` on pages a user saved: bad manifest lines and oversized pages are reported, the rest printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, ROOT

pytestmark = pytest.mark.subprocess

PAGES = sorted((FIXTURE_SITE / "articles").glob("*.html"))[:2]


def extract(*args: str) -> subprocess.CompletedProcess:
    """Run `scrapy extract` of the project in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "extract", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def manifest_of(tmp_path: Path, *lines: str) -> Path:
    """Write a manifest of these lines into tmp_path."""
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return manifest


def page_line(page: Path) -> str:
    """A good manifest line for a saved page."""
    return json.dumps({"url": f"https://example.org/{page.stem}", "path": str(page)})


def sparse_page(path: Path, size: int) -> Path:
    """A page of `size` bytes that takes no room on disk (a sparse file)."""
    with path.open("wb") as file:
        file.truncate(size)
    return path


def test_bad_manifest_lines_are_reported_by_number_and_the_good_pages_still_printed(tmp_path):
    first, second = PAGES
    manifest = manifest_of(
        tmp_path,
        page_line(first),
        "{not json",
        json.dumps({"url": "https://example.org/no-path"}),
        json.dumps({"url": "https://example.org/gone", "path": "gone.html"}),
        page_line(second),
    )
    run = extract("--manifest", str(manifest))
    assert run.returncode == 1
    assert [json.loads(line)["fetched_url"] for line in run.stdout.splitlines()] == [
        f"https://example.org/{first.stem}", f"https://example.org/{second.stem}"
    ]
    problems = run.stderr.splitlines()
    assert len(problems) == 3 and "Traceback" not in run.stderr, run.stderr
    assert "line 2: not JSON" in problems[0]
    assert "line 3: " in problems[1] and '"path"' in problems[1]
    assert "line 4: " in problems[2] and "gone.html" in problems[2] and "No such file" in problems[2]


def test_a_page_over_the_page_limit_is_refused_by_its_size(tmp_path):
    huge = sparse_page(tmp_path / "huge.html", 50 * 1024 * 1024)
    run = extract(str(huge), "--url", "https://example.org/huge")
    assert run.returncode == 1 and run.stdout == ""
    [problem] = run.stderr.splitlines()
    assert str(huge) in problem and "DOWNLOAD_MAXSIZE=10485760" in problem


def test_the_page_limit_is_the_download_maxsize_setting(tmp_path):
    small = sparse_page(tmp_path / "small.html", 2000)
    refused = extract(str(small), "-s", "DOWNLOAD_MAXSIZE=1000")
    assert refused.returncode == 1 and "DOWNLOAD_MAXSIZE=1000" in refused.stderr
    accepted = extract(str(small), "-s", "DOWNLOAD_MAXSIZE=2000")
    assert accepted.returncode == 0 and json.loads(accepted.stdout)["fetched_url"] == small.resolve().as_uri()


def test_an_oversized_page_in_a_manifest_is_one_bad_line(tmp_path):
    first, second = PAGES
    limit = max(first.stat().st_size, second.stat().st_size)
    big = sparse_page(tmp_path / "big.html", limit + 1)
    big_line = json.dumps({"url": "https://example.org/big", "path": "big.html"})
    manifest = manifest_of(tmp_path, page_line(first), big_line, page_line(second))
    run = extract("--manifest", str(manifest), "-s", f"DOWNLOAD_MAXSIZE={limit}")
    assert run.returncode == 1
    assert len(run.stdout.splitlines()) == 2
    [problem] = run.stderr.splitlines()
    assert "line 2: " in problem and str(big) in problem and f"DOWNLOAD_MAXSIZE={limit}" in problem


def test_a_clean_manifest_exits_0(tmp_path):
    run = extract("--manifest", str(manifest_of(tmp_path, *map(page_line, PAGES))))
    assert run.returncode == 0 and run.stderr == "" and len(run.stdout.splitlines()) == 2
