import pytest

from newscrawl.processors.urls import canonicalize_url

RIA_PAGE = "https://ria.ru/20260531/a.html"


@pytest.mark.parametrize(
    ("value", "base_url", "extra", "expected"),
    [
        (None, None, (), None),
        ("", None, (), None),
        ("   ", None, (), None),
        ("\x00", None, (), None),
        (42, None, (), None),
        ("!!!", None, (), None),
        ("javascript:void(0)", RIA_PAGE, (), None),
        ("mailto:news@ria.ru", RIA_PAGE, (), None),
        ("#comments", RIA_PAGE, (), None),  # an anchor on the same page
        ("ftp://ria.ru/file.txt", None, (), None),
        ("relative/without/base.html", None, (), None),
        ("http://[::1", None, (), None),
        ("http://ria.ru:99999/", None, (), None),
        ("http://ria ru.com/", None, (), None),
        ("https://user:pw@Ria.ru:443/x", None, (), "https://user:pw@ria.ru/x"),
        (
            "https://sputnikglobe.com/20190530/x-1075456789.html"
            "?utm_source=rss&utm_medium=rss#comments",
            None,
            (),
            "https://sputnikglobe.com/20190530/x-1075456789.html",
        ),
        (
            "/20260530/kosmos-2095659602.html?in=t",
            RIA_PAGE,
            ("in",),
            "https://ria.ru/20260530/kosmos-2095659602.html",
        ),
        ("/x.html?in=t", RIA_PAGE, (), "https://ria.ru/x.html?in=t"),  # "in" only when asked
        ("/x.html?in=t", RIA_PAGE, "in", "https://ria.ru/x.html"),  # a str, not letters
        ("x.html", "https://ria.ru/dir/page.html", (), "https://ria.ru/dir/x.html"),
        ("//cdn.ria.ru/img.jpg", RIA_PAGE, (), "https://cdn.ria.ru/img.jpg"),
        ("  https://ria.ru/a.html \n", None, (), "https://ria.ru/a.html"),
        ("HTTPS://WWW.Sputnik.COM:443/A.html", None, (), "https://www.sputnik.com/A.html"),
        ("http://ria.ru:80/a", None, (), "http://ria.ru/a"),
        ("http://ria.ru:8080/a", None, (), "http://ria.ru:8080/a"),
        ("https://ria.ru/a?", None, (), "https://ria.ru/a"),
        ("https://ria.ru/a?b=2&a=1&b=3", None, (), "https://ria.ru/a?b=2&a=1&b=3"),
        (
            "https://ria.ru/a?id=1&fbclid=x&gclid=y&utm_new_thing=z&UTM_Source=q&page=2",
            None,
            (),
            "https://ria.ru/a?id=1&page=2",
        ),
        (
            "https://ria.ru/путь/a b.html?q=ключ",
            None,
            (),
            "https://ria.ru/%D0%BF%D1%83%D1%82%D1%8C/a%20b.html?q=%D0%BA%D0%BB%D1%8E%D1%87",
        ),
        ("https://ria.ru/a%20b.html", None, (), "https://ria.ru/a%20b.html"),  # stays as it is
    ],
)
def test_canonicalize_url(value, base_url, extra, expected):
    assert canonicalize_url(value, base_url, extra) == expected

