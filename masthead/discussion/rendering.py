"""Turn a comment's light Markdown into safe HTML, once, when it is written."""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "del",
    "s",  # what markdown-it writes for ~~struck through~~
    "a",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

# Commonmark with raw HTML switched off: "<script>" is shown as text, never parsed as a tag.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")
_markdown.disable(["image", "heading", "lheading", "hr", "table"], ignoreInvalid=True)

# Unicode's bidirectional embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO;
# LRI, RLI, FSI, PDI). Nobody needs to type them in a name or a comment: the page isolates
# every text a reader wrote (`dir="auto"`, `<bdi>`), which sets its direction from its own
# letters. Left in, an unclosed RLO (U+202E) would reverse whatever follows it on the line,
# and a stray PDI could close an isolate the page opened around a name.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_controls_strip(text: str) -> str:
    """Return `text` without bidirectional embedding, override and isolate controls."""
    return BIDI_CONTROLS.sub("", text) if text else text


# Most comments are plain prose: lines that start with a letter or an opening quote and hold
# only letters, digits, spaces and punctuation neither Markdown nor HTML gives a meaning to
# (no * _ ` ~ [ ] < > & \ # |, no control or format characters), with no space at either
# end. Such a text is paragraphs of its lines, which `_plain_html` writes exactly as
# markdown-it and nh3 would, without either: they are a seventh of what posting a comment
# costs (bench/peers.py's posting profile). Nothing it writes can be markup but its own <p>
# tags. Anything else, or anything unsure (a tab, a leading digit, a trailing space), goes
# through both.
_PLAIN_LINE = re.compile(r"[^\W\d_]|[\"'“‘«(]")  # a letter or an opening quote
_PLAIN_TEXT = re.compile(r"(?:[^\W_]|[ ,.;:'\"?!()/%$@+=\-–—…’‘“”«»€£\n])*")


def _plain_html(text: str) -> str | None:
    """The sanitized HTML of plain prose, or None when `text` is not plain prose."""
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    paragraphs, lines = [], []
    for line in text.split("\n"):
        if not line.strip(" "):
            if lines:
                paragraphs.append(lines)
                lines = []
        elif _PLAIN_LINE.match(line) and line[-1] != " ":
            lines.append(line)
        else:
            return None
    if lines:
        paragraphs.append(lines)
    return "\n".join("<p>" + "\n".join(lines) + "</p>" for lines in paragraphs)


def comment_render(text: str) -> str:
    """Return sanitized HTML for comment `text`: emphasis, links, quotes, lists and code."""
    plain = _plain_html(text)
    if plain is not None:
        return plain
    # nh3 is the last word whatever the Markdown layer lets through; links get rel values that
    # tell search engines and browsers they are user-made. Bidi controls go after it, as
    # character references ("&#x202E;") have become characters by then.
    return _sanitize(_markdown.render(text), tags=ALLOWED_TAGS)


def _sanitize(html: str, *, tags: set[str]) -> str:
    return bidi_controls_strip(
        nh3.clean(
            html,
            tags=tags,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow ugc noopener",
        )
    ).strip()


# What comments written elsewhere (WordPress, Disqus, Remark42) may keep besides the tags new
# comments get: the inline tags their editors offered.
IMPORTED_TAGS = ALLOWED_TAGS | {"b", "i", "s", "q", "cite", "sub", "sup"}
_BLOCK_TAG = re.compile(r"<(p|div|blockquote|ul|ol|pre|h[1-6])[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def comment_render_html(html: str) -> str:
    """Return sanitized HTML for a comment another system stored as HTML.

    WordPress stores comments as typed, with line breaks instead of paragraphs, and adds the
    paragraphs when it shows them; text without block tags gets the same treatment here.
    """
    html = html.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not _BLOCK_TAG.search(html):
        paragraphs = [p.strip() for p in _BLANK_LINES.split(html) if p.strip()]
        html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return _sanitize(html, tags=IMPORTED_TAGS)
