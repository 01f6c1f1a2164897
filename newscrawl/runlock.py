"""One run of a spider at a time, with a lock the kernel releases when its holder dies.

`flock` on `NEWSCRAWL_LOCK`: a second run fails to take it and exits at once; a lock file left by a
killed run is not held by anyone, so the next run takes it over (and says whose it was).
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO


def try_lock(file) -> bool:
    """Take a file's exclusive lock without waiting; False when a live process holds it."""
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


HOLDER_BYTES = 80
"""How much of a lock file is read: its holder's line ("pid 123 since …"); the rest is not ours to show."""


def holder_of(content: bytes) -> str:
    r"""Say who a lock file names, on one short line, whatever bytes it holds (its content is only informative).

    >>> holder_of(b"pid 12 since 2026-11-30T10:00:00+00:00\n")
    'pid 12 since 2026-11-30T10:00:00+00:00'
    >>> holder_of(b"\xff\xfe\x00junk\n")
    '��?junk'
    """
    text = content[:HOLDER_BYTES].decode("utf-8", errors="replace").strip()
    return "".join(char if char.isprintable() else "?" for char in text)


class AlreadyRunning(Exception):
    """Another live process holds the spider's lock."""


class LockUnavailable(Exception):
    """The lock file cannot be made or opened (a directory in its place, no room, no permission)."""


class RunLock:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.file: BinaryIO | None = None
        self.previous_holder: str | None = None
        """What a lock file left by a dead run said ("pid 123 since …"), when one was taken over."""

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the holder (LockUnavailable when there can be no lock)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            file = open(self.path, "a+b")  # noqa: SIM115 (held for the whole run)
            file.seek(0)
            holder = holder_of(file.read(HOLDER_BYTES))
        except OSError as error:
            raise LockUnavailable(f"the lock NEWSCRAWL_LOCK={self.path} cannot be opened: {error}") from None
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            raise AlreadyRunning(f"{self.path} is held by {holder or 'another process'}") from None
        self.previous_holder = holder or None
        file.seek(0)
        file.truncate()
        file.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode())
        file.flush()
        self.file = file

    def release(self) -> None:
        """Let the lock go, leaving the file empty: only a killed run leaves its name in it."""
        if self.file:
            self.file.truncate(0)
            self.file.close()
            self.file = None
