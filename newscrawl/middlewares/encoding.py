"""Read a page in the encoding its body declares when the HTTP header names a wrong one.

Scrapy trusts the Content-Type charset over the page's own <meta>: a windows-1251 page sent as utf-8 becomes
U+FFFD marks, and a utf-8 page sent as iso-8859-1 becomes mojibake ("SÃ£o Paulo") without any error. Such a
response is decoded again from its BOM or <meta> (else w3lib's detection); a page whose header and body agree,
in whatever charset, is left as Scrapy reads it.
"""

from __future__ import annotations

import logging

from scrapy.http import TextResponse
from w3lib.encoding import http_content_type_encoding, read_bom, resolve_encoding

logger = logging.getLogger(__name__)


class EncodingRepairMiddleware:
    """Re-decode text responses whose declared charset does not fit their body; counts `repaired/encoding`."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response):
        # a BOM outranks the header in Scrapy too: such a body is never misread
        if not isinstance(response, TextResponse) or read_bom(response.body)[0]:
            return response
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        declared = http_content_type_encoding(content_type)
        if not declared or not misread(response.body, declared):
            return response
        # what Scrapy would read if the header named no charset: <meta> or XML declaration, else detection
        own = TextResponse(response.url, body=response.body).encoding
        encoding = repaired_encoding(response.body, declared, own)
        if encoding is None:
            return response
        self.stats.inc_value("newscrawl/repaired/encoding")
        logger.info(
            "Repaired the encoding of %s: Content-Type says %r, the body is %s", response.url, content_type, encoding
        )
        return response.replace(encoding=encoding)


def repaired_encoding(body: bytes, declared: str | None, own: str | None) -> str | None:
    """The encoding to read a body in instead of its header's `declared` one, given the body's `own`; None to keep it.

    >>> repaired_encoding("Москва".encode("cp1251"), "utf-8", "windows-1251")
    'windows-1251'
    >>> repaired_encoding("Москва".encode("cp1251"), "windows-1251", "windows-1251") is None
    True
    """
    if not declared or not own or same_encoding(declared, own) or not misread(body, declared):
        return None
    return None if misread(body, own) else own


def misread(body: bytes, encoding: str) -> bool:
    """Tell whether reading a body in `encoding` is wrong: it does not decode, or it is UTF-8 read as bytes (mojibake).

    >>> misread("São Paulo".encode(), "cp1252"), misread("São Paulo".encode("cp1252"), "cp1252")
    (True, False)
    """
    if body.isascii():
        return False
    if not decodes(body, encoding):
        return True
    # a non-ASCII body that is valid UTF-8 is UTF-8: other charsets' text almost never forms valid sequences
    return resolve_encoding(encoding) != "utf-8" and decodes(body, "utf-8")


def decodes(body: bytes, encoding: str) -> bool:
    """Tell whether a body decodes in an encoding without errors."""
    try:
        body.decode(resolve_encoding(encoding) or encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def same_encoding(a: str, b: str) -> bool:
    """Tell whether two encoding names mean the same codec, as w3lib resolves them ("latin-1" is cp1252)."""
    return (resolve_encoding(a) or a.lower()) == (resolve_encoding(b) or b.lower())
