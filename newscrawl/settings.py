"""Scrapy settings for newscrawl. Project settings share the NEWSCRAWL_ prefix."""

from scrapy.settings.default_settings import EXTENSIONS_BASE as _scrapy_extensions

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# Polite by default: say who we are, obey robots.txt, adapt to the server, never hang.
USER_AGENT = "newscrawl/0.1 (news dataset crawler; Scrapy)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
# A news page is well under 1 MB; anything past 10 MB is not an article.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

ADDONS = {
    "newscrawl.replay.ReplayAddon": 0,
    "newscrawl.resolve.ResolveAddon": 0,
    "newscrawl.scaleout.ScaleOutAddon": 10,  # after replay: it shards replay's output too (NEWSCRAWL_REDIS_URL)
}
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's retry, plus Retry-After and backoff on 429/503
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.retry.RetryAfterMiddleware": 550,
    # pages whose declared charset is wrong are decoded again from what the body says
    "newscrawl.middlewares.encoding.EncodingRepairMiddleware": 560,
    # redirect loops and off-site redirects reach the spider's errback, to be counted
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.redirect.GuardedRedirectMiddleware": 600,
    # next to the download handler: every response as downloaded, with its request as sent (NEWSCRAWL_WARC_DIR)
    "newscrawl.warc.recorder.WarcRecorderMiddleware": 950,
}
# One item per article page, through pipelines that never wait: Scrapy's 100 parallel item workers per
# callback (CONCURRENT_ITEMS) would only be started and stopped for every response.
CONCURRENT_ITEMS = 1
ITEM_PIPELINES = {
    "newscrawl.pipelines.validation.ValidationPipeline": 100,
    "newscrawl.pipelines.deduplication.DeduplicationPipeline": 200,
    "newscrawl.pipelines.incremental.IncrementalPipeline": 250,
    "newscrawl.pipelines.jsonlines.JsonLinesPipeline": 300,
}
# Scrapy's extensions less its telnet console and remote control (a server on localhost that runs posted code):
# a cron crawler needs neither. Left out of the base list, not set to None, so they are not even imported.
_unwanted = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
EXTENSIONS_BASE = {name: order for name, order in _scrapy_extensions.items() if name not in _unwanted}
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "newscrawl.extensions.state.StateExtension": 100,
    "newscrawl.extensions.report.RunReport": 500,
    "newscrawl.extensions.quiet_network_errors.QuietNetworkErrors": 500,
    "newscrawl.extensions.feed_targets.FeedTargets": 0,
}
FEED_EXPORT_ENCODING = "utf-8"

# Where each run's JSON Lines go; %(name)s is the spider, %(time)s the UTC start time. Empty: no file.
NEWSCRAWL_OUTPUT = "data/%(name)s/%(time)s.jsonl"
# fsync the output before its records are recorded as written: a crash or power cut then loses nothing.
NEWSCRAWL_FSYNC = True
# Group commit: the records written within this many seconds are made durable together, one fsync of the
# output, then one commit of the state (and at the end of the run, or every 1000 records). 0: one per record,
# as always on a Redis state (scaled out).
NEWSCRAWL_COMMIT_SECONDS = 1.0
# What each spider already wrote (SQLite, one file a project): see `scrapy state`.
NEWSCRAWL_STATE = "data/state.sqlite"
# A page rejected (not the section's, no article in it) is not fetched again for this many hours, unless a
# sitemap says it changed; then it is tried again, in case the site or newscrawl's parser changed.
NEWSCRAWL_REJECTED_HOURS = 24
# One run of a spider at a time: `scrapy crawl` holds this lock file (%(name)s is the spider).
NEWSCRAWL_LOCK = "data/%(name)s.lock"
# Health checks that make `scrapy crawl` exit non-zero (README: exit codes).
# A field's coverage below this share of its median over the previous runs' summaries:
NEWSCRAWL_COVERAGE_DROP = 0.5
NEWSCRAWL_COVERAGE_HISTORY = 5
# Share of fetched articles dropped (no body, bad date, fetch failed...) above which the run failed:
NEWSCRAWL_MAX_DROP_RATE = 0.25
# This many 403 answers, and at least half of all answers, mean the site is blocking us:
NEWSCRAWL_BLOCKED_AFTER = 3
# Serve every request from a fixture site folder (its site.json manifest) instead of the network.
NEWSCRAWL_REPLAY = ""
# The sites a region spider crawls (registry keys of newscrawl/sites/, comma-separated); `-a sites=` for one run.
NEWSCRAWL_SITES = "sputnik"
# Listing pages walked per section ("load more" steps + 1) unless `-a max_pages=` says otherwise.
NEWSCRAWL_MAX_PAGES = 10
# Daily sitemaps read when pagination is unavailable and no `since` is given.
NEWSCRAWL_SITEMAP_DAYS = 3
# At most this many listed URLs are requests in Scrapy's scheduler at a time; the others wait in the state's
# pending table (where every listed URL is noted before it is requested) and are read from it, oldest first, as
# the scheduler empties, so memory stays flat however many URLs the sitemaps list. 0: all at once. Scaled out
# (NEWSCRAWL_REDIS_URL) the queue is in Redis and every listed URL goes to it at once.
NEWSCRAWL_QUEUE_SIZE = 1000
# Send requests for these hosts to another origin, like curl --resolve: {"sputnikglobe.com": "http://127.0.0.1:8080"}
# (a local mirror or test server). The records keep the real URLs.
NEWSCRAWL_RESOLVE: dict[str, str] = {}
# Longest Retry-After honored, in seconds; a server asking for more is given up on (counted).
NEWSCRAWL_RETRY_AFTER_MAX = 300
# Check each record against newscrawl/article.schema.json before it is written.
NEWSCRAWL_VALIDATE_SCHEMA = True
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawl.logformatter.NewscrawlLogFormatter"

# WARC
# Record every response fetched (listing pages, feeds, sitemaps, robots.txt, articles, redirects), with its
# request, in gzip WARC files in this folder (%(name)s is the spider), e.g. "data/warc/%(name)s". Empty: off.
NEWSCRAWL_WARC_DIR = ""
# A WARC file is finished, and the next one begun, once it reaches this many bytes.
NEWSCRAWL_WARC_MAX_BYTES = 1_000_000_000

# Scale-out
# Many workers, one crawl: every `scrapy crawl` given this Redis URL (e.g. "redis://10.0.0.5:6379/0") shares its
# request queue, duplicate filter and state, and writes its own shard (README: Scale out on Redis). Empty: off.
NEWSCRAWL_REDIS_URL = ""
# This worker's name in Redis and in its output file names; empty: host-pid. A named worker runs once at a time.
NEWSCRAWL_WORKER = ""
# Seconds between a worker's heartbeats, and of silence after which the others take over its requests in flight.
NEWSCRAWL_HEARTBEAT = 10
NEWSCRAWL_WORKER_TIMEOUT = 60
