"""Refuse, before the crawl, a feed export (`-o`/`-O`, FEEDS) whose local target is a directory.

Scrapy finds out only when it opens the feed, logs an error per item and still ends the run "finished": a
cron run would exit 0 with the extra file missing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError


def local_path(uri: str) -> Path | None:
    """Return the file a feed URI names on this machine, or None for remote storage (s3://, ftp://…).

    >>> local_path("out/asia.jsonl"), local_path("file:///tmp/a.jsonl"), local_path("s3://bucket/a.jsonl")
    (PosixPath('out/asia.jsonl'), PosixPath('/tmp/a.jsonl'), None)
    """
    scheme = urlsplit(uri).scheme
    if scheme == "file":
        return Path(urlsplit(uri).path)
    return Path(uri) if len(scheme) <= 1 else None  # no scheme, or a Windows drive letter


class FeedTargets:
    @classmethod
    def from_crawler(cls, crawler):
        for uri in crawler.settings.getdict("FEEDS"):
            path = local_path(str(uri))
            if path is not None and path.is_dir():
                raise UsageError(f"the feed export target {uri} is a directory; give a file name (-o FILE.jsonl)")
        return cls()
