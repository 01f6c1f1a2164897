"""Article-page extraction: structured data first, then the site's layout rules, then generic rules."""
