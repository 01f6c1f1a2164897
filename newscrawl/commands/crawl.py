"""`scrapy crawl`, cron-safe: one run per spider at a time, and an exit code that says whether the run was healthy.

Exit codes (README): 0 healthy (including "nothing new"), 1 the crawl could not start, 2 bad usage,
3 no articles, 4 a field's coverage fell, 5 too many drops or fetch errors, 6 blocked (403s),
7 interrupted, 8 the site unreachable, 9 output or state failed, 75 another run of the spider holds the lock.

A crawl that cannot start because of what the user gave (an unknown spider or `-a` argument, a bad value, a
wrong setting: UsageError or ValueError) or a state store that cannot be opened says so on one line; any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import sys
import traceback

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import CrawlerProcessBase
from scrapy.exceptions import UsageError

from newscrawl.health import EXIT_LOCKED
from newscrawl.paths import fill
from newscrawl.runlock import AlreadyRunning, LockUnavailable, RunLock
from newscrawl.state import StateUnavailable

logger = logging.getLogger(__name__)

USER_ERRORS = (UsageError, ValueError, StateUnavailable)
"""What a crawl raises at start-up over what it was given or where it runs, not over a bug of its own."""

SCRAPYD_ARGUMENTS = frozenset({"_job"})
"""Arguments Scrapyd passes to every spider it schedules."""


class Command(ScrapyCrawl):
    # Scrapy's run() with a run lock and exit codes around it. Not super().run(): that keeps to itself the
    # crawler (whose stats give the exit code) and the crawl's task (see crawl()). tests/test_library_canaries.py
    # flags a Scrapy whose run() is no longer the one crawl() mirrors.
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name: scrapy crawl asia")
        name = args[0]
        try:
            spidercls = spider_class(self.process().spider_loader, name)
            check_arguments(spidercls, opts.spargs)
            path = lock_path(self.settings, lock_name(spidercls, opts.spargs))
        except UsageError as error:
            self.exitcode = self.cannot_start(name, error)
            return
        lock = RunLock(path) if path else None
        try:
            if lock:
                lock.acquire()
        except AlreadyRunning as busy:
            line = f"scrapy crawl {name}: another run is in progress ({busy}); exiting."
            print(line, file=sys.stderr)
            if self.settings is not None and self.settings.get("LOG_FILE"):  # Scrapyd's job log, a cron job's log: say why nothing ran
                logger.error(line)
            self.exitcode = EXIT_LOCKED
            return
        except LockUnavailable as error:
            self.exitcode = self.cannot_start(name, UsageError(str(error)))
            return
        if lock and lock.previous_holder:
            print(f"scrapy crawl {name}: taking over the lock left by a run that ended ({lock.previous_holder})", file=sys.stderr)
        try:
            self.exitcode = self.crawl(name, opts.spargs)
        finally:
            if lock:
                lock.release()

    def process(self) -> CrawlerProcessBase:
        assert self.crawler_process is not None  # set by scrapy.cmdline before run()
        return self.crawler_process

    def crawl(self, name: str, spargs: dict) -> int:
        """Run the crawl; return its exit code, or 1 after saying why it could not start."""
        process = self.process()
        try:
            # private (pinned by tests/test_library_canaries.py): the public process.create_crawler() lacks its
            # warning that FEEDS (-o) go nowhere with the FeedExporter off
            crawler = self._create_crawler(name)
            task = process.crawl(crawler, **spargs)
            process.start()
        except USER_ERRORS as error:
            return self.cannot_start(name, error)
        # Scrapy re-raises a failed start in the crawl's task for asyncio to log as "never retrieved", a
        # traceback even for a mistyped setting; retrieving the exception here replaces that with our report.
        if failure := failure_of(task):
            return self.cannot_start(name, failure)
        if process.bootstrap_failed:
            return 1
        return crawler.stats.get_value("newscrawl/exit_code", 1)

    def cannot_start(self, name: str, error: BaseException) -> int:
        """Say why the crawl could not start (one line for the user's mistake, the traceback for a bug); return 1."""
        line = f"scrapy crawl {name}: {error}" if str(error) else f"scrapy crawl {name}: {type(error).__name__}"
        bug = not isinstance(error, USER_ERRORS)
        if bug:
            traceback.print_exception(error, file=sys.stderr)
        else:
            print(line, file=sys.stderr)
        # the log of a cron job says why its run stopped, like the mail does
        if self.settings is not None and self.settings.get("LOG_FILE"):
            logger.error(line, exc_info=error if bug else None)
        return 1


def failure_of(task) -> BaseException | None:
    """The exception a finished crawl task ended with, if any (retrieving it, so asyncio does not report it)."""
    if not isinstance(task, asyncio.Future) or not task.done() or task.cancelled():
        return None  # a Deferred (Scrapy's Twisted-only CrawlerProcess) reports its own failures
    return task.exception()


def lock_name(spidercls: type[Spider], spargs: dict) -> str:
    """The name the run's lock goes by: the spider's, or the one its arguments give it (a section by its URL)."""
    name_for = getattr(spidercls, "run_name", None)
    return name_for(spargs) if callable(name_for) else str(spidercls.name)


def spider_class(loader, name: str) -> type[Spider]:
    """The spider class of this name, or UsageError listing the spiders there are."""
    if name not in loader.list():
        raise UsageError(f"no spider {name!r}; there are: {', '.join(sorted(loader.list()))}")
    return loader.load(name)


def spider_arguments(spidercls: type) -> list[str]:
    """The keyword arguments a spider's `__init__` takes, along its classes, its own first."""
    names = []
    for cls in spidercls.__mro__:
        if "__init__" in vars(cls) and cls is not object:
            for parameter in list(inspect.signature(vars(cls)["__init__"]).parameters.values())[1:]:
                if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                    names.append(parameter.name)
    return list(dict.fromkeys(names))


def check_arguments(spidercls: type[Spider], spargs: dict) -> None:
    """Refuse an `-a` argument the spider does not take (a typo would otherwise be ignored), naming those it takes."""
    # `name` is Scrapy's own: `-a name=x` would file the run's output and state under x, outside its lock
    takes = [name for name in spider_arguments(spidercls) if name != "name"]
    unknown = [name for name in spargs if name not in takes and name not in SCRAPYD_ARGUMENTS]
    if unknown:
        given = ", ".join(f"-a {name}={spargs[name]}" for name in unknown)
        raise UsageError(f"unknown argument {given}; {spidercls.name} takes {', '.join(takes)}")


def lock_path(settings, name: str) -> str | None:
    """Return the run lock of this spider, or None for none.

    Scaled out (NEWSCRAWL_REDIS_URL), every process is one more worker of a shared crawl: a worker given a name
    (NEWSCRAWL_WORKER) runs once at a time, on the lock of `<spider>-<worker>` (or where `%(worker)s` puts it);
    an unnamed one takes no lock.
    """
    template = settings["NEWSCRAWL_LOCK"]
    if not template:
        return None
    worker = settings.get("NEWSCRAWL_WORKER") or ""
    if settings.get("NEWSCRAWL_REDIS_URL"):
        if not worker:
            return None
        if "%(worker)s" not in template:
            name = f"{name}-{worker}"
    return fill("NEWSCRAWL_LOCK", template, name=name, worker=worker)
