"""Canonical article URLs: absolute, http(s) only, without fragments or tracking."""

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string, url_query_cleaner

from newscrawl.processors.normalize import normalize_each

TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
        "fbclid", "gclid", "dclid", "yclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl",
        "igshid", "ocid", "cmpid", "ref_src", "spm",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(key: str, extra: frozenset[str]) -> bool:
    """Tell a tracking parameter; every utm_* is one, named or not."""
    key = key.lower()
    return key in TRACKING_PARAMS or key in extra or key.startswith("utm_")


def _host_and_port(url: str) -> str:
    """Return the netloc without a port that is the scheme's default."""
    parts = urlsplit(url)
    if parts.port == _DEFAULT_PORTS[parts.scheme]:
        return parts.netloc.rsplit(":", 1)[0]
    return parts.netloc


def _without_tracking(url: str, extra: frozenset[str]) -> str:
    """Remove tracking parameters and an empty "?", keeping the other parameters in order."""
    query = urlsplit(url).query
    keys = {pair.partition("=")[0] for pair in query.split("&")}
    tracking = [key for key in keys if _is_tracking(key, extra)]
    # unique=False: a repeated real parameter is data, not noise.
    return url_query_cleaner(url, tracking, remove=True, unique=False)


def canonicalize_url(
    value: object, base_url: str | None = None, extra_tracking_params: Iterable[str] = ()
) -> str | None:
    """Return the absolute http(s) URL without fragment and tracking parameters, or None.

    >>> canonicalize_url("/a.html?in=t&id=2#top", "https://RIA.ru/b.html", ("in",))
    'https://ria.ru/a.html?id=2'
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.startswith("#"):
        return None  # a same-page anchor is no link to another page
    base = base_url if isinstance(base_url, str) else ""
    try:
        url = safe_url_string(urljoin(base, text))
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or " " in parts.hostname:
            return None
        url = urlunsplit(parts._replace(netloc=_host_and_port(url), fragment=""))
    except ValueError:
        return None  # unparsable host or port
    extra = frozenset(key.lower() for key in normalize_each(extra_tracking_params))
    return _without_tracking(url, extra)
