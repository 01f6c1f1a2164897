from newscrawl.spiders.section import SectionSpider


class RussiaSpider(SectionSpider):
    """Russia."""

    name = region = "russia"
