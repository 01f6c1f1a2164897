"""Offline runs: answer every http(s) request from a fixture site folder or from WARC files, as the server did.

`-s NEWSCRAWL_REPLAY=fixtures/sputnik` (a folder with site.json) or `-s NEWSCRAWL_REPLAY=data/warc/asia` (a
`.warc.gz` or `.warc` file, or a folder of them) swaps the download handlers; everything else in the engine
(scheduler, robots.txt, redirects, retries, spider, pipelines) runs as in a live crawl.
"""

from __future__ import annotations

import json
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import UsageError
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.conf import closest_scrapy_cfg
from w3lib.url import canonicalize_url

from newscrawl.state import compact_key
from newscrawl.warc.archive import locate_responses, response_at, warc_files

NOT_FOUND = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


class ReplayAddon:
    """Installs a replay download handler when NEWSCRAWL_REPLAY names a fixture site or WARC files."""

    def update_settings(self, settings) -> None:
        if not settings.get("NEWSCRAWL_REPLAY"):
            return
        root = fixture_site(settings["NEWSCRAWL_REPLAY"])
        if (root / "site.json").is_file():
            handler = "newscrawl.replay.ReplayDownloadHandler"
        elif warc_files(root):
            handler = "newscrawl.replay.WarcReplayDownloadHandler"
        else:
            raise UsageError(
                f"NEWSCRAWL_REPLAY={settings['NEWSCRAWL_REPLAY']}: no fixture site (site.json) there, "
                "nor finished WARC files (.warc.gz, .warc)"
            )
        settings.set("NEWSCRAWL_REPLAY", str(root), "cmdline")
        handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": handler, "https": handler}
        # above the project's settings, below the command line's
        settings.set("DOWNLOAD_HANDLERS", handlers, "spider")
        # a local folder needs no politeness delay
        settings.set("AUTOTHROTTLE_ENABLED", False, "spider")
        settings.set("DOWNLOAD_DELAY", 0, "spider")
        # offline records and their state stay apart from a live crawl's, unless the command line says otherwise
        settings.set("NEWSCRAWL_OUTPUT", "data/replay/%(name)s/%(time)s.jsonl", "spider")
        settings.set("NEWSCRAWL_STATE", "data/replay/state.sqlite", "spider")


class ReplayDownloadHandler(BaseDownloadHandler):
    """Serves the responses listed in `<NEWSCRAWL_REPLAY>/site.json`; anything else is a 404."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.root = Path(crawler.settings["NEWSCRAWL_REPLAY"])
        self.responses = shared_manifest(self.root)

    async def download_request(self, request):
        entry = self.responses.get(manifest_key(request.url))
        entry = entry or self.responses.get(manifest_key(without_query(request.url)))
        if entry is None:
            return build_response(request, 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND)
        if isinstance(entry, str):
            entry = {"file": entry}
        body = (self.root / entry["file"]).read_bytes() if "file" in entry else b""
        headers = {"Content-Type": content_type(entry.get("file")), **entry.get("headers", {})}
        return build_response(request, entry.get("status", 200), headers, body)


class WarcReplayDownloadHandler(BaseDownloadHandler):
    """Serves the responses recorded in the WARC files of NEWSCRAWL_REPLAY, with their recorded status and headers,
    the last one recorded for a URL; anything else is a 404. The record's file and id go to the request's meta."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.index = warc_index(Path(crawler.settings["NEWSCRAWL_REPLAY"]))

    async def download_request(self, request):
        where = self.index.get(lookup_key(request.url))
        if where is None:
            return build_response(request, 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND)
        recorded = response_at(*where)
        # the article record names the archived response it was read from (a recording run overwrites these)
        request.meta["newscrawl_warc_file"] = recorded.warc_file
        request.meta["newscrawl_warc_record_id"] = recorded.record_id
        return build_response(request, recorded.status, header_table(recorded.headers), recorded.body)


def warc_index(root: Path) -> dict[str, tuple[Path, int]]:
    """Map each URL of the WARC files under root to where its last response record starts."""
    files = tuple((file, file.stat().st_size, file.stat().st_mtime_ns) for file in warc_files(root))
    return indexed(files)


@lru_cache(maxsize=4)
def indexed(files: tuple[tuple[Path, int, int], ...]) -> dict[str, tuple[Path, int]]:
    """Index WARC files by URL, once for the http and https handlers alike; later records win."""
    return {lookup_key(url): (file, offset) for url, file, offset in locate_responses([file for file, *_ in files])}


def header_table(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Group (name, value) header pairs by name, keeping every value of a repeated header.

    >>> header_table([("Set-Cookie", "a=1"), ("Content-Type", "text/html"), ("set-cookie", "b=2")])
    {'set-cookie': ['a=1', 'b=2'], 'content-type': ['text/html']}
    """
    table: dict[str, list[str]] = {}
    for name, value in pairs:
        table.setdefault(name.lower(), []).append(value)
    return table


def fixture_site(value: str) -> Path:
    """Find a fixture site folder or WARC path: as given, else relative to the project (where scrapy.cfg is)."""
    root = Path(value)
    if root.is_absolute() or root.exists():
        return root.resolve()
    config = closest_scrapy_cfg()
    return (Path(config).parent / root).resolve() if config else root


def shared_manifest(root: Path) -> dict[bytes, dict | str]:
    """Return the table of root's site.json (`compact`), read once for the http and https handlers alike."""
    # Scrapy builds one handler per scheme: each reading site.json would hold the table twice (+24 MB at 10,000
    # articles). The file's size and mtime are part of the key, so an edited site.json is read again.
    stat = (root / "site.json").stat()
    return manifest_of(root, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)  # one site a crawl; a cached table is never changed, only read
def manifest_of(root: Path, size: int, mtime_ns: int) -> dict[bytes, dict | str]:
    """Read a site.json once per version of the file (see shared_manifest)."""
    return compact(load_manifest(root))


def load_manifest(root: Path) -> dict[str, dict]:
    """Read site.json into a URL-keyed table."""
    entries = json.loads((root / "site.json").read_text(encoding="utf-8"))["responses"]
    return {lookup_key(entry["url"]): entry for entry in entries}


def compact(manifest: dict[str, dict]) -> dict[bytes, dict | str]:
    """The table a crawl keeps: keyed by `manifest_key`, an entry's file alone when that is all it has besides its
    URL (a site's pages, mostly), else the entry. A third of the memory of the table as read, so that replaying a
    site of 100,000 articles measures the crawl, not its manifest."""
    return {compact_key(key): entry["file"] if entry.keys() == {"url", "file"} else entry
            for key, entry in manifest.items()}


def manifest_key(url: str) -> bytes:
    """The key of a URL in the manifest's table."""
    return compact_key(lookup_key(url))


def build_response(request, status: int, headers: dict, body: bytes):
    """Build the Response subclass that the headers call for, as the HTTP handler does."""
    headers = Headers(headers)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return cls(url=request.url, status=status, headers=headers, body=body, request=request)


def lookup_key(url: str) -> str:
    """Key URLs so that query order and percent-encoding do not matter."""
    return canonicalize_url(url)


def without_query(url: str) -> str:
    """Drop the query, as a server that ignores unknown parameters would."""
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def content_type(file: str | None) -> str:
    """Guess a Content-Type from a fixture file name."""
    kind = mimetypes.guess_type(file or "")[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("xml") else kind
