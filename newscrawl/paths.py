"""Fill the path templates of the settings (`NEWSCRAWL_OUTPUT`, `NEWSCRAWL_LOCK`), refusing a bad one by name."""

from __future__ import annotations

from scrapy.exceptions import UsageError


def fill(setting: str, template: str, **values: str) -> str:
    """Fill a %(key)s template from the values, or raise UsageError naming the setting and the keys it takes.

    >>> fill("NEWSCRAWL_LOCK", "data/%(name)s.lock", name="asia")
    'data/asia.lock'
    >>> fill("NEWSCRAWL_LOCK", "data/%(worker)s.lock", name="asia")
    Traceback (most recent call last):
    ...
    scrapy.exceptions.UsageError: NEWSCRAWL_LOCK='data/%(worker)s.lock': unknown placeholder %(worker)s; it takes %(name)s
    """
    try:
        return template % values
    except KeyError as unknown:
        problem = f"unknown placeholder %({unknown.args[0]})s"
    except (ValueError, TypeError) as error:
        problem = f"not a %(key)s template ({error})"
    takes = ", ".join(f"%({key})s" for key in values)
    raise UsageError(f"{setting}={template!r}: {problem}; it takes {takes}")
