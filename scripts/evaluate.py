"""Score the crawler's extraction against the hand-checked gold set in tests/gold/ (the quality gate).

Every page listed in tests/gold/pages.jsonl is extracted exactly as the crawler extracts it
(`extract_saved` of scripts/regenerate_expected.py) and compared with the `<name>.gold.json` beside it:

    body            precision, recall and F1 over word 4-gram shingles (see `words` and `shingles`)
    headline        1 if equal after whitespace normalization, else 0
    published       1 if the same instant to the minute (a date-only gold value: see `published_match`), else 0
    authors         1 if the same set of names (see `name_key`), else 0
    quotes_recall   share of gold quotes found: a record quote starting with the gold words, same speaker
    related_recall  share of gold related URLs among the record's related URLs

Body normalization: the text is NFKC-normalized, every character of Unicode category P* (punctuation) or
S* (symbols) is deleted, not replaced by a space ("state-owned" → "stateowned", "city’s" → "citys"), the rest
is case-folded and split on whitespace. The shingles are every run of 4 consecutive words, counted as a
multiset (so repeated text lowers precision); a text of fewer than 4 words is one shingle. Paragraph breaks
play no part. Both texts empty score 1; one empty scores 0.

Overall scores: the mean over pages for body, headline, published and authors; for quotes and related, found
over expected across the whole set (pages without gold quotes or links do not count as perfect scores).

    python scripts/evaluate.py                 # a table per page, then the overall scores
    python scripts/evaluate.py --json          # the same as JSON
    python scripts/evaluate.py --write-floors  # tests/gold/floors.json := the overall scores rounded down

tests/test_quality_gate.py fails when an overall score falls below its floor. Raise the floors (run with
--write-floors and review the diff) after an extraction change that improves them.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.regenerate_expected import extract_saved  # noqa: E402

GOLD_MANIFEST = ROOT / "tests" / "gold" / "pages.jsonl"
FLOORS = ROOT / "tests" / "gold" / "floors.json"
SHINGLE_SIZE = 4
METRICS = (
    "body_precision", "body_recall", "body_f1", "headline", "published", "authors", "quotes_recall",
    "related_recall",
)
PAGE_MEAN_METRICS = METRICS[:6]
# Titles in front of a name are not part of it: "Dr Imran Qureshi", "Cr Aroha Tipene", "Datuk Ahmad Faizal Hassan"
NAME_TITLES = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|cr|datuk|dato|seri|tan sri)\.?\s+)+")
# A gold date without a time is a calendar day somewhere on Earth, from UTC+14 to UTC-12
EARLIEST_ZONE, LATEST_ZONE = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))


def words(text: object) -> list[str]:
    """Split text into comparable words: NFKC, punctuation and symbols removed, lower-cased.

    >>> words("“Huawei’s 5G-network,” he said — 40%!")
    ['huaweis', '5gnetwork', 'he', 'said', '40']
    """
    if not isinstance(text, str):
        return []
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PS")
    return kept.casefold().split()


def shingles(text: object, size: int = SHINGLE_SIZE) -> Counter:
    """Count the text's overlapping runs of `size` words; a shorter text is one run of all its words.

    >>> shingles("the cat sat on the mat") == Counter({("the", "cat", "sat", "on"): 1, ("cat", "sat", "on", "the"): 1,
    ...                                               ("sat", "on", "the", "mat"): 1})
    True
    """
    tokens = words(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def precision_recall_f1(gold: object, extracted: object) -> tuple[float, float, float]:
    """Compare two texts as multisets of shingles; both empty is a perfect score, one empty scores zero.

    >>> precision_recall_f1("one two three four five", "one two three four")
    (1.0, 0.5, 0.6666666666666666)
    """
    expected, found = shingles(gold), shingles(extracted)
    if not expected or not found:
        score = float(not expected and not found)
        return score, score, score
    common = sum((expected & found).values())
    precision, recall = common / sum(found.values()), common / sum(expected.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def squash(text: object) -> str:
    """Normalize whitespace (NBSP and other spaces included) to single spaces, trimmed.

    >>> squash("  Lu\\u00a0Kang\\n said ")
    'Lu Kang said'
    """
    return " ".join(text.split()) if isinstance(text, str) else ""


def headline_match(gold: object, extracted: object) -> float:
    """1.0 if the headlines are equal after whitespace normalization, else 0.0."""
    return float(squash(gold) == squash(extracted))


def parse_when(value: object) -> datetime | date | None:
    """Read an ISO 8601 date-time with an offset, or a bare date; anything else (also a naive time) is None.

    >>> parse_when("2026-11-27T10:15:00+03:00 ")
    datetime.datetime(2026, 11, 27, 10, 15, tzinfo=datetime.timezone(datetime.timedelta(seconds=10800)))
    >>> parse_when("2026-11-27")
    datetime.date(2026, 11, 27)
    """
    text = squash(value)
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None


def published_match(gold: object, extracted: object) -> float:
    """1.0 if the record's date is the gold instant to the minute, or falls on a date-only gold day.

    Instants are compared in UTC with the seconds dropped. A gold day matches any instant that is on that
    day in some time zone (UTC-12 to UTC+14), since a URL's date says nothing about the zone.
    """
    if not squash(gold):
        return float(not squash(extracted))
    expected, found = parse_when(gold), parse_when(extracted)
    if not isinstance(found, datetime) or expected is None:
        return 0.0
    if not isinstance(expected, datetime):
        start = datetime.combine(expected, time(), EARLIEST_ZONE)
        end = datetime.combine(expected + timedelta(days=1), time(), LATEST_ZONE)
        return float(start <= found < end)
    return float(to_minute(expected) == to_minute(found))


def to_minute(instant: datetime) -> datetime:
    """The UTC minute an instant falls in."""
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


def name_key(name: object) -> str | None:
    """Compare names case-blind, whitespace-normalized, without a leading title; no name is None.

    >>> name_key("  Dr  Imran Qureshi")
    'imran qureshi'
    """
    key = NAME_TITLES.sub("", squash(name).casefold())
    return key or None


def authors_match(gold: object, extracted: object) -> float:
    """1.0 if both name the same set of people (order, case, duplicates and titles aside), else 0.0."""
    return float(name_set(gold) == name_set(extracted))


def name_set(names: object) -> set[str]:
    """The set of name keys in a list of names."""
    return {key for key in map(name_key, items(names, str)) if key}


def items(value: object, kind: type) -> list:
    """The elements of a list that are of this type; anything but a list holds none."""
    return [item for item in value if isinstance(item, kind)] if isinstance(value, list) else []


def quotes_found(gold: object, extracted: object) -> int:
    """Count gold quotes matched by a record quote that starts with the gold words and has the same speaker."""
    quotes = items(extracted, dict)
    return sum(any(quote_matches(expected, quote) for quote in quotes) for expected in items(gold, dict))


def quote_matches(expected: dict, quote: dict) -> bool:
    """Tell whether a record quote is the gold quote: its words start with the gold words, same speaker."""
    start = words(expected.get("text_starts"))
    same_speaker = name_key(expected.get("speaker")) == name_key(quote.get("speaker"))
    return bool(start) and words(quote.get("text"))[: len(start)] == start and same_speaker


def related_found(gold: object, extracted: object) -> int:
    """Count gold related URLs present among the record's related links."""
    urls = {squash(link.get("url")) for link in items(extracted, dict)}
    return sum(squash(url) in urls for url in items(gold, str) if squash(url))


def score_page(gold: dict, record: dict) -> dict:
    """Score one record against its gold values."""
    precision, recall, f1 = precision_recall_f1(gold.get("body"), record.get("body"))
    return {
        "body_precision": precision,
        "body_recall": recall,
        "body_f1": f1,
        "headline": headline_match(gold.get("headline"), record.get("headline")),
        "published": published_match(gold.get("published"), record.get("published")),
        "authors": authors_match(gold.get("authors"), record.get("authors")),
        "quotes_found": quotes_found(gold.get("quotes"), record.get("quotes")),
        "quotes_total": len(gold.get("quotes") or []),
        "related_found": related_found(gold.get("related"), record.get("related")),
        "related_total": len(gold.get("related") or []),
    }


def gold_pages(manifest: Path = GOLD_MANIFEST) -> list[dict]:
    """Read the manifest: each page's URL, HTML path and gold values."""
    pages = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            html = manifest.parent / entry["path"]
            # a page shared with the fixture site is not copied: its gold file is named in the entry
            gold_name = entry.get("gold", entry["path"].removesuffix(".html") + ".gold.json")
            gold = json.loads((manifest.parent / gold_name).read_text(encoding="utf-8"))
            name = gold_name.removesuffix(".gold.json")
            pages.append({"name": name, "url": entry["url"], "html": html, "gold": gold})
    return pages


def evaluate(manifest: Path = GOLD_MANIFEST) -> dict:
    """Extract every gold page as the crawler does and score it; return per-page and overall scores."""
    rows = []
    for page in gold_pages(manifest):
        row = {"page": page["name"], "error": None}
        try:
            record = extract_saved(page["html"], page["url"])
        except Exception as error:
            record, row["error"] = {}, f"{type(error).__name__}: {error}"
        row |= {"extraction": record.get("extraction"), "layout": record.get("layout")}
        rows.append(row | score_page(page["gold"], record))
    return {"pages": rows, "overall": overall(rows)}


def overall(rows: list[dict]) -> dict:
    """Mean of the per-page scores; quotes and related as found over expected across all pages."""
    scores = {name: sum(row[name] for row in rows) / len(rows) if rows else 0.0 for name in PAGE_MEAN_METRICS}
    for name in ("quotes", "related"):
        total = sum(row[f"{name}_total"] for row in rows)
        scores[f"{name}_recall"] = sum(row[f"{name}_found"] for row in rows) / total if total else 1.0
    return scores


def floor2(value: float) -> float:
    """Round down to 2 decimals, so that a later equal score is not below its floor.

    >>> floor2(0.8899999), floor2(0.29), floor2(1.0)
    (0.88, 0.29, 1.0)
    """
    return math.floor(value * 100 + 1e-9) / 100


def write_floors(scores: dict, path: Path = FLOORS) -> dict:
    """Write the overall scores, rounded down, as the floors the quality gate enforces."""
    floors = {name: floor2(scores[name]) for name in METRICS}
    path.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
    return floors


ROW = "{:<44} {:<8} {:>5} {:>5} {:>5} {:>4} {:>4} {:>4} {:>6} {:>7}"


def table(result: dict) -> str:
    """Format the scores as a plain-text table, one page a line, then the overall scores and any errors."""
    lines = [ROW.format("page", "via", "P", "R", "F1", "head", "date", "auth", "quotes", "related")]
    for row in result["pages"]:
        lines.append(ROW.format(
            row["page"], "ERROR" if row["error"] else row["extraction"] or row["layout"] or "",
            *(f"{row[name]:.2f}" for name in ("body_precision", "body_recall", "body_f1")),
            *(f"{row[name]:.0f}" for name in ("headline", "published", "authors")),
            f"{row['quotes_found']}/{row['quotes_total']}", f"{row['related_found']}/{row['related_total']}",
        ))
    lines += [f"{name:<16} {value:.3f}" for name, value in result["overall"].items()]
    lines += [f"{row['page']}: {row['error']}" for row in result["pages"] if row["error"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score extraction against the gold set in tests/gold/.")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--write-floors", action="store_true", help="write the overall scores, rounded down, as floors")
    parser.add_argument("--manifest", type=Path, default=GOLD_MANIFEST, help="gold pages: JSON Lines of url, path")
    args = parser.parse_args(argv)
    result = evaluate(args.manifest)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result))
    if args.write_floors:
        floors = write_floors(result["overall"])
        print(f"wrote {FLOORS.relative_to(ROOT)}: {json.dumps(floors)}", file=sys.stderr)


if __name__ == "__main__":
    main()
