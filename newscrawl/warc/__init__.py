"""WARC archives: `recorder` writes every response of a crawl to WARC files, `archive` reads them back."""
