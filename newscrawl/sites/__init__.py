"""Publishers newscrawl has rules for; a page of any other site is read with the generic rules."""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl.sites import generic, ria, sputnik
from newscrawl.sites.rules import Site

SITES: tuple[Site, ...] = (sputnik.SITE, ria.SITE)

# Any other site is read with the generic layout only: other sites' markup reuses common class names
# (`article__body`, `article__title`), and a site's layout rules (its furniture removal above all) misread them.
OTHER_SITES = generic.SITE


def site_for_url(url: str) -> Site:
    """Return the rules of the publisher that serves this URL, or those for any other site."""
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES:
        if any(host == known or host.endswith("." + known) for known in site.hosts):
            return site
    return OTHER_SITES
