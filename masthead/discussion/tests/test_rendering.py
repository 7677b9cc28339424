"""Comment text becomes safe HTML: light Markdown in, nothing executable out."""

import random
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from masthead.discussion import rendering
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


# Pieces of comments: prose in several scripts, punctuation with and without a meaning in
# Markdown, line breaks and blank lines, and what makes a line a list, a code block or a hard
# break.
PROSE = list("abcdefgXYZ éüßжя東京ب٣²½") + list(" ,.;:'\"?!()/%$@+=-–—…’‘“”«»€£") + ["\n"]
MARKUP = ["\n\n", "  ", " \n", "\n ", "    ", "1. ", "2) ", "- ", "+ ", "* ", "_", "`", "~~"]
MARKUP += ["&amp;", "&#35;", "<", "> ", "#", "\t", "\r", "\u00a0", "\\", "[a](b)", "|", "\x00"]
MARKUP += ["\u202e", "\u2066", "\u200b", "\ufeff", "\ud800", "\U0001f600"]  # format, emoji


def test_plain_prose_is_written_as_the_parser_and_the_sanitizer_write_it():
    # The shortcut must never change a comment's HTML: compared with markdown-it and nh3 on
    # texts mixing prose with everything that could make it more than prose.
    generator = random.Random(20261208)
    taken = 0
    for _ in range(20_000):
        pieces = PROSE + MARKUP if generator.random() < 0.3 else PROSE
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 40)))
        shortcut = rendering._plain_html(text)
        if shortcut is not None:
            taken += 1
            full = rendering._sanitize(rendering._markdown.render(text), tags=ALLOWED_TAGS)
            assert shortcut == full, repr(text)
    assert taken > 2_000  # most prose takes the shortcut


def test_a_plain_comment_keeps_its_paragraphs_lines_and_quotes():
    text = 'Les chiffres du "conseil" ne tiennent pas.\nQui paiera ?\n\n  \nMerci, l’équipe…'

    assert rendering._plain_html(text) is not None
    assert comment_render(text) == (
        '<p>Les chiffres du "conseil" ne tiennent pas.\nQui paiera ?</p>\n<p>Merci, l’équipe…</p>'
    )


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("Items:\n1. one\n2. two", "<ol>"),
        ("Items:\n\n- one\n- two", "<ul>"),
        ("Quote:\n\n> said", "<blockquote>"),
        ("Line one  \nline two", "<br>"),
        ("Look:\n\n    indented code", "<pre>"),
        ("A *word*", "<em>"),
        ("A ~~word~~", "<s>word</s>"),
        ("Fish &amp; chips", "Fish &amp; chips"),
        ("See <https://example.org>", 'href="https://example.org"'),
        ("Backslash \\*not emphasis*", "*not emphasis*"),
    ],
)
def test_markup_is_still_read_as_markdown(text, markup):
    assert rendering._plain_html(text) is None
    assert markup in comment_render(text)
