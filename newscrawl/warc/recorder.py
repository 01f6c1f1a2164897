"""Record every response the crawler downloads, with its request, in rotating gzip-compressed WARC files.

With NEWSCRAWL_WARC_DIR set, each response becomes a WARC `response` record beside the `request` record of the
request as sent, written by warcio one gzip member a record after the `warcinfo` record that opens each file.
A file grows as `<spider>-<UTC start>-<serial>.warc.gz.open` and takes its final name once it reaches
NEWSCRAWL_WARC_MAX_BYTES or the run ends, so a half-written WARC is never taken for a finished one; a `.open`
file that a killed run left is cut to its whole records and finished by the next run. The file's name and the
response's WARC-Record-ID go into `request.meta` (`newscrawl_warc_file`, `newscrawl_warc_record_id`), where the
spider finds them for the article record.

Why a downloader middleware next to the download handler (950) and not signals: it sees each response as it was
downloaded (3xx redirects, robots.txt, answers later retried, bodies still compressed) together with the request
after every middleware added its headers (user agent, cookies, Accept-Encoding). `response_received` comes after
the middlewares, when bodies are decompressed and redirects swallowed; `headers_received` and `bytes_received`
come only from Scrapy's own HTTP handlers, not from replay, and would leave the body to reassemble.
"""

from __future__ import annotations

import logging
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import responses as REASONS
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.runlock import try_lock

logger = logging.getLogger(__name__)

OPEN = ".open"


@dataclass
class WarcFile:
    """The WARC file being written."""

    path: Path
    """Its final name (it is written as `unfinished(path)`)."""
    file: BinaryIO
    writer: WARCWriter


class WarcRecorderMiddleware:
    """Writes each downloaded response and its request to WARC files; counts `warc/responses` and `warc/files`."""

    def __init__(self, crawler):
        self.template = crawler.settings.get("NEWSCRAWL_WARC_DIR")
        if not self.template:
            raise NotConfigured  # no message: Scrapy would log the usual case as a warning
        self.crawler = crawler
        self.max_bytes = crawler.settings.getint("NEWSCRAWL_WARC_MAX_BYTES")
        self.fsync = crawler.settings.getbool("NEWSCRAWL_FSYNC")
        self.folder: Path | None = None
        self.started = datetime.now(UTC)
        self.serial = 0
        self.current: WarcFile | None = None

    @classmethod
    def from_crawler(cls, crawler):
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider):
        self.folder = Path(self.template % {"name": spider.name})
        self.folder.mkdir(parents=True, exist_ok=True)
        self.finish_interrupted_files(spider.name)

    def process_response(self, request, response):
        current = self.current or self.open_next_file()
        record_id = self.write(current, request, response)
        request.meta["newscrawl_warc_file"] = current.path.name
        request.meta["newscrawl_warc_record_id"] = record_id
        if current.file.tell() >= self.max_bytes:
            self.close_file(current)
        return response

    def write(self, current: WarcFile, request, response) -> str:
        """Write a response record and its request record; return the response record's WARC-Record-ID."""
        answer = current.writer.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), length=len(response.body),
            http_headers=response_head(response),
        )
        if response.ip_address:
            answer.rec_headers.add_header("WARC-IP-Address", str(response.ip_address))
        if "dataloss" in response.flags:  # DOWNLOAD_FAIL_ON_DATALOSS=False let a cut-off body through
            answer.rec_headers.add_header("WARC-Truncated", "disconnect")
        asked = current.writer.create_warc_record(
            request.url, "request", payload=BytesIO(request.body), length=len(request.body),
            http_headers=request_head(request),
        )
        current.writer.write_request_response_pair(asked, answer)
        if self.fsync:  # on disk before the article that points to it is recorded as written
            os.fsync(current.file.fileno())
        self.crawler.stats.inc_value("newscrawl/warc/responses")
        return answer.rec_headers.get_header("WARC-Record-ID")

    def open_next_file(self) -> WarcFile:
        """Start the run's next WARC file with its warcinfo record."""
        folder = self.opened_folder()
        spider = self.crawler.spider.name
        while True:
            path = folder / f"{spider}-{self.started:%Y%m%d%H%M%S}-{self.serial:05d}.warc.gz"
            self.serial += 1
            if not path.exists() and not unfinished(path).exists():
                break
        file = open(unfinished(path), "xb")  # noqa: SIM115 (open for the whole run)
        try_lock(file)  # a fresh file: nobody else has it
        current = self.current = WarcFile(path, file, WARCWriter(file, gzip=True))
        current.writer.write_record(current.writer.create_warcinfo_record(path.name, warcinfo(self.crawler)))
        self.crawler.stats.inc_value("newscrawl/warc/files")
        return current

    def close_file(self, current: WarcFile) -> None:
        """Finish the file being written: onto the disk, then under its final name."""
        current.file.flush()
        os.fsync(current.file.fileno())
        current.file.close()
        os.replace(unfinished(current.path), current.path)
        self.current = None

    def opened_folder(self) -> Path:
        """The spider's WARC folder, known once the spider opened."""
        if self.folder is None:
            raise RuntimeError("the WARC recorder is used before its spider opened")
        return self.folder

    def spider_closed(self, spider):
        if self.current is not None:
            self.close_file(self.current)
        stats = self.crawler.stats
        logger.info(
            "Recorded %d responses in %d WARC file(s) in %s",
            stats.get_value("newscrawl/warc/responses", 0), stats.get_value("newscrawl/warc/files", 0), self.folder,
        )

    def finish_interrupted_files(self, spider: str) -> None:
        """Give their final names to the WARC files that killed runs of this spider left, cut to whole records."""
        pattern = f"{spider}-{'[0-9]' * 14}-{'[0-9]' * 5}.warc.gz{OPEN}"
        for partial in sorted(self.opened_folder().glob(pattern)):
            with open(partial, "r+b") as file:
                if not try_lock(file):
                    continue  # a live run is writing it
                whole = whole_gzip_members(file)
                file.truncate(whole)
                if whole:
                    os.replace(partial, partial.with_name(partial.name.removesuffix(OPEN)))
                else:
                    partial.unlink()
            logger.warning(
                "%s a WARC file an interrupted run left: %s", "Finished" if whole else "Removed empty", partial.name
            )


def unfinished(path: Path) -> Path:
    """The name a WARC file has while it is written."""
    return path.with_name(path.name + OPEN)


def warcinfo(crawler) -> dict:
    """The fields of the warcinfo record that opens each file: what wrote it, for which crawl, how."""
    settings = crawler.settings
    return {
        "software": f"newscrawl (Scrapy {scrapy.__version__}, warcio {version('warcio')})",
        "format": "WARC File Format 1.0",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/",
        "isPartOf": crawler.spider.name,
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT"),
    }


def response_head(response) -> StatusAndHeaders:
    """The response's status line and headers as received."""
    headers = [
        # Scrapy's body is already de-chunked: name the header as Common Crawl does, so no reader de-chunks it again
        ("X-Crawler-Transfer-Encoding" if name.lower() == "transfer-encoding" else name, value)
        for name, value in header_pairs(response.headers)
    ]
    status = f"{response.status} {REASONS.get(response.status, '')}".rstrip()
    return StatusAndHeaders(status, headers, protocol=response.protocol or "HTTP/1.1")


def request_head(request) -> StatusAndHeaders:
    """The request line and headers as sent, with the Host header the HTTP client adds."""
    parts = urlsplit(request.url)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc.rpartition("@")[2]))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)


def header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) text pairs, one pair per value of a repeated header."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def whole_gzip_members(stream) -> int:
    """Measure the complete gzip members at the start of a stream (each one WARC record); a torn last one is left out.

    >>> import gzip, io
    >>> two = gzip.compress(b"one") + gzip.compress(b"two")
    >>> whole_gzip_members(io.BytesIO(two + gzip.compress(b"three")[:-3])) == len(two)
    True
    """
    whole = position = 0
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    while chunk := stream.read(1 << 16):
        while chunk:
            try:
                inflater.decompress(chunk)
            except zlib.error:
                return whole
            if not inflater.eof:
                position += len(chunk)
                break
            position += len(chunk) - len(inflater.unused_data)
            whole, chunk = position, inflater.unused_data
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return whole
