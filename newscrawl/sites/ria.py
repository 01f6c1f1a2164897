"""RIA Novosti (ria.ru): the RIA web platform's original site, read with the platform's layout rules.

Only extraction: newscrawl has no ria.ru spider yet. The layout is the RIA platform's, defined with the
Sputnik rules (Sputnik runs on the same platform); the tests/gold/ria-ru page is this markup.
"""

import re

from newscrawl.sites.rules import Site
from newscrawl.sites.sputnik import RIA

SITE = Site(
    key="ria",
    name="РИА Новости",
    hosts=("ria.ru",),
    timezone="Europe/Moscow",
    language="ru",
    site_names=("РИА Новости",),
    agencies=("РИА Новости", "RIA Novosti"),
    tracking_params=("in",),
    # https://ria.ru/20261127/geminidy-2096123456.html
    article_url=(re.compile(r"^https?://(?:www\.)?ria\.ru/\d{8}/(?:[^/?#]*-)?(?P<id>\d{7,})\.html"),),
    layouts=(RIA,),
    founded="1990-01-01",
)
