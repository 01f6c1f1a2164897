"""Redirects that would lose an article silently are refused loudly instead.

Scrapy lets a redirect loop die in the duplicate filter and an off-site redirect die in the scheduler's
offsite check, neither reaching the request's errback. Raising here sends both to the spider's errback,
which counts and logs them like any failed fetch.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already on the redirect chain."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a host the spider does not crawl."""


class GuardedRedirectMiddleware(RedirectMiddleware):
    # override: Scrapy's signature keeps its deprecated `spider` argument, not passed to middlewares without it
    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if not isinstance(result, Request):
            return result
        if result.url in (*request.meta.get("redirect_urls", ()), request.url):
            raise RedirectLoop(f"{request.url} redirects back to {result.url}")
        offsite = self.crawler.get_downloader_middleware(OffsiteMiddleware)
        spider = self.crawler.spider  # None: no allowed_domains, every host followed
        if offsite and spider and not result.meta.get("allow_offsite") and not offsite.should_follow(result, spider):
            raise OffsiteRedirect(f"{request.url} redirects off-site to {result.url}")
        return result
