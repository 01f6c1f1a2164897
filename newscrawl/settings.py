"""Scrapy settings for newscrawl. Project settings share the NEWSCRAWL_ prefix."""

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

ADDONS = {"newscrawl.replay.ReplayAddon": 0}
ITEM_PIPELINES = {
    "newscrawl.pipelines.validation.ValidationPipeline": 100,
    "newscrawl.pipelines.deduplication.DeduplicationPipeline": 200,
    "newscrawl.pipelines.jsonlines.JsonLinesPipeline": 300,
}
EXTENSIONS = {"newscrawl.extensions.RunSummary": 500}
FEED_EXPORT_ENCODING = "utf-8"

# Where each run's JSON Lines go; %(name)s is the spider, %(time)s the UTC start time. Empty: no file.
NEWSCRAWL_OUTPUT = "data/%(name)s/%(time)s.jsonl"
# Serve every request from a fixture site folder (its site.json manifest) instead of the network.
NEWSCRAWL_REPLAY = ""
# Listing pages walked per section ("load more" steps + 1) unless `-a max_pages=` says otherwise.
NEWSCRAWL_MAX_PAGES = 10
# Daily sitemaps read when pagination is unavailable and no `since` is given.
NEWSCRAWL_SITEMAP_DAYS = 3
# Check each record against schema/article.schema.json before it is written.
NEWSCRAWL_VALIDATE_SCHEMA = True
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawl.logformatter.NewscrawlLogFormatter"
