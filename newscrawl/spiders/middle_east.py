from newscrawl.spiders.section import SectionSpider


class MiddleEastSpider(SectionSpider):
    """The Middle East."""

    name = "middle_east"
    sections = ("middleeast",)
