from newscrawl.spiders.section import SectionSpider


class MiddleEastSpider(SectionSpider):
    """The Middle East."""

    name = region = "middle_east"
