from newscrawl.spiders.section import SectionSpider


class EuropeSpider(SectionSpider):
    """Europe."""

    name = region = "europe"
