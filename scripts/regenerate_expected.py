"""Regenerate fixtures/*/articles/<page>.json from the saved pages, with the crawler's own extraction.

Run after a deliberate extraction change, then review `git diff fixtures/` line by line before committing:
the expected files are the reviewed truth that tests/test_fixture_articles.py holds the extractor to. Every
fixture site (fixtures/*/site.json) is done. A record that contradicts its page's hand-written checks
(`<page>.checks.json`, outside its `known_gaps`) is not written: the script names the field and exits 1.

    python scripts/regenerate_expected.py
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.extraction.article import extract_article  # noqa: E402

# crawled_at is the only field that depends on the clock; pin it so the files are stable
FIXED_NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def article_pages(site_dir: Path) -> dict[Path, str]:
    """Map each saved article page of a fixture site to the first URL it is served at."""
    manifest = json.loads((site_dir / "site.json").read_text(encoding="utf-8"))
    pages: dict[Path, str] = {}
    for entry in manifest["responses"]:
        file = entry.get("file", "")
        if file.startswith("articles/") and file.endswith(".html"):
            pages.setdefault(site_dir / file, entry["url"])
    return pages


def extract_saved(path: Path, url: str) -> dict:
    """Extract a saved page exactly as the crawler does, at the pinned time."""
    response = HtmlResponse(url=url, body=path.read_bytes())
    return ItemAdapter(extract_article(response.selector, url, now=FIXED_NOW)).asdict()


HAND_CHECKED = ("url", "section", "layout", "headline", "article_id", "published", "modified", "authors", "tags")


def contradicted(record: dict, checks_path: Path) -> list[str]:
    """Name the hand-checked fields the record contradicts (those listed as known gaps aside)."""
    if not checks_path.is_file():
        return []
    checks = json.loads(checks_path.read_text(encoding="utf-8"))
    fields = [f for f in HAND_CHECKED if f in checks and f not in checks.get("known_gaps", {})]
    if checks.get("expect_dropped"):
        fields = [f for f in fields if f in ("url", "headline")]
    return [f for f in fields if record.get(f) != checks[f]]


def main() -> int:
    refused = 0
    for site_dir in sorted(p.parent for p in (ROOT / "fixtures").glob("*/site.json")):
        for path, url in sorted(article_pages(site_dir).items()):
            expected = path.with_suffix(".json")
            record = extract_saved(path, url)
            if fields := contradicted(record, path.with_name(path.stem + ".checks.json")):
                refused += 1
                print(f"NOT written {expected.relative_to(ROOT)}: contradicts its hand checks on {', '.join(fields)}")
                continue
            expected.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {expected.relative_to(ROOT)}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
