"""Publishers newscrawl has rules for; a page of any other site is read with the generic rules."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from newscrawl.sites import generic, sputnik
from newscrawl.sites.rules import Site

SITES: tuple[Site, ...] = (sputnik.SITE,)

# Any other site is read with every layout we know (platforms such as RIA's serve many sites), then the
# generic layout.
OTHER_SITES = replace(generic.SITE, layouts=(*(layout for site in SITES for layout in site.layouts), generic.GENERIC))


def site_for_url(url: str) -> Site:
    """Return the rules of the publisher that serves this URL, or those for any other site."""
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES:
        if any(host == known or host.endswith("." + known) for known in site.hosts):
            return site
    return OTHER_SITES
