"""Offline runs: answer every http(s) request from a fixture site folder, as its server would.

`-s NEWSCRAWL_REPLAY=fixtures/sputnik` swaps the download handlers; everything else in the engine
(scheduler, robots.txt, redirects, retries, spider, pipelines) runs as in a live crawl.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import UsageError
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.conf import closest_scrapy_cfg
from w3lib.url import canonicalize_url

NOT_FOUND = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


class ReplayAddon:
    """Installs the replay download handler when NEWSCRAWL_REPLAY names a fixture site."""

    def update_settings(self, settings) -> None:
        if not settings.get("NEWSCRAWL_REPLAY"):
            return
        root = fixture_site(settings["NEWSCRAWL_REPLAY"])
        if not (root / "site.json").is_file():
            raise UsageError(f"NEWSCRAWL_REPLAY={settings['NEWSCRAWL_REPLAY']}: no fixture site (site.json) there")
        settings.set("NEWSCRAWL_REPLAY", str(root), "cmdline")
        handler = "newscrawl.replay.ReplayDownloadHandler"
        handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": handler, "https": handler}
        # above the project's settings, below the command line's
        settings.set("DOWNLOAD_HANDLERS", handlers, "spider")
        # a local folder needs no politeness delay
        settings.set("AUTOTHROTTLE_ENABLED", False, "spider")
        settings.set("DOWNLOAD_DELAY", 0, "spider")
        # fixture records and their state stay apart from a live crawl's, unless the command line says otherwise
        settings.set("NEWSCRAWL_OUTPUT", "data/replay/%(name)s/%(time)s.jsonl", "spider")
        settings.set("NEWSCRAWL_STATE", "data/replay/state.sqlite", "spider")


class ReplayDownloadHandler(BaseDownloadHandler):
    """Serves the responses listed in `<NEWSCRAWL_REPLAY>/site.json`; anything else is a 404."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.root = Path(crawler.settings["NEWSCRAWL_REPLAY"])
        self.responses = load_manifest(self.root)

    async def download_request(self, request):
        entry = self.responses.get(lookup_key(request.url)) or self.responses.get(lookup_key(without_query(request.url)))
        if entry is None:
            return build_response(request, 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND)
        body = (self.root / entry["file"]).read_bytes() if "file" in entry else b""
        headers = {"Content-Type": content_type(entry.get("file")), **entry.get("headers", {})}
        return build_response(request, entry.get("status", 200), headers, body)


def fixture_site(value: str) -> Path:
    """Find a fixture site folder: as given, else relative to the project (where scrapy.cfg is)."""
    root = Path(value)
    if root.is_absolute() or root.exists():
        return root.resolve()
    config = closest_scrapy_cfg()
    return (Path(config).parent / root).resolve() if config else root


def load_manifest(root: Path) -> dict[str, dict]:
    """Read site.json into a URL-keyed table."""
    entries = json.loads((root / "site.json").read_text(encoding="utf-8"))["responses"]
    return {lookup_key(entry["url"]): entry for entry in entries}


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
