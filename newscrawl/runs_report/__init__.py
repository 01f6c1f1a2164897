"""`scrapy report`: one static HTML page over the run summaries, with charts drawn as inline SVG.

summaries.py reads and checks the summaries, svg.py draws the charts, page.py lays out the page.
"""
