"""The article item loader: wires the pure processors to the fields; the site comes in as loader context.

Values are added in order of trust (structured data, then the layout's selectors), and a scalar field keeps
the first value that survives its input processors.
"""

from __future__ import annotations

from urllib.parse import urljoin

from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newscrawl.items import Article
from newscrawl.processors.authors import clean_authors
from newscrawl.processors.headline import strip_headline_suffix
from newscrawl.processors.normalize import normalize_text
from newscrawl.processors.urls import canonicalize_url


def site_headline(value, loader_context):
    """Strip the site-name suffix of the site in the loader context, or of the name the page gives itself."""
    names = (*loader_context["site"].site_names, *filter(None, [loader_context.get("page_site_name")]))
    return strip_headline_suffix(value, names)


def site_lead(value, loader_context):
    """Strip the site's description suffix ("… 30.05.2019, Sputnik International")."""
    pattern = loader_context["site"].description_suffix
    return normalize_text(pattern.sub("", value) if pattern and value else value)


def site_url(value, loader_context):
    """Canonicalize a URL against the page URL, dropping the site's tracking parameters too."""
    site = loader_context["site"]
    return canonicalize_url(value, loader_context.get("base_url"), site.tracking_params)


def site_authors(values, loader_context):
    """Clean bylines, dropping the site's own agency names."""
    return clean_authors(values, loader_context["site"].agencies)


def site_section(value, loader_context):
    """Reduce a section link or rubric ("/asia/", "asia") to its slug; keep other names as they are."""
    pattern = loader_context["site"].section_slug
    match = pattern.match(value) if pattern and value else None
    return match.group("slug") if match else (value or None)


def digits(value):
    """Keep an article id only when it is all digits."""
    return value if value and value.isdigit() else None


def primary_language(value):
    """Reduce "en_US", "en-GB" or "EN" to the primary language subtag "en"."""
    subtag = value.replace("_", "-").split("-")[0].lower() if value else ""
    return subtag if subtag.isalpha() and 2 <= len(subtag) <= 3 else None


def absolute_image(entry, loader_context):
    """Make an image URL absolute against the page URL."""
    return {**entry, "url": urljoin(loader_context.get("base_url") or "", entry["url"])}


def canonical_link(entry, loader_context):
    """Canonicalize a related-story URL; links that are not web pages are dropped."""
    url = site_url(entry.get("url"), loader_context)
    return {**entry, "url": url} if url else None


def unique(values):
    """Keep the first of equal values, in order."""
    return list(dict.fromkeys(values))


def unique_by_url(entries):
    """Keep the first entry per "url", in order, dropping entries without one."""
    seen: dict[str, dict] = {}
    for entry in entries:
        if entry.get("url") and entry["url"] not in seen:
            seen[entry["url"]] = entry
    return list(seen.values())


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    url_in = MapCompose(site_url)
    fetched_url_in = canonical_refused_in = Identity()
    body_in = Identity()  # already joined: paragraph breaks must survive
    headline_in = MapCompose(site_headline)
    lead_in = MapCompose(site_lead)
    dateline_in = Identity()
    published_in = modified_in = published_raw_in = modified_raw_in = Identity()
    authors_in = Identity()
    authors_out = Compose(site_authors)
    tags_out = Compose(unique)
    quotes_in = quotes_out = Identity()
    section_in = MapCompose(normalize_text, site_section)
    article_id_in = MapCompose(normalize_text, digits)
    language_in = MapCompose(normalize_text, primary_language)
    related_in = MapCompose(canonical_link)
    images_in = MapCompose(absolute_image)
    related_out = images_out = Compose(unique_by_url)
