"""newscrawl: regional news sections crawled into clean JSON Lines records."""
