"""`scrapy extract`: run the crawler's article extraction on saved pages and print the records as JSON.

A page that cannot be used (unreadable, larger than the crawl's DOWNLOAD_MAXSIZE, a bad manifest line) is
reported on stderr and passed over; the other pages are still printed, and the command exits 1 at the end.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from itemadapter import ItemAdapter
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse


class BadPage(Exception):
    """A page, or a manifest line, that cannot be extracted; the message says which and why."""


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict] = {"LOG_ENABLED": False}

    def syntax(self):
        return "PAGE.html [--url URL] | --url URL PAGE [--url URL PAGE ...] | --manifest FILE.jsonl"

    def short_desc(self):
        return "Extract article records from saved HTML pages, exactly as the crawler does"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--url", action="append", default=[], help="the URL a page was fetched from, in page order")
        parser.add_argument("--manifest", help='JSON Lines file of {"url": ..., "path": ...} pages')

    def run(self, args, opts):
        # a page the crawler would have refused for its size is no page to debug the extraction on
        assert self.settings is not None  # set by scrapy.cmdline before run()
        limit = self.settings.getint("DOWNLOAD_MAXSIZE")
        pretty = len(args) == 1 and not opts.manifest
        failed = False
        for where, page in pages_to_extract(args, opts.url, opts.manifest):
            try:
                record = record_of(page, limit)
            except BadPage as bad:
                print(f"scrapy extract: {where}{bad}", file=sys.stderr)
                failed = True
                continue
            print(json.dumps(record, ensure_ascii=False, indent=2 if pretty else None), flush=True)
        self.exitcode = 1 if failed else 0


Page = tuple[str | None, Path] | BadPage
"""A page to extract (its URL, None when not given, and its path), or why a manifest line gives none."""


def pages_to_extract(paths: list[str], urls: list[str], manifest: str | None) -> Iterator[tuple[str, Page]]:
    """Pair each page path with its URL, from the arguments or a manifest, each with where it was named."""
    if manifest:
        if paths or urls:
            raise UsageError("--manifest takes no pages or --url")
        return manifest_pages(Path(manifest))
    if not paths:
        raise UsageError("give a saved page, --url URL PAGE pairs or --manifest FILE.jsonl")
    if len(paths) == 1 and not urls:
        return iter([("", (None, Path(paths[0])))])
    if len(urls) != len(paths):
        raise UsageError(f"{len(paths)} pages but {len(urls)} --url values: give one URL per page")
    return iter([("", (url, Path(path))) for url, path in zip(urls, paths)])


def manifest_pages(manifest: Path) -> Iterator[tuple[str, Page]]:
    """Read the manifest's pages line by line, each named by its line number; a bad line is a BadPage."""
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the manifest {manifest}: {error}") from None
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                url, path = manifest_entry(line)
            except BadPage as bad:
                yield f"{manifest} line {number}: ", bad
            else:
                yield f"{manifest} line {number}: ", (url, resolve(manifest.parent, path))


def manifest_entry(line: str) -> tuple[str | None, str]:
    """Read one manifest line: its URL (None when it gives none) and its page path."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadPage(f"not JSON ({error})") from None
    if not isinstance(entry, dict):
        raise BadPage('not a {"url": ..., "path": ...} object')
    url, path = entry.get("url"), entry.get("path")
    if not isinstance(path, str) or not path:
        raise BadPage('no "path" to a saved page')
    if url is not None and not isinstance(url, str):
        raise BadPage(f'"url" is not a string: {url!r}')
    return url, path


def resolve(base: Path, path: str) -> Path:
    """Read manifest paths relative to the manifest's folder."""
    return Path(path) if Path(path).is_absolute() else base / path


def record_of(page: Page, limit: int) -> dict:
    """Extract a page's record as the crawler would from its response; a bad manifest line is raised."""
    # imported here: Scrapy imports every command module on every `scrapy` start, other commands' too
    from newscrawl.extraction.article import extract_article

    if isinstance(page, BadPage):
        raise page
    url, path = page
    response = HtmlResponse(url=url or path.resolve().as_uri(), body=read_page(path, limit))
    return ItemAdapter(extract_article(response.selector, url or declared_url(response) or response.url)).asdict()


def read_page(path: Path, limit: int) -> bytes:
    """Read a saved page's bytes, refusing one larger than `limit` (0: none) by its size, before reading it."""
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            # never more than the limit and a byte, for a file that grows meanwhile or a device without a size
            body = b"" if limit and size > limit else file.read(limit + 1 if limit else -1)
    except OSError as error:
        raise BadPage(f"cannot read {path}: {error.strerror}") from None
    if limit and max(size, len(body)) > limit:
        raise BadPage(f"{path} is {max(size, len(body))} bytes, over the page limit (DOWNLOAD_MAXSIZE={limit})")
    return body


def declared_url(page: HtmlResponse) -> str | None:
    """Return the URL a saved page declares for itself (canonical link, og:url)."""
    return page.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content').get()
