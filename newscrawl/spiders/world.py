from newscrawl.spiders.section import SectionSpider


class WorldSpider(SectionSpider):
    """World news."""

    name = region = "world"
