"""Offline runs: answer every http(s) request from fixture site folders or from WARC files, as the server did.

`-s NEWSCRAWL_REPLAY=fixtures/sputnik` (a folder with site.json), `fixtures/sputnik,fixtures/guardian` (several),
`fixtures` (a folder of fixture sites: all of them) or `data/warc/asia` (a `.warc.gz` or `.warc` file, or a folder
of them) swaps the download handlers; everything else in the engine (scheduler, robots.txt, redirects, retries,
spider, pipelines) runs as in a live crawl.
"""

from __future__ import annotations

import json
import mimetypes
import os
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
        sites = fixture_sites(settings["NEWSCRAWL_REPLAY"])
        if sites:
            handler = "newscrawl.replay.ReplayDownloadHandler"
            settings.set("NEWSCRAWL_REPLAY", ",".join(map(str, sites)), "cmdline")
        else:
            handler = "newscrawl.replay.WarcReplayDownloadHandler"
            settings.set("NEWSCRAWL_REPLAY", str(fixture_site(settings["NEWSCRAWL_REPLAY"].strip())), "cmdline")
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
    """Serves the responses listed in the site.json of each NEWSCRAWL_REPLAY folder; anything else is a 404."""

    def __init__(self, crawler):
        super().__init__(crawler)
        sites = [Path(folder) for folder in crawler.settings["NEWSCRAWL_REPLAY"].split(",")]
        self.root = Path(os.path.commonpath(sites))  # the manifest's file paths are relative to it
        self.responses = shared_manifest(sites)

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


def fixture_sites(value: str) -> list[Path]:
    """The fixture site folders that NEWSCRAWL_REPLAY names, in order; [] when it names WARC files instead.

    Each comma-separated part is a fixture site (a folder with site.json) or a folder of them (every child folder
    with a site.json). A part that is neither stops the run: a mistyped folder must not give an empty crawl.
    """
    parts = [fixture_site(part.strip()) for part in value.split(",") if part.strip()]
    if len(parts) == 1 and not (parts[0] / "site.json").is_file() and warc_files(parts[0]):
        return []
    sites: list[Path] = []
    for part in parts:
        found = [part] if (part / "site.json").is_file() else sorted(p.parent for p in part.glob("*/site.json"))
        if not found:
            raise UsageError(
                f"NEWSCRAWL_REPLAY={value}: {part} holds no fixture site (site.json), nor folders of them; "
                "WARC files (.warc.gz, .warc) replay alone, one file or folder"
            )
        sites += [site for site in found if site not in sites]
    return sites


def shared_manifest(sites: list[Path]) -> dict[bytes, dict | str]:
    """Return the merged table of the sites' site.json files (`compact`), read once for the http and https handlers
    alike."""
    # Scrapy builds one handler per scheme: each reading site.json would hold the table twice (+24 MB at 10,000
    # articles). Each file's size and mtime are part of the key, so an edited site.json is read again.
    stats = [(site, (site / "site.json").stat()) for site in sites]
    return manifest_of(tuple((site, stat.st_size, stat.st_mtime_ns) for site, stat in stats))


@lru_cache(maxsize=1)  # one set of sites a crawl; a cached table is never changed, only read
def manifest_of(versions: tuple[tuple[Path, int, int], ...]) -> dict[bytes, dict | str]:
    """Read the site.json files once per version of them (see shared_manifest); their files' paths are made
    relative to the folder the sites share, and a URL that two sites answer differently stops the run."""
    sites = [site for site, *_ in versions]
    base = Path(os.path.commonpath(sites))  # one site: the site itself
    merged: dict[str, dict] = {}
    owner: dict[str, Path] = {}
    for site in sites:
        for key, entry in load_manifest(site).items():
            if "file" in entry and site != base:
                entry = {**entry, "file": (site / entry["file"]).relative_to(base).as_posix()}
            if key in merged and merged[key] != entry:
                raise UsageError(f"NEWSCRAWL_REPLAY: {owner[key]} and {site} both answer {entry['url']}, differently")
            merged[key], owner[key] = entry, site
    return compact(merged)


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
