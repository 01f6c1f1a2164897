"""A failure to write the output or the state ends the run at once: exit code 9, the cause in the log and summary.

Going on would fetch and lose articles, or write records the state cannot account for (duplicates next run).
"""

from __future__ import annotations

import logging

from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

OUTPUT_FAILED = "output_failed"
STATE_FAILED = "state_failed"


def stop_for_storage(crawler, reason: str, message: str) -> None:
    """Stop the crawl with `reason` (OUTPUT_FAILED or STATE_FAILED), once, saying why."""
    if crawler.stats.get_value("newscrawl/storage_failed"):
        return
    crawler.stats.set_value("newscrawl/storage_failed", message)
    logger.error("%s; stopping the run (exit code 9)", message)
    if not crawler.crawling:
        return  # not started, or already stopping: the reason is in the stats for the report
    engine = crawler.engine
    if engine.spider is not None and engine.running:
        deferred_from_coro(engine.close_spider_async(reason=reason))
