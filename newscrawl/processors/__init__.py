"""Pure text processors that clean scraped values; no Scrapy imports here."""
