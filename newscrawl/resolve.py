"""Send the requests for some hosts to another origin, like `curl --resolve`: a local mirror or test server.

`-s 'NEWSCRAWL_RESOLVE={"sputnikglobe.com": "http://127.0.0.1:8123"}'` swaps the http(s) download handler
for one that downloads `https://sputnikglobe.com/asia/` from `http://127.0.0.1:8123/asia/` through Scrapy's
real HTTP stack (timeouts, lost data, size limits behave as live), then hands the engine the response under
its real URL, so redirects, robots.txt, the offsite filter and the records all see the real site.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import UsageError
from scrapy.http import TextResponse
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler


class ResolveAddon:
    """Installs the resolving download handler when NEWSCRAWL_RESOLVE maps any host."""

    def update_settings(self, settings) -> None:
        resolve = settings.getdict("NEWSCRAWL_RESOLVE")
        if not resolve:
            return
        if settings.get("NEWSCRAWL_REPLAY"):
            raise UsageError("NEWSCRAWL_RESOLVE and NEWSCRAWL_REPLAY both replace the download handler: use one")
        origins(resolve)  # a wrong origin stops the run before it starts
        handler = "newscrawl.resolve.ResolvingDownloadHandler"
        handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": handler, "https": handler}
        # above the project's settings, below the command line's
        settings.set("DOWNLOAD_HANDLERS", handlers, "spider")


class ResolvingDownloadHandler(BaseDownloadHandler):
    """Downloads mapped hosts from their origin and everything else as usual, both with Scrapy's HTTP handler."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.origins = origins(crawler.settings.getdict("NEWSCRAWL_RESOLVE"))
        self.http = build_from_crawler(HTTP11DownloadHandler, crawler)

    async def download_request(self, request):
        origin = self.origins.get(urlparse_cached(request).hostname or "")
        if origin is None:
            return await self.http.download_request(request)
        local = request.replace(url=rebased(request.url, origin), headers=origin_headers(request, origin))
        try:
            response = await self.http.download_request(local)
        finally:
            # the handler notes download_latency there, which AutoThrottle reads from the engine's request
            request.meta.update(local.meta)
        # replace() would pin a text response's encoding now; leave it to be read from headers and body
        lazy = {"encoding": None} if isinstance(response, TextResponse) else {}
        return response.replace(url=request.url, request=request, **lazy)

    async def close(self) -> None:
        await self.http.close()


def origins(resolve: dict) -> dict[str, tuple[str, str]]:
    """Check a NEWSCRAWL_RESOLVE mapping and key it by host: {host: (scheme, "host:port")}."""
    table = {}
    for host, origin in resolve.items():
        parts = urlsplit(str(origin))
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
            raise UsageError(f"NEWSCRAWL_RESOLVE: {host} -> {origin!r} is not an origin like http://127.0.0.1:8080")
        table[str(host).lower()] = (parts.scheme, parts.netloc)
    return table


def rebased(url: str, origin: tuple[str, str]) -> str:
    """Move a URL to another origin, keeping its path and query.

    >>> rebased("https://sputnikglobe.com/asia/?page=2#top", ("http", "127.0.0.1:8123"))
    'http://127.0.0.1:8123/asia/?page=2'
    """
    parts = urlsplit(url)
    return urlunsplit((origin[0], origin[1], parts.path, parts.query, ""))


def origin_headers(request, origin: tuple[str, str]):
    """The request's headers for the origin: its Host, and the real host as a reverse proxy passes it."""
    headers = request.headers.copy()
    headers["Host"] = origin[1]
    # a mirror of several sites tells them apart by this (nginx: $http_x_forwarded_host)
    headers["X-Forwarded-Host"] = urlparse_cached(request).netloc
    return headers
