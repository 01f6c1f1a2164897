from newscrawl.spiders.section import SectionSpider


class AsiaSpider(SectionSpider):
    """Asia and the Pacific."""

    name = region = "asia"
