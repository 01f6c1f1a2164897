"""Read the HTTP responses out of WARC files (gzip-compressed or not), one record at a time, never a whole file.

`iter_warc_responses` streams them from files or folders; `read_responses` from any open binary stream (a
download, say). Replay (`newscrawl.replay`) notes where each URL's response starts with `locate_responses` and
reads it with `response_at` when the crawler asks for it. A body comes as the crawler used it: chunked transfer
and gzip, deflate or br content encoding undone by warcio, and the headers that described them dropped; an
encoding warcio cannot undo is left, with its header, for Scrapy's HttpCompressionMiddleware.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader

SUFFIXES = (".warc.gz", ".warc")
"""Names of finished WARC files; a file being written ends in `.open` and is not one of them."""


class Readable(Protocol):
    """An open binary stream, as warcio reads it: a file, or a download read as it arrives."""

    def read(self, size: int = -1, /) -> bytes: ...


class WarcResponse(NamedTuple):
    """One HTTP response read from a WARC file."""

    url: str
    """The WARC-Target-URI: the URL that was answered."""
    status: int
    """The HTTP status code, e.g. 200 or 301."""
    headers: list[tuple[str, str]]
    """The HTTP headers in recorded order, repeated names kept, less those of encodings undone."""
    body: bytes
    """The payload, transfer and content encodings undone where warcio can."""
    record_id: str
    """The WARC-Record-ID of the response record, "<urn:uuid:...>"."""
    warc_file: str
    """The WARC file's name, without its folder."""


def warc_files(path: str | os.PathLike) -> list[Path]:
    """List the finished WARC files a path names: the file itself, or those in a folder and below, by name."""
    path = Path(path)
    if path.is_file():
        return [path] if path.name.endswith(SUFFIXES) else []
    return sorted(file for suffix in SUFFIXES for file in path.rglob(f"*{suffix}") if file.is_file())


def iter_warc_responses(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[WarcResponse]:
    """Stream the HTTP responses of WARC files, or of the WARC files in folders, in file and record order."""
    for file in expand(paths):
        with open(file, "rb") as stream:
            yield from read_responses(stream, file.name)


def read_responses(stream: Readable, warc_file: str = "") -> Iterator[WarcResponse]:
    """Stream the HTTP responses of one WARC read from an open binary stream."""
    for record in ArchiveIterator(stream):
        if is_http_response(record):
            yield as_response(record, warc_file)


def locate_responses(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[tuple[str, Path, int]]:
    """Stream where each HTTP response record starts, as (URL, file, offset); bodies are read past, not kept."""
    for file in expand(paths):
        with open(file, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if is_http_response(record):
                    yield record.rec_headers.get_header("WARC-Target-URI"), file, records.get_record_offset()


def response_at(file: Path, offset: int) -> WarcResponse:
    """Read the response record that starts at `offset` of a WARC file."""
    with open(file, "rb") as stream:
        stream.seek(offset)
        return as_response(next(iter(ArchiveIterator(stream))), file.name)


def expand(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """List the WARC files that a path, or each of several paths, names."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else paths
    return [file for path in paths for file in warc_files(path)]


def is_http_response(record) -> bool:
    """Tell whether a WARC record is an HTTP response (not a request, warcinfo, revisit or DNS record)."""
    http = record.http_headers
    return record.rec_type == "response" and bool(http) and http.get_statuscode().isdigit()


def as_response(record, warc_file: str) -> WarcResponse:
    """Read a response record's status, headers and decoded body."""
    http = record.http_headers
    dropped = undone_encoding_headers(http)
    return WarcResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(http.get_statuscode()),
        headers=[(name, value) for name, value in http.headers if name.lower() not in dropped],
        body=(record.content_stream() if dropped else record.raw_stream).read(),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        warc_file=warc_file,
    )


def undone_encoding_headers(http) -> set[str]:
    """Name the headers (lowercase) that describe the body as sent, when warcio's content_stream undoes that."""
    names = set()
    if http.get_header("Transfer-Encoding") == "chunked":  # warcio's own test
        names.add("transfer-encoding")
    if (http.get_header("Content-Encoding") or "").lower() in BufferedReader.get_supported_decompressors():
        names.add("content-encoding")
    # the length of the body as sent is not the length of the body read
    return names | {"content-length"} if names else names
