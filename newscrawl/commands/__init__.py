"""Project commands: `scrapy extract`."""
