"""Downloader middlewares: retries that honor Retry-After, and repair of wrongly declared encodings."""
