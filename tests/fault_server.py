"""A real HTTP server on 127.0.0.1 for fault-injection tests: the fixture site, with faults injected per URL path.

It answers like `newscrawl.replay` (the site.json manifest, 404 otherwise), telling the mirrored hosts apart by the
X-Forwarded-Host that NEWSCRAWL_RESOLVE sends, and records every request it receives. A test injects a fault with
`server.inject(path, kind, times=..., **options)`; the first `times` requests for that path get the fault, later
ones the normal page. Every sleep is short and every answer bounded, so the server always stops at teardown.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.replay import NOT_FOUND, content_type, load_manifest, lookup_key, without_query

MAX_SLEEP = 5.0
"""Longest stall a test may ask for, in seconds."""


@dataclass
class Fault:
    """What to do to the next `times` requests of a path (None: every request)."""

    kind: str
    times: int | None = 1
    options: dict = field(default_factory=dict)


@dataclass
class Hit:
    """One request the server received: when it arrived and when its answer was sent (monotonic seconds)."""

    host: str | None
    """The mirrored host asked for (X-Forwarded-Host)."""
    path: str
    fault: str | None
    arrived: float
    answered: float | None = None


class FaultServer(ThreadingHTTPServer):
    """The fixture site on an ephemeral 127.0.0.1 port, with per-path faults and a request log."""

    daemon_threads = True
    # the default backlog of 5 overflows when the crawler opens its connections at once; a dropped SYN is
    # resent after 1 s, which a DOWNLOAD_TIMEOUT=1 test would take for a timeout of the page
    request_queue_size = 128

    def __init__(self, site: Path):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.site = site
        self.responses = load_manifest(site)
        self.hosts = list(dict.fromkeys(urlsplit(key).hostname for key in self.responses))
        self.faults: dict[str, Fault] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=MAX_SLEEP)

    def inject(self, url_or_path: str, kind: str, times: int | None = 1, **options) -> str:
        """Give the next `times` requests of a path (a full URL's path is taken) this fault; return the path."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {sorted(FAULTS)}")
        path = urlsplit(url_or_path).path or "/"
        self.faults[path] = Fault(kind, times, options)
        return path

    def requests_for(self, path: str) -> list[Hit]:
        """The requests received for a path, in order."""
        with self.lock:
            return [hit for hit in self.hits if hit.path == path]

    def counts(self) -> Counter:
        """How many requests each path received."""
        with self.lock:
            return Counter(hit.path for hit in self.hits)

    def take_fault(self, path: str) -> Fault | None:
        """The fault the current request of a path gets, counting it down."""
        with self.lock:
            fault = self.faults.get(path)
            if fault is None or fault.times == 0:
                return None
            if fault.times is not None:
                fault.times -= 1
            return fault

    def entry(self, host: str | None, target: str) -> dict | None:
        """The manifest entry for a request target on a host (any mirrored host when none is given)."""
        for name in [host] if host else self.hosts:
            url = f"https://{name}{target}"
            found = self.responses.get(lookup_key(url)) or self.responses.get(lookup_key(without_query(url)))
            if found:
                return found
        return None

    def handle_error(self, request, client_address) -> None:
        """Stay quiet about clients that hung up (timeouts, cancelled oversized downloads): they are the point."""


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        fault = self.server.take_fault(path)
        hit = Hit(self.headers.get("X-Forwarded-Host"), path, fault.kind if fault else None, time.monotonic())
        with self.server.lock:
            self.server.hits.append(hit)
        try:
            if fault:
                FAULTS[fault.kind](self, **fault.options)
            else:
                self.send_page(*self.page())
        except OSError:  # BrokenPipeError, ConnectionResetError...
            pass  # the client gave up first: a timeout or a size limit did its job
        hit.answered = time.monotonic()

    def page(self) -> tuple[int, dict, bytes]:
        """The manifest's answer for this request: status, headers, body."""
        entry = self.server.entry(self.headers.get("X-Forwarded-Host"), self.path)
        if entry is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND
        body = (self.server.site / entry["file"]).read_bytes() if "file" in entry else b""
        headers = {"Content-Type": content_type(entry.get("file")), **entry.get("headers", {})}
        return entry.get("status", 200), headers, body

    def send_page(self, status: int, headers: dict, body: bytes, length: int | None = None) -> None:
        """Send an answer; `length` is the Content-Length to claim (None: the body's)."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        """Keep the test output clean; the request log is `server.hits`."""

    # the faults

    def status(self, code: int, retry_after: str | None = None) -> None:
        """Answer with an error status, with Retry-After when given."""
        headers = {"Content-Type": "text/html; charset=utf-8", **({"Retry-After": retry_after} if retry_after else {})}
        self.send_page(code, headers, f"<html><body><h1>{code}</h1></body></html>".encode())

    def stall(self, seconds: float) -> None:
        """Sleep (bounded) before answering normally, to outlast the client's DOWNLOAD_TIMEOUT."""
        time.sleep(min(seconds, MAX_SLEEP))
        self.send_page(*self.page())

    def reset(self) -> None:
        """Close the connection with a TCP reset and no response."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def truncate(self) -> None:
        """Claim a longer Content-Length than the half of the body that is sent, then close."""
        status, headers, body = self.page()
        self.send_page(status, headers, body[: len(body) // 2], length=len(body))
        self.close_connection = True

    def redirect(self, location: str | None = None, status: int = 302) -> None:
        """Redirect elsewhere, or to the requested URL itself (a loop)."""
        self.send_page(status, {"Location": location or self.path, "Content-Type": "text/html"}, b"")

    def redirect_chain(self) -> None:
        """Redirect to the same path with a growing ?hop=N: a loop that no duplicate filter notices."""
        hop = re.search(r"hop=(\d+)", urlsplit(self.path).query)
        location = f"{urlsplit(self.path).path}?hop={int(hop[1]) + 1 if hop else 1}"
        self.send_page(302, {"Location": location, "Content-Type": "text/html"}, b"")

    def charset(self, encoding: str, header: str, meta: str | None = None) -> None:
        """Send the page encoded in `encoding`, its Content-Type saying `header` and its <meta> `meta`."""
        status, headers, body = self.page()
        text = body.decode("utf-8")
        if meta:
            text = re.sub(r'charset="?utf-8"?', f'charset="{meta}"', text, count=1, flags=re.IGNORECASE)
        headers = {**headers, "Content-Type": f"text/html; charset={header}"}
        self.send_page(status, headers, text.encode(encoding, errors="xmlcharrefreplace"))

    def empty(self) -> None:
        """A 200 with no body at all."""
        self.send_page(200, {"Content-Type": "text/html; charset=utf-8"}, b"")

    def malformed(self) -> None:
        """The page without closing </p>, </div> or </span> tags, cut off mid-tag a little into the body."""
        status, headers, body = self.page()
        broken = re.sub(rb"</(?:p|div|span)>", b"", body)
        start = broken.index(b"article__text") if b"article__text" in broken else len(broken) // 2
        cut = broken.index(b"<", start + 2000) + 3
        self.send_page(status, headers, broken[:cut])

    def oversized(self, size: int, declared: bool = True) -> None:
        """The page padded past `size` bytes; with its Content-Length, or streamed until the client hangs up."""
        status, headers, body = self.page()
        padded = body + b"<!--" + b"x" * (size - len(body)) + b"-->"
        if declared:
            self.send_page(status, headers, padded)
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        for start in range(0, len(padded), 8192):
            self.wfile.write(padded[start : start + 8192])
        self.close_connection = True


FAULTS = {
    "status": FaultHandler.status,
    "stall": FaultHandler.stall,
    "reset": FaultHandler.reset,
    "truncate": FaultHandler.truncate,
    "redirect": FaultHandler.redirect,
    "redirect_chain": FaultHandler.redirect_chain,
    "charset": FaultHandler.charset,
    "empty": FaultHandler.empty,
    "malformed": FaultHandler.malformed,
    "oversized": FaultHandler.oversized,
}
