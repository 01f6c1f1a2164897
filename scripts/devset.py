"""Score newscrawl's extraction and the libraries a user would pick instead on real article pages nobody here wrote.

The development set is the article pages of the WCXB benchmark's `dev/` split (Murrough-Foley/
web-content-extraction-benchmark, CC-BY-4.0): real pages of 2025-26 with their title, author, date and main
text. Its `test/` split is held out: this script refuses to read it. Tune on this set, never on a held-out one.

    python scripts/devset.py --wcxb /path/to/web-content-extraction-benchmark          # every dev article page
    python scripts/devset.py --sample tests/devset                                     # the committed sample
    python scripts/devset.py --wcxb … --systems newscrawl,trafilatura --json out.json  # per-page results too
    python scripts/devset.py --wcxb … --make-sample tests/devset                       # every 5th article page
    python scripts/devset.py --sample tests/devset --write-floors tests/devset/floors.json

Scores per system, means over pages (the same pages for every system, in one run):

    body_f1         F1 over word 4-gram shingles (scripts/evaluate.py: `precision_recall_f1`)
    body_word_f1    F1 over the bag of words, as WCXB's own evaluate.py computes it
    empty_body      share of pages where the system found no text (the truth always has some)
    headline        1 if equal to the truth's title after whitespace normalization
    date            1 if the published date falls on the truth's day (pages whose truth has a date)
    author_f1       F1 of the sets of author names (pages whose truth names an author)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.evaluate import name_key, precision_recall_f1, published_match, squash, words  # noqa: E402

NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.IGNORECASE)


@dataclass
class Page:
    """One development page: where it came from, its HTML and its truth."""

    page_id: str
    url: str
    html: str
    title: str | None
    author: str | None
    published: str | None
    body: str


@dataclass
class Extracted:
    """What one system read off a page."""

    body: str | None
    title: str | None
    published: str | None
    authors: list[str]


def read_pages(split_dir: Path, only_articles: bool = True) -> Iterator[Page]:
    """Yield the (article) pages of a WCXB split folder (ground-truth/ and html/), in id order."""
    if split_dir.name == "test" or "test" in split_dir.parts[-1:]:
        raise SystemExit(f"{split_dir} is the held-out test split: tune and score on dev only")
    for truth_file in sorted((split_dir / "ground-truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        if only_articles and truth.get("_internal", {}).get("page_type", {}).get("primary") != "article":
            continue
        if not truth.get("url"):
            continue
        html_file = next((split_dir / "html").glob(f"{truth_file.stem}.html*"))
        raw = html_file.read_bytes()
        html = (gzip.decompress(raw) if html_file.suffix == ".gz" else raw).decode("utf-8", errors="replace")
        gold = truth["ground_truth"]
        yield Page(truth_file.stem, truth["url"], html, gold.get("title"), gold.get("author"),
                   gold.get("publish_date"), gold.get("main_content") or "")


def names(value: object) -> set[str]:
    """The name keys of an author value: a list of names, or one string naming several ("A, B and C").

    >>> sorted(names("Jane Roe and John Doe")), sorted(names(["Dr Jane Roe"])), names(None)
    (['jane roe', 'john doe'], ['jane roe'], set())
    """
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    parts = [part for item in values if isinstance(item, str) for part in NAME_SEPARATORS.split(item)]
    return {key for key in map(name_key, parts) if key}


def set_f1(expected: set, found: set) -> float:
    """F1 of two sets; both empty is 1.

    >>> set_f1({"a", "b"}, {"a"})
    0.6666666666666666
    """
    if not expected and not found:
        return 1.0
    common = len(expected & found)
    return 2 * common / (len(expected) + len(found)) if common else 0.0


def word_f1(expected: str, found: str | None) -> float:
    """F1 over the bags of words (WCXB's metric).

    >>> word_f1("a b c d", "a b")
    0.6666666666666666
    """
    gold, got = words(expected), words(found)
    if not gold or not got:
        return float(not gold and not got)
    common = sum(min(gold.count(w), got.count(w)) for w in set(gold) & set(got))
    return 2 * common / (len(gold) + len(got)) if common else 0.0


def same_day(gold: str | None, found: str | None) -> float:
    """1 if the found date is the gold day: a day, or an instant on that day in some zone (UTC-12 to UTC+14).

    >>> same_day("2025-09-04", "2025-09-04T22:30:00+00:00"), same_day("2025-09-04", "2025-09-05"), same_day("2025-09-04", None)
    (1.0, 0.0, 0.0)
    """
    day = squash(gold)[:10]
    if isinstance(found, str) and len(squash(found)) == 10:
        return float(squash(found) == day)  # a library that gives a day only
    return published_match(day, found)


def score(page: Page, got: Extracted) -> dict:
    """Compare one system's extraction with a page's truth."""
    result = {
        "body_f1": precision_recall_f1(page.body, got.body)[2],
        "body_word_f1": word_f1(page.body, got.body),
        "empty_body": float(not squash(got.body)),
        "headline": float(squash(page.title) == squash(got.title)) if page.title else None,
        "date": same_day(page.published, got.published) if page.published else None,
        "author_f1": set_f1(names(page.author), names(got.authors)) if names(page.author) else None,
    }
    return result


# ------------------------------------------------------------------------------------------------ the systems


def newscrawl(page: Page) -> Extracted:
    from newscrawl.extraction.article import extract_article

    record = extract_article(page.html, page.url)
    return Extracted(record.body, record.headline, record.published, record.authors)


def trafilatura_with(**options) -> Callable[[Page], Extracted]:
    def run(page: Page) -> Extracted:
        import trafilatura
        from trafilatura.settings import Document

        extracted = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, **options)
        document = cast("Document | None", extracted)  # a dict only with as_dict=True, which no system passes
        if document is None:
            return Extracted(None, None, None, [])
        author = getattr(document, "author", None)
        return Extracted(document.text, document.title, document.date, [author] if author else [])

    return run


def readability(page: Page) -> Extracted:
    from lxml import html as lxml_html
    from readability import Document

    document = Document(page.html)
    summary = lxml_html.fromstring(document.summary())
    # lxml-stubs type html.fromstring as an _Element; it returns an HtmlElement
    return Extracted(summary.text_content(), document.short_title(), None, [])  # type: ignore[attr-defined]


def newspaper(page: Page) -> Extracted:
    from newspaper import Article

    article = Article(page.url, fetch_images=False)
    article.download(input_html=page.html)
    article.parse()
    when = article.publish_date.isoformat() if article.publish_date else None
    return Extracted(article.text, article.title, when, list(article.authors))


BODY_AND_TITLE_ONLY = {"readability-lxml"}
"""Systems that read no date or author: not scored on them."""

SYSTEMS: dict[str, Callable[[Page], Extracted]] = {
    "newscrawl": newscrawl,
    "trafilatura": trafilatura_with(),
    "trafilatura-fast": trafilatura_with(fast=True),
    "trafilatura-recall": trafilatura_with(favor_recall=True),
    "readability-lxml": readability,
    "newspaper4k": newspaper,
}


def run_system(name: str, pages: list[Page]) -> tuple[list[dict], float]:
    """Extract every page with one system; return the per-page scores and the seconds it took."""
    system, results, seconds = SYSTEMS[name], [], 0.0
    try:
        system(pages[0]) if pages else None  # imports and one-off set-up are not a page's cost
    except Exception:
        pass  # reported below, on the page itself
    for page in pages:
        started = time.process_time()  # the extraction only: scoring is not the system's cost
        try:
            got = system(page)
        except Exception as error:  # a library failing on a page scores zero there, as a user would see it
            got = Extracted(None, None, None, [])
            print(f"{name} failed on {page.page_id}: {type(error).__name__}: {error}", file=sys.stderr)
        seconds += time.process_time() - started
        scores = score(page, got)
        if name in BODY_AND_TITLE_ONLY:
            scores["date"] = scores["author_f1"] = None
        results.append({"page": page.page_id, **scores})
    return results, seconds


def means(results: list[dict]) -> dict:
    """Average each metric over the pages where it applies."""
    summary = {}
    for metric in ("body_f1", "body_word_f1", "empty_body", "headline", "date", "author_f1"):
        values = [r[metric] for r in results if r[metric] is not None]
        summary[metric] = round(sum(values) / len(values), 4) if values else None
        summary[f"{metric}_pages"] = len(values)
    return summary


SAMPLE_STEP = 5
"""The committed sample is every 5th article page of the dev split, in id order."""


def make_sample(split: Path, folder: Path) -> int:
    """Copy every SAMPLE_STEP-th article page (HTML and truth, unchanged) into a folder laid out like a split."""
    ids = [page.page_id for page in read_pages(split)][::SAMPLE_STEP]
    for kind, pattern in (("ground-truth", "{}.json"), ("html", "{}.html.gz")):
        (folder / kind).mkdir(parents=True, exist_ok=True)
        for page_id in ids:
            (folder / kind / pattern.format(page_id)).write_bytes((split / kind / pattern.format(page_id)).read_bytes())
    return len(ids)


def floors(summary: dict) -> dict:
    """Round the scores down to two decimals (the rate of empty bodies up): the gate's floors, and ceilings."""
    found = {}
    for metric in ("body_f1", "body_word_f1", "headline", "date", "author_f1"):
        found[metric] = int(summary[metric] * 100) / 100
    found["empty_body_at_most"] = -int(-summary["empty_body"] * 100) / 100
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--wcxb", type=Path, help="a checkout of the WCXB repository (its dev/ split is read)")
    where.add_argument("--sample", type=Path, help="a folder laid out like a WCXB split (the committed sample)")
    parser.add_argument("--systems", default="newscrawl,trafilatura", help=f"of {', '.join(SYSTEMS)}")
    parser.add_argument("--json", type=Path, help="write the summary and per-page scores here")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--make-sample", type=Path, help="copy every 5th dev article page here, then stop")
    parser.add_argument("--write-floors", type=Path, help="write newscrawl's scores, rounded down, as the gate's floors")
    args = parser.parse_args()
    split = args.wcxb / "dev" if args.wcxb else args.sample
    if args.make_sample:
        print(f"copied {make_sample(split, args.make_sample)} pages to {args.make_sample}")
        return
    pages = list(read_pages(split))[: args.limit]
    systems: dict[str, dict] = {}
    report = {"pages": len(pages), "set": str(split), "systems": systems}
    print(f"{len(pages)} article pages of {split}")
    print(f"{'system':<20} {'body F1':>8} {'word F1':>8} {'empty':>6} {'title':>6} {'date':>6} {'author':>7} {'CPU s':>7}")
    for name in args.systems.split(","):
        results, seconds = run_system(name, pages)
        summary = means(results)
        systems[name] = {"summary": {**summary, "cpu_seconds": round(seconds, 1)}, "pages": results}
        cells = [f"{summary[m]:.4f}" if summary[m] is not None else "-" for m in ("body_f1", "body_word_f1")]
        cells += [f"{summary[m]:.3f}" if summary[m] is not None else "-" for m in ("empty_body", "headline", "date", "author_f1")]
        widths = (8, 8, 6, 6, 6, 7)
        print(f"{name:<20} " + " ".join(cell.rjust(width) for cell, width in zip(cells, widths)) + f" {seconds:>7.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.write_floors:
        summary = systems["newscrawl"]["summary"]
        args.write_floors.write_text(json.dumps(floors(summary), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
