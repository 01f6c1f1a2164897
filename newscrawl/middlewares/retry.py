"""Retries that honor Retry-After: on 429 and 503 wait what the server asks, and hold the whole site back meanwhile.

Everything else (timeouts, lost connections, truncated bodies, other 5xx) is Scrapy's RetryMiddleware as is.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

BACKOFF_STATUSES = frozenset({429, 503})
DELTA_SECONDS = re.compile(r"\d+", re.ASCII)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries; a 429 or 503 is retried after its Retry-After (else 1 s, 2 s, 4 s...), site-wide."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX")
        self.paused_until: dict[str, float] = {}

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        # `spider` is only the parent's signature: Scrapy passes none to a method that does not require it
        if (
            response.status not in BACKOFF_STATUSES
            or response.status not in self.retry_http_codes
            or request.meta.get("dont_retry", False)
        ):
            return super().process_response(request, response)
        asked = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
        if asked is not None and asked > self.max_wait:
            self.crawler.stats.inc_value("newscrawl/retry_after/too_long")
            logger.warning(
                "Not retrying %s: HTTP %d asks to wait %.0f s, longer than NEWSCRAWL_RETRY_AFTER_MAX (%.0f s)",
                request.url, response.status, asked, self.max_wait,
            )
            return response
        wait = asked if asked is not None else backoff(request.meta.get("retry_times", 0), self.max_wait)
        self.pause_site(request, wait)  # even without a retry left: the site asked everyone to wait
        retry = self.retry_request(request, response_status_message(response.status))
        if retry is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("newscrawl/retry_after/waited")
        # seconds, not always whole: inc_value takes only int counts
        stats.set_value("newscrawl/retry_after/seconds", stats.get_value("newscrawl/retry_after/seconds", 0) + wait)
        logger.info(
            "HTTP %d on %s: retrying in %.1f s (%s), the site's other requests wait too",
            response.status, request.url, wait, "Retry-After" if asked is not None else "backoff",
        )
        return retry

    def retry_request(self, request: Request, reason: str) -> Request | None:
        """The retry of `request`, or None once its retries are spent; stats and log lines are those of Scrapy's
        own retries (its RetryMiddleware calls the same function with the same settings and request meta keys)."""
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    def pause_site(self, request: Request, seconds: float) -> None:
        """Hold back every request of the request's downloader slot (its site) for `seconds`."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        until = monotonic() + seconds
        if slot is None or seconds <= 0 or until <= self.paused_until.get(key, 0.0):
            return
        self.paused_until[key] = until
        # Scrapy internals (pinned by tests/test_library_canaries.py): the downloader takes nothing off a slot's
        # queue while slot.latercall is pending (that is how it spaces DOWNLOAD_DELAY) and Downloader._latercall
        # resumes the queue, so every request to the site, queued or to come, leaves after the wait. No public API
        # does that: slot.delay would outlast the wait and AutoThrottle resets it; waiting in process_request would
        # not hold the requests already queued in the slot; engine.pause() would stop every site.
        if slot.latercall:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, downloader._latercall, slot)


def retry_after_seconds(value: bytes | str | None, now: datetime) -> float | None:
    """Read a Retry-After header (delta-seconds or an HTTP date) as seconds from now; None if absent or junk.

    >>> retry_after_seconds(b"120", datetime(2026, 11, 28, tzinfo=UTC))
    120.0
    >>> retry_after_seconds("Sat, 28 Nov 2026 00:01:30 GMT", datetime(2026, 11, 28, tzinfo=UTC))
    90.0
    """
    text = (value.decode("latin-1") if isinstance(value, bytes) else value or "").strip()
    if DELTA_SECONDS.fullmatch(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff(retries: int, cap: float) -> float:
    """Seconds to wait before retry number `retries + 1` when the server named none: 1, 2, 4... up to `cap`.

    >>> [backoff(n, 5) for n in range(5)]
    [1.0, 2.0, 4.0, 5.0, 5.0]
    """
    return float(min(2 ** min(retries, 32), cap))
