from newscrawl.spiders.section import SectionSpider


class AfricaSpider(SectionSpider):
    """Africa."""

    name = region = "africa"
