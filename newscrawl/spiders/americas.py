from newscrawl.spiders.section import SectionSpider


class AmericasSpider(SectionSpider):
    """North and Latin America."""

    name = region = "americas"
