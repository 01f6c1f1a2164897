from newscrawl.spiders.section import SectionSpider


class AsiaSpider(SectionSpider):
    """Asia and the Pacific."""

    name = "asia"
    sections = ("asia",)
