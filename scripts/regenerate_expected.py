"""Regenerate fixtures/*/articles/<page>.json from the saved pages, with the crawler's own extraction.

Run after a deliberate extraction change, then review `git diff fixtures/` line by line before committing:
the expected files are the reviewed truth that tests/test_fixture_articles.py holds the extractor to. Every
fixture site (fixtures/*/site.json) is done. A record that contradicts its page's hand-written checks
(`<page>.checks.json`, outside its `known_gaps`; judged by scripts/hand_checks.py), or whose page has none, is not
written: the script names each field and exits 1.

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
from scripts.hand_checks import Disagreement, disagreements, fixed_gaps  # noqa: E402

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


def checks_of(path: Path) -> dict | None:
    """The hand checks written beside a saved page, None when nobody wrote them yet."""
    checks_path = path.with_name(path.stem + ".checks.json")
    return json.loads(checks_path.read_text(encoding="utf-8")) if checks_path.is_file() else None


def main() -> int:
    refused = 0
    for site_dir in sorted(p.parent for p in (ROOT / "fixtures").glob("*/site.json")):
        for path, url in sorted(article_pages(site_dir).items()):
            expected = path.with_suffix(".json")
            record, checks = extract_saved(path, url), checks_of(path)
            # an expected file nobody checked by hand is what this script must not produce
            found = disagreements(record, checks) if checks else [Disagreement("checks", f"no {path.stem}.checks.json")]
            if found:
                refused += 1
                print(f"NOT written {expected.relative_to(ROOT)}: contradicts its hand checks")
                for disagreement in found:
                    print(f"  {disagreement.field}: {disagreement.message}")
                continue
            expected.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {expected.relative_to(ROOT)}")
            for name in fixed_gaps(record, checks or {}):
                print(f"  known gap {name!r} now passes: remove it from known_gaps")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
