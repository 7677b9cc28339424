"""A WordPress post's HTML (`content:encoded`) as Masthead body blocks.

WordPress stores a post the way its editor saved it and builds the page only when it is
shown, so the stored text has to go through the same steps here:

1. **Block comments** (`<!-- wp:paragraph -->`, the block editor since WordPress 5.0) only
   delimit blocks whose HTML is already complete; they are removed. A block that saves no
   HTML (a dynamic block such as `<!-- wp:latest-posts /-->`, a reusable block) has nothing
   to import and is reported ("block_dropped"); an image or embed written that way is kept.
2. **Shortcodes**: `[caption]`, `[embed]`, `[gallery ids]`, `[video]`, `[audio]`, Jetpack's
   `[youtube]`/`[vimeo]` become the HTML their blocks would have saved; any other shortcode
   stays in the text, as written, and is reported ("shortcode_kept").
3. **Auto-embeds**: in the classic editor, an address alone on its line is an embed.
4. **Sanitizing** (nh3): scripts, styles, forms, event handlers and iframes that are not
   embeds go ("html_cleaned").
5. **wpautop**, for classic posts only (WordPress skips it for block posts): a blank line
   ends a paragraph, a single line break is a `<br>`.
6. **Blocks**: paragraphs (Wagtail rich text, cleaned by Wagtail's own converter for the
   paragraph features), headings, quotes, lists, images (through `image_for`, which the
   caller gives: an attachment id or an address → a Wagtail image id), embeds.

Nothing is dropped silently: an image that cannot be found is reported ("media_missing") and
kept as a link to where it was. Everything here is a pure function of its input and callbacks.
"""

import copy
import functools
import html
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import nh3
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

ImageFor = Callable[[str], int | None]
Note = Callable[[str, str], None]

# fmt: off
INLINE = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})
BLOCKS = frozenset({
    "p", "div", "section", "article", "header", "footer", "aside", "main", "center", "nav",
    "address", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt",
    "dd", "figure", "figcaption", "img", "iframe", "video", "audio", "source", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "hr",
})
# fmt: on
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MEDIA = frozenset({"img", "iframe", "video", "audio", "figure", "table"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "class", "data-id", "title"},
    "iframe": {"src"},
    "figure": {"class"},
    "div": {"class"},
    "blockquote": {"class"},
    "video": {"src"},
    "audio": {"src"},
    "source": {"src"},
}
# What is reported as cleaned away (inline styles and classes are layout, not content).
# Unsafe markup in tags only: an escaped "&lt;x onload=" in a code sample is text.
_UNSAFE = re.compile(
    r"<\s*(script|style|object|embed|applet|form|input|button|textarea|select|link|meta|base|"
    r"frame|frameset|svg|math)\b|<[a-z][^>]*\son[a-z]+\s*=|<[a-z][^>]*(?:java|vb)script\s*:",
    re.IGNORECASE,
)
# Blocks that show nothing of their own, or markers: nothing to keep, nothing to report.
_EMPTY_BLOCKS = {"more", "nextpage", "separator", "spacer", "page-break"}
_BLOCK_COMMENT = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(\{.*?\}\s+)?(/)?-->", re.S
)
_KNOWN_SHORTCODES = "caption|wp_caption|embed|gallery|video|audio|youtube|vimeo"
_SHORTCODE = re.compile(
    r"\[(\[?)(" + _KNOWN_SHORTCODES + r")(?![\w-])((?:[^\]\"']|\"[^\"]*\"|'[^']*')*?)(/?)\]"
    r"(?:((?:(?!\[/?\2[\s\]/]).)*?)\[/\2\])?(\]?)",
    re.S,
)
_ANY_SHORTCODE = re.compile(r"(?<!\[)\[([A-Za-z][\w-]*)(\s[^\]]*)?/?\](?!\])")
_SHORTCODE_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'\"]+)"
    r"|\"([^\"]*)\"|'([^']*)'|(\S+)"
)
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_BARE_URL_LINE = re.compile(r"^([ \t]*)(https?://[^\s<>\"']+)([ \t]*)$", re.M)
_MEDIA_ATTRIBUTES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "m4a", "ogg", "wav")
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def body_blocks(
    content: str,
    *,
    image_for: ImageFor,
    note: Note,
    plain: bool = False,
    footnotes: list | None = None,
) -> list[dict]:
    """Return `content` as StreamField data: ArticleBodyBlock's blocks, or PlainBodyBlock's
    when `plain` (a standard page: lists stay in the paragraph, embeds become links).

    `footnotes` are the post's `footnotes` meta (WordPress 6.3 on: [{"id", "content"}]), which
    its `<!-- wp:footnotes /-->` block shows as a numbered list.

    `image_for(attachment id or address)` returns a Wagtail image id or None; `note(code,
    detail)` hears each correction (codes of `transfer.reasons`, once per code and detail).
    """
    noted: set[tuple[str, str]] = set()

    def note_once(code: str, detail: str) -> None:
        if (code, detail) not in noted:
            noted.add((code, detail))
            note(code, detail)

    if not content or not content.strip():
        return []
    has_blocks = "<!-- wp:" in content
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    if has_blocks:
        text = _block_comments_resolve(text, note_once, footnotes=footnotes or [])
    text = _shortcodes_resolve(text, note_once)
    if not has_blocks:
        text = _bare_urls_resolve(text)
    unsafe = _UNSAFE.search(text)
    if unsafe:
        note_once("html_cleaned", unsafe.group(0).strip()[:60])
    text = sanitize(text)
    if not text.strip():
        return []
    converter = _Converter(image_for=image_for, note=note_once, plain=plain, autop=not has_blocks)
    return converter.convert(text)


def sanitize(markup: str) -> str:
    """Keep only the elements and attributes the conversion reads; scripts and styles go
    with their content."""
    return nh3.clean(
        markup,
        tags=set(INLINE | BLOCKS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


def plain_text(markup: str) -> str:
    """The text of an HTML fragment (an excerpt), on one line, shortcodes left out."""
    if not markup:
        return ""
    text = re.sub(r"\[/?[A-Za-z][\w-]*[^\]]*\]", " ", markup)
    text = re.sub(r"<[^>]*>", " ", nh3.clean(text, tags=set(), strip_comments=True))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-") + "…"


def is_embeddable(url: str) -> bool:
    """Whether Wagtail's embed finders (oEmbed providers) know the address."""
    from wagtail.embeds.finders import get_finders

    return any(finder.accept(url) for finder in get_finders())


def embed_url(url: str) -> str:
    """The address an embed block takes for a player's iframe address (YouTube and Vimeo
    iframes pasted into posts), else `url` itself."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in ("youtube.com", "youtube-nocookie.com") and parts.path.startswith("/embed/"):
        video = parts.path.split("/")[2]
        if video:
            return f"https://www.youtube.com/watch?v={video}"
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        video = parts.path.split("/")[2]
        if video.isdigit():
            return f"https://vimeo.com/{video}"
    if parts.scheme == "" and url.startswith("//"):
        return "https:" + url
    return url.strip()


# --- 1. block comments -----------------------------------------------------------------------


def _block_comments_resolve(text: str, note: Note, *, footnotes: list) -> str:
    def replace(match: re.Match) -> str:
        closing, name, attributes, self_closing = match.groups()
        if closing or not self_closing:
            return ""
        short = name.removeprefix("core/")
        try:
            attrs = json.loads(attributes) if attributes else {}
        except ValueError:
            attrs = {}
        if not isinstance(attrs, dict):
            attrs = {}
        if short in _EMPTY_BLOCKS:
            return ""
        if attrs.get("url") and ("embed" in short or short in ("video", "audio")):
            return _embed_html(str(attrs["url"]))
        if short == "image" and str(attrs.get("id", "")).isdigit():
            return f'<figure><img class="wp-image-{attrs["id"]}"></figure>'
        if short == "footnotes" and footnotes:
            return _footnotes_html(footnotes)
        if short == "block" and attrs.get("ref"):
            # Shown in the import report beside the reason (transfer.reasons).
            note("block_dropped", _("reusable block %(id)s") % {"id": attrs["ref"]})
            return ""
        note("block_dropped", f"wp:{name}")
        return ""

    return _BLOCK_COMMENT.sub(replace, text)


def _footnotes_html(footnotes: list) -> str:
    """The notes as WordPress lists them under the post (their text is HTML, sanitized later
    with the rest of the body); the numbers in the text point at them in this order."""
    items = [
        f"<li>{note['content']}</li>"
        for note in footnotes
        if isinstance(note, dict) and isinstance(note.get("content"), str) and note["content"]
    ]
    return f"\n<ol>{''.join(items)}</ol>\n" if items else ""


# --- 2. shortcodes ---------------------------------------------------------------------------


def shortcode_attributes(raw: str) -> dict[str, str]:
    """Attributes as WordPress's shortcode_parse_atts reads them: name="value", name='value',
    name=value, and bare values keyed by position ("0", "1"...)."""
    attributes: dict[str, str] = {}
    position = 0
    for match in _SHORTCODE_ATTRIBUTE.finditer(raw or ""):
        groups = match.groups()
        for key_index in (0, 2, 4):
            if groups[key_index]:
                attributes[groups[key_index].lower()] = html.unescape(groups[key_index + 1])
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            attributes[str(position)] = html.unescape(value)
            position += 1
    return attributes


def _shortcodes_resolve(text: str, note: Note) -> str:
    def replace(match: re.Match) -> str:
        open_escape, name, raw_attributes, _slash, inner, close_escape = match.groups()
        if open_escape and close_escape:
            # [[caption]] is how a post shows a shortcode as text.
            return match.group(0)[1:-1]
        attributes = shortcode_attributes(raw_attributes)
        inner = inner or ""
        result = _shortcode_html(name, attributes, inner, note)
        if result is None:
            note("shortcode_kept", match.group(0)[:80])
            return match.group(0)
        return "\n\n" + result + "\n\n"

    text = _SHORTCODE.sub(replace, text)
    for match in _ANY_SHORTCODE.finditer(text):
        name, raw_attributes = match.group(1), match.group(2) or ""
        if name in _KNOWN_SHORTCODES.split("|"):
            continue
        looks_like_one = "=" in raw_attributes or "-" in name or "_" in name or f"[/{name}]" in text
        if looks_like_one:
            note("shortcode_kept", match.group(0)[:80])
    return text


def _shortcode_html(name: str, attributes: dict, inner: str, note: Note) -> str | None:
    if name in ("caption", "wp_caption"):
        found = _CAPTION_IMAGE.match(inner)
        if not found:
            return None
        image, caption = found.group(1), found.group(2).strip() or attributes.get("caption", "")
        return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"
    if name == "embed":
        url = inner.strip() or attributes.get("src", "")
        return _embed_html(url) if url.startswith(("http://", "https://")) else None
    if name in ("youtube", "vimeo"):
        url = attributes.get("0", "") or attributes.get("url", "") or inner.strip()
        if name == "vimeo" and url.isdigit():
            url = f"https://vimeo.com/{url}"
        return _embed_html(url) if url.startswith(("http://", "https://")) else None
    if name == "gallery":
        ids = [i.strip() for i in attributes.get("ids", "").split(",") if i.strip().isdigit()]
        if not ids:
            # Without ids a gallery shows the post's attached files, which only WordPress knows.
            return None
        images = "".join(f'<img class="wp-image-{i}" data-id="{i}">' for i in ids)
        return f'<figure class="wp-block-gallery">{images}</figure>'
    if name in ("video", "audio"):
        url = next((attributes[k] for k in _MEDIA_ATTRIBUTES if attributes.get(k)), "")
        url = url or inner.strip()
        if not url.startswith(("http://", "https://", "/")):
            return None
        if is_embeddable(url):
            return _embed_html(url)
        return f'<p><a href="{html.escape(url)}">{html.escape(_file_name(url))}</a></p>'
    return None


def _embed_html(url: str) -> str:
    return (
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        f"{html.escape(url.strip())}</div></figure>"
    )


# --- 3. auto-embeds --------------------------------------------------------------------------


def _bare_urls_resolve(text: str) -> str:
    """A classic post's address alone on a line: an embed if a provider knows it, else a
    link (what WordPress shows for both)."""
    pieces = []
    # Lines inside <pre> are code, not embeds.
    for part in re.split(r"(<pre\b.*?</pre>)", text, flags=re.S | re.I):
        if part[:4].lower() == "<pre":
            pieces.append(part)
            continue

        def replace(match: re.Match) -> str:
            url = html.unescape(match.group(2))
            if is_embeddable(url):
                return "\n\n" + _embed_html(url) + "\n\n"
            escaped = html.escape(url)
            return f'{match.group(1)}<a href="{escaped}">{escaped}</a>{match.group(3)}'

        pieces.append(_BARE_URL_LINE.sub(replace, part))
    return "".join(pieces)


# --- 6. blocks -------------------------------------------------------------------------------


@functools.cache
def _rich_text_converter(plain: bool):
    from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter
    from wagtail.whitelist import allow_without_attributes

    from masthead.publishing.blocks import PARAGRAPH_FEATURES

    features = [*PARAGRAPH_FEATURES, "ol", "ul"] if plain else PARAGRAPH_FEATURES
    converter = DbHTMLConverter(features=features)
    # The editor stores these as <sup> and <sub>, but Wagtail gives its HTML converter no
    # rule for them: without one they would be unwrapped.
    for feature, element in (("superscript", "sup"), ("subscript", "sub")):
        if feature in features:
            converter.whitelister.element_rules.setdefault(element, allow_without_attributes)
    return converter


def rich_text(markup: str, *, plain: bool = False) -> str:
    """Wagtail's stored rich text for `markup`, keeping only the paragraph's features."""
    cleaned, _removals = _rich_text_converter(plain).clean(markup)
    return cleaned.strip()


class _Converter:
    def __init__(self, *, image_for: ImageFor, note: Note, plain: bool, autop: bool):
        self.image_for = image_for
        self.note = note
        self.plain = plain
        self.autop = autop
        self.blocks: list[dict] = []
        self.run: list[str] = []

    def convert(self, markup: str) -> list[dict]:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
        self.container(root)
        self.flush()
        return self.blocks

    # Walking --------------------------------------------------------------------------------

    def container(self, element) -> None:
        self.inline_text(element.text)
        for child in element:
            self.node(child)
            self.inline_text(child.tail)

    def inline_text(self, text: str | None) -> None:
        if text:
            self.run.append(html.escape(text, quote=False))

    def node(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag:
            return
        tag = tag.lower()
        if tag in INLINE and not _has_structure(element):
            self.run.append(etree.tostring(element, encoding="unicode", with_tail=False))
            return
        if tag in INLINE or tag in ("p", "li", "dd", "dt", "figcaption", "caption"):
            # A link around an image, a paragraph holding one: the wrapper goes, what is
            # inside is read in order.
            if tag not in INLINE:
                self.flush()
            self.container(element)
            if tag not in INLINE:
                self.flush()
            return
        self.flush()
        if tag in HEADINGS:
            self.heading(element)
        elif tag == "blockquote":
            self.quote(element)
        elif tag in ("ul", "ol"):
            self.list(element)
        elif tag == "figure":
            self.figure(element)
        elif tag == "img":
            self.image(element, caption="")
        elif tag == "iframe":
            self.iframe(element)
        elif tag in ("video", "audio"):
            self.media_link(element)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            self.preformatted(element)
        elif tag == "hr":
            pass
        else:
            self.container(element)
        self.flush()

    def flush(self) -> None:
        """Turn the inline content gathered so far into paragraphs."""
        markup = "".join(self.run)
        self.run = []
        if not markup.strip():
            return
        if self.autop:
            chunks = _BLANK_LINES.split(markup.strip("\n"))
            chunks = [re.sub(r"\s*\n\s*", "<br/>", chunk.strip()) for chunk in chunks]
        else:
            chunks = [re.sub(r"\s*\n\s*", " ", markup).strip()]
        for chunk in chunks:
            self.paragraph(chunk)

    # Blocks ---------------------------------------------------------------------------------

    def add(self, block_type: str, value) -> None:
        self.blocks.append({"type": block_type, "value": value})

    def paragraph(self, markup: str) -> None:
        markup = re.sub(r"^(?:\s|<br/?>)+|(?:\s|<br/?>)+$", "", markup)
        if not _visible(markup):
            return
        value = rich_text(f"<p>{markup}</p>", plain=self.plain)
        if _visible(value):
            self.add("paragraph", value)

    def link_paragraph(self, url: str, label: str) -> None:
        if url.startswith(("http://", "https://", "/")):
            self.paragraph(f'<a href="{html.escape(url)}">{html.escape(label or url)}</a>')
        elif label:
            self.paragraph(html.escape(label))

    def heading(self, element) -> None:
        text = _text(element, one_line=True)
        if text:
            self.add("heading", text)

    def quote(self, element) -> None:
        classes = element.get("class", "")
        if "twitter-tweet" in classes or "instagram-media" in classes:
            links = [a.get("href", "") for a in element.iter("a") if a.get("href")]
            post = next((u for u in reversed(links) if "/status/" in u or "/p/" in u), "")
            if post:
                self.embed(post.split("?")[0], caption="")
                return
        attribution = ""
        for cite in list(element.iter("cite", "footer")):
            attribution = attribution or _text(cite, one_line=True)
            _remove_keeping_tail(cite)
        text = _text(element)
        if text:
            self.add("quote", {"text": text, "attribution": attribution.lstrip("—–- ")})

    def list(self, element) -> None:
        if any(e.tag in MEDIA for e in element.iter() if isinstance(e.tag, str)):
            # A gallery laid out as a list: its pictures, not a list of words.
            self.container(element)
            return
        ordered = element.tag == "ol"
        if self.plain:
            markup = etree.tostring(element, encoding="unicode", with_tail=False)
            value = rich_text(markup, plain=True)
            if _visible(value):
                self.add("paragraph", value)
            return
        items = []
        for item in element.iter("li"):
            nested = item.getparent() is not element
            copy = _without_lists(item)
            text = _text(copy, one_line=True)
            if text:
                items.append(("– " if nested else "") + text)
        if items:
            self.add("list", {"ordered": ordered, "items": items})

    def figure(self, element) -> None:
        classes = element.get("class", "")
        caption_element = next(
            (c for c in element if isinstance(c.tag, str) and c.tag == "figcaption"), None
        )
        caption = _text(caption_element, one_line=True) if caption_element is not None else ""
        wrapper = next(
            (e for e in element.iter("div") if "wp-block-embed__wrapper" in (e.get("class") or "")),
            None,
        )
        if "wp-block-embed" in classes or wrapper is not None:
            iframe = next(element.iter("iframe"), None)
            found = re.search(r"https?://\S+", _text(wrapper) if wrapper is not None else "")
            url = found.group(0) if found else (iframe.get("src", "") if iframe is not None else "")
            if url:
                self.embed(embed_url(url), caption=caption)
                return
        images = list(element.iter("img"))
        if len(images) == 1 and not element.findall(".//figure"):
            self.image(images[0], caption=caption)
            return
        if caption_element is not None and len(images) > 1:
            # A gallery's own caption: read after its pictures.
            element.remove(caption_element)
            self.container(element)
            self.flush()
            self.paragraph(html.escape(caption))
            return
        self.container(element)

    def image(self, element, *, caption: str) -> None:
        source = (element.get("src") or "").strip()
        attachment = element.get("data-id") or ""
        found = _WP_IMAGE_CLASS.search(element.get("class") or "")
        if found:
            attachment = found.group(1)
        image_id = self.image_for(attachment) if attachment.isdigit() else None
        if image_id is None and source:
            image_id = self.image_for(source)
        if image_id is not None:
            self.add("image", {"image": image_id, "caption": caption[:250], "credit": ""})
            return
        self.note("media_missing", source or f"attachment {attachment}")
        label = caption or (element.get("alt") or "").strip() or _file_name(source)
        self.link_paragraph(source, label)

    def embed(self, url: str, *, caption: str) -> None:
        if self.plain or not is_embeddable(url):
            self.link_paragraph(url, caption or url)
            return
        self.add("embed", {"embed": url, "caption": caption[:250]})

    def iframe(self, element) -> None:
        source = embed_url(element.get("src") or "")
        if source and is_embeddable(source):
            self.embed(source, caption="")
        else:
            self.note("html_cleaned", f"iframe {source}"[:120])

    def media_link(self, element) -> None:
        source = element.get("src") or next(
            (s.get("src") for s in element.iter("source") if s.get("src")), ""
        )
        if source:
            self.link_paragraph(source, _file_name(source))

    def table(self, element) -> None:
        for row in element.iter("tr"):
            cells = [_text(cell, one_line=True) for cell in row if cell.tag in ("td", "th")]
            cells = [c for c in cells if c]
            if cells:
                self.paragraph(html.escape(" | ".join(cells)))
        caption = element.find("caption")
        if caption is not None:
            self.paragraph(html.escape(_text(caption, one_line=True)))

    def preformatted(self, element) -> None:
        text = (element.text_content() or "").strip("\n")
        if text.strip():
            self.add("preformatted", text)


# --- helpers ---------------------------------------------------------------------------------


def _has_structure(element) -> bool:
    return any(isinstance(e.tag, str) and e.tag not in INLINE for e in element.iterdescendants())


def _visible(markup: str) -> bool:
    text = html.unescape(re.sub(r"<[^>]*>", "", markup))
    return bool(text.replace("\xa0", " ").strip())


def _text(element, *, one_line: bool = False) -> str:
    """Plain text of an element: paragraphs and line breaks kept (unless `one_line`), and a
    link's address after its words when they differ, so a plain-text block loses no link."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in ("script", "style"):
            pass
        else:
            if tag in BLOCKS and tag != "img":
                parts.append("\n\n")
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
            if tag == "a":
                href = node.get("href", "")
                words = "".join(node.itertext()).strip()
                if href.startswith(("http://", "https://")) and href.rstrip("/") != words.rstrip(
                    "/"
                ):
                    parts.append(f" ({href})")
            if tag in BLOCKS:
                parts.append("\n\n")

    walk(element)
    text = "".join(parts).replace("\xa0", " ")
    if one_line:
        return re.sub(r"\s+", " ", text).strip()
    paragraphs = [re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t\r\f\v]+", " ", p)).strip()
                  for p in re.split(r"\n\s*\n", text)]  # fmt: skip
    return "\n\n".join(p for p in paragraphs if p)


def _without_lists(item):
    """A copy of a list item without the lists nested in it (they are items of their own)."""
    clone = copy.deepcopy(item)
    clone.tail = None
    for nested in list(clone.iter("ul", "ol")):
        if nested is not clone:
            _remove_keeping_tail(nested)
    return clone


def _remove_keeping_tail(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _file_name(url: str) -> str:
    path = urlsplit(url).path
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return html.unescape(name) or url
