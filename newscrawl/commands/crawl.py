"""`scrapy crawl`, cron-safe: one run per spider at a time, and an exit code that says whether the run was healthy.

Exit codes (README): 0 healthy (including "nothing new"), 1 the crawl could not start, 2 bad usage,
3 no articles, 4 a field's coverage fell, 5 too many drops or fetch errors, 6 blocked (403s),
7 interrupted, 75 another run of the spider holds the lock.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from newscrawl.extensions.health import EXIT_LOCKED
from newscrawl.runlock import AlreadyRunning, RunLock


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give one spider name: scrapy crawl asia")
        name = args[0]
        lock = RunLock(path) if (path := lock_path(self.settings, name)) else None
        try:
            if lock:
                lock.acquire()
        except AlreadyRunning as busy:
            print(f"scrapy crawl {name}: another run is in progress ({busy}); exiting.", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        if lock and lock.previous_holder:
            print(f"scrapy crawl {name}: taking over the lock left by a run that ended ({lock.previous_holder})", file=sys.stderr)
        try:
            crawler = self._create_crawler(name)
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            if lock:
                lock.release()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        else:
            self.exitcode = crawler.stats.get_value("newscrawl/exit_code", 1)


def lock_path(settings, name: str) -> str | None:
    """Return the run lock of this spider, or None for none.

    Scaled out (NEWSCRAWL_REDIS_URL), every process is one more worker of a shared crawl: a worker given a name
    (NEWSCRAWL_WORKER) runs once at a time, on the lock of `<spider>-<worker>`; an unnamed one takes no lock.
    """
    template = settings["NEWSCRAWL_LOCK"]
    if not template:
        return None
    if settings.get("NEWSCRAWL_REDIS_URL"):
        worker = settings.get("NEWSCRAWL_WORKER")
        return template % {"name": f"{name}-{worker}"} if worker else None
    return template % {"name": name}
