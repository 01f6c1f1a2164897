"""Discovery on a site nobody wrote rules for: where a section's articles are listed, and which links are articles.

Pure functions over a parsel `Selector` (a Scrapy response works too) and URL strings; no requests. A spider asks:

- `feeds(page, page_url)`: the RSS/Atom feeds the page declares;
- `sitemaps_from_robots(robots_body, base_url)`: the sitemaps robots.txt declares, Google News ones told apart;
- `article_links(page, section_url)`: the links of a section page that are articles, not navigation;
- `next_pages(page, page_url)`: the section's next listing pages ("next", `?page=N`, `/page/N/`, "load more");
- `in_section(article_url, section_url, declared_section, breadcrumb)`: True, False or None (no evidence).
"""

from newscrawl.discovery.links import article_links
from newscrawl.discovery.pagination import next_pages
from newscrawl.discovery.sections import in_section
from newscrawl.discovery.sources import SitemapRef, feeds, sitemaps_from_robots

__all__ = ["SitemapRef", "article_links", "feeds", "in_section", "next_pages", "sitemaps_from_robots"]
