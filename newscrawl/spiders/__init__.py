"""One spider per region: `scrapy list` shows them. Each is a declaration over `section.SectionSpider`."""
