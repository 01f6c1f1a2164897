"""The registry of publishers newscrawl has rules for, one line each; a page of any other site is read with
the generic rules. Adding a site: its file in this folder, its line below, its fixture folder."""

from __future__ import annotations

from importlib import import_module
from urllib.parse import urlsplit

from newscrawl.sites import generic
from newscrawl.sites.rules import Site

# the modules of newscrawl/sites/ that declare a SITE, one line each
SITE_MODULES = (
    "sputnik",
    "ria",
    "guardian",
    "bbc",
    "aljazeera",
    "japantimes",
)
REGISTRY: dict[str, Site] = {
    site.key: site for site in (import_module(f"newscrawl.sites.{module}").SITE for module in SITE_MODULES)
}

# Any other site is read with the generic layout only: other sites' markup reuses common class names
# (`article__body`, `article__title`), and a site's layout rules (its furniture removal above all) misread them.
OTHER_SITES = generic.SITE


def site_for_url(url: str | None) -> Site:
    """Return the rules of the publisher that serves this URL, or those for any other site."""
    host = (urlsplit(url or "").hostname or "").lower()
    for site in REGISTRY.values():
        if any(host == known or host.endswith("." + known) for known in site.hosts):
            return site
    return OTHER_SITES


def site_key(url: str | None) -> str:
    """Name the site a URL belongs to: its registry key, else its host (a site without rules)."""
    site = site_for_url(url)
    return site.key or (urlsplit(url or "").hostname or "").lower().removeprefix("www.")


def sites_named(names: str | None, region: str | None = None) -> tuple[Site, ...]:
    """Return the registered sites a comma-separated list names ("sputnik,ria"), in its order; with a region,
    only those that have sections for it. A name that is not registered is an error that lists the known ones."""
    wanted = [name.strip() for name in (names or "").split(",") if name.strip()]
    unknown = [name for name in wanted if name not in REGISTRY]
    if not wanted or unknown:
        raise ValueError(f"sites: {', '.join(unknown) or repr(names)} not known; known sites: {', '.join(REGISTRY)}")
    sites = tuple(REGISTRY[name] for name in dict.fromkeys(wanted))
    if region is not None:
        without = [site.key for site in sites if region not in site.regions]
        if without:
            raise ValueError(f"sites: {', '.join(without)} has no {region} section; sites with one: "
                             f"{', '.join(key for key, site in REGISTRY.items() if region in site.regions)}")
    return sites
