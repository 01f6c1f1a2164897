"""Project commands: `scrapy crawl` (lock and exit codes), `scrapy state`, `scrapy extract`."""
