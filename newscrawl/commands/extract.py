"""`scrapy extract`: run the crawler's article extraction on saved pages and print the records as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

from newscrawl.extraction.article import extract_article


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self):
        return "PAGE.html [--url URL] | --url URL PAGE [--url URL PAGE ...] | --manifest FILE.jsonl"

    def short_desc(self):
        return "Extract article records from saved HTML pages, exactly as the crawler does"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--url", action="append", default=[], help="the URL a page was fetched from, in page order")
        parser.add_argument("--manifest", help='JSON Lines file of {"url": ..., "path": ...} pages')

    def run(self, args, opts):
        pages = pages_to_extract(args, opts.url, opts.manifest)
        records = []
        for url, path in pages:
            page = read_page(path, url)
            url = url or declared_url(page) or path.resolve().as_uri()
            records.append(ItemAdapter(extract_article(page.selector, url)).asdict())
        if len(records) == 1 and not opts.manifest:
            print(json.dumps(records[0], ensure_ascii=False, indent=2))
        else:
            for record in records:
                print(json.dumps(record, ensure_ascii=False))


def pages_to_extract(paths: list[str], urls: list[str], manifest: str | None) -> list[tuple[str | None, Path]]:
    """Pair each page path with its URL, from the arguments or a manifest."""
    if manifest:
        if paths or urls:
            raise UsageError("--manifest takes no pages or --url")
        lines = Path(manifest).read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        return [(entry["url"], resolve(Path(manifest).parent, entry["path"])) for entry in entries]
    if not paths:
        raise UsageError("give a saved page, --url URL PAGE pairs or --manifest FILE.jsonl")
    if len(paths) == 1 and not urls:
        return [(None, Path(paths[0]))]
    if len(urls) != len(paths):
        raise UsageError(f"{len(paths)} pages but {len(urls)} --url values: give one URL per page")
    return [(url, Path(path)) for url, path in zip(urls, paths)]


def resolve(base: Path, path: str) -> Path:
    """Read manifest paths relative to the manifest's folder."""
    return Path(path) if Path(path).is_absolute() else base / path


def read_page(path: Path, url: str | None) -> HtmlResponse:
    """Load a saved page as the crawler would have received it (same charset detection)."""
    try:
        body = path.read_bytes()
    except OSError as error:
        print(f"scrapy extract: cannot read {path}: {error.strerror}", file=sys.stderr)
        raise SystemExit(2) from error
    return HtmlResponse(url=url or path.resolve().as_uri(), body=body)


def declared_url(page: HtmlResponse) -> str | None:
    """Return the URL a saved page declares for itself (canonical link, og:url)."""
    return page.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content').get()
