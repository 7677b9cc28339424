"""Comment text becomes safe HTML: light Markdown in, nothing executable out."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from masthead.discussion.rendering import ALLOWED_TAGS, comment_render

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src=//evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
    "`<script>`",
    "<details open ontoggle=alert(1)>",
    "[x](vbscript:msgbox(1))",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup_or_script(payload):
    tree = BeautifulSoup(comment_render(payload), "html.parser")

    for element in tree.find_all(True):
        assert element.name in ALLOWED_TAGS, element
        assert set(element.attrs) <= {"href", "rel"}, element
        if element.has_attr("href"):
            assert urlsplit(element["href"]).scheme in {"http", "https", "mailto"}, element


def test_markdown_gives_emphasis_links_quotes_and_code():
    html = comment_render("*soft* **strong** [site](https://example.org)\n\n> quoted\n\n`code`")

    assert "<em>soft</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">site</a>' in html
    assert "<blockquote>" in html and "<code>code</code>" in html


def test_raw_html_is_shown_as_text():
    assert (
        comment_render("I <3 <b>bold</b> claims") == "<p>I &lt;3 &lt;b&gt;bold&lt;/b&gt; claims</p>"
    )


def test_headings_and_images_are_not_available():
    html = comment_render("# Shouting\n\n![tracker](https://evil.example/p.gif)")

    assert "<h1" not in html and "<img" not in html


def test_struck_through_text_keeps_its_line():
    # A reader correcting themselves ("~~Tuesday~~ Wednesday") must not read as both words.
    assert comment_render("It opens ~~Tuesday~~ Wednesday") == (
        "<p>It opens <s>Tuesday</s> Wednesday</p>"
    )
