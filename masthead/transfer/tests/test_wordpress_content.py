"""A WordPress post's HTML as Masthead body blocks: the classic editor's text, the block
editor's comments, shortcodes and embeds, sanitized, with nothing dropped without a word."""

import pytest

from masthead.publishing.blocks import ArticleBodyBlock, PlainBodyBlock
from masthead.transfer.wordpress_content import (
    body_blocks,
    plain_text,
    shortcode_attributes,
    shorten,
)

UPLOADS = "https://gazette.example/wp-content/uploads/2021/06/"


class Pictures:
    """The caller's side: a few known pictures, and what the conversion asked and noted."""

    def __init__(self, known=None):
        self.known = known if known is not None else {"70": 501, UPLOADS + "boat.jpg": 502}
        self.asked: list[str] = []
        self.notes: list[tuple[str, str]] = []

    def image_for(self, key: str):
        self.asked.append(key)
        return self.known.get(key)

    def note(self, code: str, detail: str) -> None:
        self.notes.append((code, detail))

    def convert(self, content: str, *, plain: bool = False) -> list[dict]:
        return body_blocks(content, image_for=self.image_for, note=self.note, plain=plain)

    def codes(self) -> list[str]:
        return [code for code, _detail in self.notes]


def types(blocks) -> list[str]:
    return [block["type"] for block in blocks]


def test_classic_text_gets_wordpress_paragraphs_and_line_breaks():
    blocks = Pictures().convert(
        "The council met at <strong>nine</strong>.\nIt sat until two.\n\n\n"
        'Read <a href="https://gazette.example/minutes/" target="_blank" rel="noopener">the '
        "minutes</a> &amp; the vote.\n"
    )

    assert blocks == [
        {
            "type": "paragraph",
            "value": "<p>The council met at <strong>nine</strong>.<br/>It sat until two.</p>",
        },
        {
            "type": "paragraph",
            "value": '<p>Read <a href="https://gazette.example/minutes/">the minutes</a> '
            "&amp; the vote.</p>",
        },
    ]


def test_classic_block_elements_become_headings_lists_and_quotes():
    blocks = Pictures().convert(
        "Intro.\n<h2>What the money buys</h2>\n<ul>\n\t<li>A pontoon</li>\n"
        '\t<li>Dredging the <a href="https://gazette.example/channel/">east channel</a></li>\n'
        "</ul>\n<blockquote>We could not wait\nanother winter.\n<cite>— Mayor Ines Duarte</cite>"
        "</blockquote>\nAfter."
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Intro.</p>"},
        {"type": "heading", "value": "What the money buys"},
        {
            "type": "list",
            "value": {
                "ordered": False,
                # A list item is plain text: the link's address follows its words.
                "items": [
                    "A pontoon",
                    "Dredging the east channel (https://gazette.example/channel/)",
                ],
            },
        },
        {
            "type": "quote",
            "value": {
                "text": "We could not wait\nanother winter.",
                "attribution": "Mayor Ines Duarte",
            },
        },
        {"type": "paragraph", "value": "<p>After.</p>"},
    ]


def test_a_captioned_picture_becomes_an_image_block_found_by_its_attachment():
    pictures = Pictures()
    blocks = pictures.convert(
        'Before.\n\n[caption id="attachment_70" align="aligncenter" width="1024"]'
        f'<a href="{UPLOADS}harbour.jpg"><img class="size-large wp-image-70" '
        f'src="{UPLOADS}harbour-1024x683.jpg" alt="Boats" /></a> The fleet at dawn.[/caption]'
        "\n\nAfter."
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Before.</p>"},
        {"type": "image", "value": {"image": 501, "caption": "The fleet at dawn.", "credit": ""}},
        {"type": "paragraph", "value": "<p>After.</p>"},
    ]
    assert pictures.asked == ["70"]
    assert pictures.notes == []


def test_a_picture_without_attachment_id_is_found_by_its_address():
    pictures = Pictures()
    blocks = pictures.convert(f'Look:\n<img src="{UPLOADS}boat.jpg" alt="A boat">\nNice.')

    assert types(blocks) == ["paragraph", "image", "paragraph"]
    assert blocks[1]["value"]["image"] == 502
    assert pictures.asked == [UPLOADS + "boat.jpg"]


def test_a_picture_that_cannot_be_found_is_reported_and_kept_as_a_link():
    pictures = Pictures(known={})
    blocks = pictures.convert(
        f'[caption id="attachment_99"]<img class="wp-image-99" src="{UPLOADS}gone.jpg" />'
        " The old pier[/caption]"
    )

    assert blocks == [
        {"type": "paragraph", "value": f'<p><a href="{UPLOADS}gone.jpg">The old pier</a></p>'}
    ]
    assert pictures.notes == [("media_missing", UPLOADS + "gone.jpg")]


def test_block_editor_posts_are_read_block_by_block_without_wpautop():
    pictures = Pictures()
    blocks = pictures.convert(
        "<!-- wp:paragraph -->\n<p>Dear editor, the <em>fare rise</em>\nhits us.</p>\n"
        "<!-- /wp:paragraph -->\n\n"
        '<!-- wp:heading {"level":3} -->\n<h3 class="wp-block-heading">Numbers</h3>\n'
        "<!-- /wp:heading -->\n\n"
        '<!-- wp:image {"id":70,"sizeSlug":"large"} -->\n<figure class="wp-block-image '
        f'size-large"><img src="{UPLOADS}harbour-1024x683.jpg" alt="" class="wp-image-70"/>'
        '<figcaption class="wp-element-caption">At <strong>dawn</strong></figcaption>'
        "</figure>\n<!-- /wp:image -->\n\n"
        '<!-- wp:list {"ordered":true} -->\n<ol class="wp-block-list"><!-- wp:list-item -->\n'
        "<li>£4.20 a crossing</li>\n<!-- /wp:list-item -->\n<!-- wp:list-item -->\n"
        "<li>12 a week<ul><li>in winter</li></ul></li>\n<!-- /wp:list-item --></ol>\n"
        "<!-- /wp:list -->\n\n"
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        "<p>The ferry is our road.</p>\n<!-- /wp:paragraph -->\n<!-- wp:paragraph -->\n"
        "<p>And our bus.</p>\n<!-- /wp:paragraph --><cite>An islander</cite></blockquote>\n"
        "<!-- /wp:quote -->\n\n"
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        '<!-- wp:embed {"url":"https://vimeo.com/76979871","providerNameSlug":"vimeo"} -->\n'
        '<figure class="wp-block-embed is-type-video wp-block-embed-vimeo"><div '
        'class="wp-block-embed__wrapper">\nhttps://vimeo.com/76979871\n</div><figcaption>'
        "The 7:40 crossing</figcaption></figure>\n<!-- /wp:embed -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
    )

    assert blocks == [
        # No wpautop for block posts: a line break in the saved HTML is only layout.
        {"type": "paragraph", "value": "<p>Dear editor, the <em>fare rise</em> hits us.</p>"},
        {"type": "heading", "value": "Numbers"},
        {"type": "image", "value": {"image": 501, "caption": "At dawn", "credit": ""}},
        {
            "type": "list",
            "value": {"ordered": True, "items": ["£4.20 a crossing", "12 a week", "– in winter"]},
        },
        {
            "type": "quote",
            "value": {
                "text": "The ferry is our road.\n\nAnd our bus.",
                "attribution": "An islander",
            },
        },
        {
            "type": "embed",
            "value": {"embed": "https://vimeo.com/76979871", "caption": "The 7:40 crossing"},
        },
    ]
    # The "more" marker is nothing to keep; the list of latest posts only WordPress can draw.
    assert pictures.notes == [("block_dropped", "wp:latest-posts")]


def test_the_footnotes_block_lists_the_notes_kept_in_the_posts_meta():
    pictures = Pictures()
    content = (
        '<!-- wp:paragraph -->\n<p>The fare rose<sup data-fn="f1" class="fn">'
        '<a href="#f1" id="f1-link">1</a></sup>.</p>\n<!-- /wp:paragraph -->\n\n'
        "<!-- wp:footnotes /-->"
    )
    notes = [
        {"id": "f1", "content": "From the <em>ferry company's</em> own table."},
        {"id": "f2", "content": "Second note."},
    ]

    blocks = body_blocks(content, image_for=pictures.image_for, note=pictures.note, footnotes=notes)

    assert blocks[-1] == {
        "type": "list",
        "value": {
            "ordered": True,
            "items": ["From the ferry company's own table.", "Second note."],
        },
    }
    assert pictures.notes == []
    # Without the meta (an older export), the block has nothing to show, and says so.
    pictures = Pictures()
    pictures.convert(content)
    assert pictures.notes == [("block_dropped", "wp:footnotes")]


def test_reusable_blocks_and_self_closed_media_blocks():
    pictures = Pictures()
    blocks = pictures.convert(
        '<!-- wp:block {"ref":312} /-->\n'
        '<!-- wp:core-embed/youtube {"url":"https://youtu.be/H4rb0urV1d"} /-->\n'
        '<!-- wp:image {"id":70} /-->'
    )

    assert blocks == [
        {"type": "embed", "value": {"embed": "https://youtu.be/H4rb0urV1d", "caption": ""}},
        {"type": "image", "value": {"image": 501, "caption": "", "credit": ""}},
    ]
    assert pictures.notes == [("block_dropped", "reusable block 312")]


def test_embeds_from_shortcodes_bare_addresses_and_pasted_players():
    pictures = Pictures()
    blocks = pictures.convert(
        "Watch:\n\nhttps://www.youtube.com/watch?v=H4rb0urV1d\n\n"
        "[embed]https://vimeo.com/76979871[/embed]\n\n"
        "[youtube https://youtu.be/abc123]\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/xyz789" width="560"></iframe>\n\n'
        "https://example.com/not-a-player\n\nEnd."
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Watch:</p>"},
        {
            "type": "embed",
            "value": {"embed": "https://www.youtube.com/watch?v=H4rb0urV1d", "caption": ""},
        },
        {"type": "embed", "value": {"embed": "https://vimeo.com/76979871", "caption": ""}},
        {"type": "embed", "value": {"embed": "https://youtu.be/abc123", "caption": ""}},
        {
            "type": "embed",
            "value": {"embed": "https://www.youtube.com/watch?v=xyz789", "caption": ""},
        },
        # No provider knows it: WordPress shows it as a link, and so does Masthead.
        {
            "type": "paragraph",
            "value": '<p><a href="https://example.com/not-a-player">'
            "https://example.com/not-a-player</a></p>",
        },
        {"type": "paragraph", "value": "<p>End.</p>"},
    ]
    assert pictures.notes == []


def test_an_address_inside_a_sentence_is_not_an_embed():
    blocks = Pictures().convert("See https://www.youtube.com/watch?v=H4rb0urV1d for more.")

    assert types(blocks) == ["paragraph"]


def test_a_tweet_pasted_as_its_blockquote_becomes_an_embed():
    pictures = Pictures()
    blocks = pictures.convert(
        '<blockquote class="twitter-tweet"><p lang="en">Ferry cancelled.</p>&mdash; Port '
        '(@port) <a href="https://twitter.com/port/status/1400000000000000000?ref_src=tw">'
        "June 3, 2021</a></blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )

    assert blocks == [
        {
            "type": "embed",
            "value": {
                "embed": "https://twitter.com/port/status/1400000000000000000",
                "caption": "",
            },
        }
    ]
    assert pictures.codes() == ["html_cleaned"]


def test_a_gallery_shortcode_gives_one_image_per_picture_and_reports_the_missing_one():
    pictures = Pictures()
    blocks = pictures.convert('[gallery columns="2" ids="70,99"]')

    assert blocks == [{"type": "image", "value": {"image": 501, "caption": "", "credit": ""}}]
    assert pictures.notes == [("media_missing", "attachment 99")]


def test_a_block_gallery_keeps_each_caption_and_its_own():
    pictures = Pictures()
    blocks = pictures.convert(
        '<!-- wp:gallery {"ids":[70,71]} -->\n<figure class="wp-block-gallery columns-2">'
        '<ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure>'
        f'<img src="{UPLOADS}boat.jpg" data-id="71" class="wp-image-71"/>'
        '<figcaption>Boat</figcaption></figure></li><li class="blocks-gallery-item"><figure>'
        f'<img src="{UPLOADS}harbour.jpg" data-id="70" class="wp-image-70"/></figure></li></ul>'
        '<figcaption class="blocks-gallery-caption">The regatta</figcaption></figure>\n'
        "<!-- /wp:gallery -->"
    )

    assert blocks == [
        {"type": "image", "value": {"image": 502, "caption": "Boat", "credit": ""}},
        {"type": "image", "value": {"image": 501, "caption": "", "credit": ""}},
        {"type": "paragraph", "value": "<p>The regatta</p>"},
    ]


def test_video_and_audio_files_stay_as_links_to_them():
    blocks = Pictures().convert(
        f'[video width="640" mp4="{UPLOADS}launch.mp4"][/video]\n\n'
        f'[audio mp3="{UPLOADS}interview.mp3"]'
    )

    assert blocks == [
        {"type": "paragraph", "value": f'<p><a href="{UPLOADS}launch.mp4">launch.mp4</a></p>'},
        {
            "type": "paragraph",
            "value": f'<p><a href="{UPLOADS}interview.mp3">interview.mp3</a></p>',
        },
    ]


def test_unknown_shortcodes_stay_as_text_and_are_reported():
    pictures = Pictures()
    blocks = pictures.convert(
        'Tips welcome.\n\n[contact-form-7 id="4" title="Tips"]\n\n'
        "[pullquote]Words[/pullquote]\n\nA footnote [sic] and [[caption]] shown as text."
    )

    texts = [b["value"] for b in blocks]
    assert texts[0] == "<p>Tips welcome.</p>"
    assert texts[1] == "<p>[contact-form-7 id=&quot;4&quot; title=&quot;Tips&quot;]</p>"
    assert texts[2] == "<p>[pullquote]Words[/pullquote]</p>"
    assert texts[3] == "<p>A footnote [sic] and [caption] shown as text.</p>"
    assert pictures.notes == [
        ("shortcode_kept", '[contact-form-7 id="4" title="Tips"]'),
        ("shortcode_kept", "[pullquote]"),
    ]


def test_scripts_styles_handlers_and_foreign_frames_are_cleaned_away_and_reported():
    pictures = Pictures()
    blocks = pictures.convert(
        '<style>p { color: red }</style>Kept <b onclick="steal()">bold</b>.'
        '<script>document.write("tracking")</script>\n\n'
        '<a href="javascript:alert(1)">Not a link</a>\n\n'
        '<iframe src="https://ads.example/frame"></iframe>\n\n'
        '<form action="/x"><input name="q"></form>Last.'
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Kept <b>bold</b>.</p>"},
        {"type": "paragraph", "value": "<p><a>Not a link</a></p>"},
        {"type": "paragraph", "value": "<p>Last.</p>"},
    ]
    assert pictures.codes() == ["html_cleaned", "html_cleaned"]
    assert "https://ads.example/frame" in pictures.notes[1][1]


def test_markup_outside_the_paragraph_features_is_unwrapped_not_lost():
    blocks = Pictures().convert(
        '<span style="color:red">Red</span> <u>under</u> <font face="Arial">font</font> '
        "<code>x = 1</code> <sup>2</sup>\n\n&nbsp;\n\n<p> </p>"
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Red under font x = 1 <sup>2</sup></p>"},
    ]


def test_tables_and_preformatted_text_keep_their_words():
    blocks = Pictures().convert(
        "<table><tr><th>Route</th><th>Fare</th></tr><tr><td>Quay–Isle</td><td>£4.20</td></tr>"
        "</table>\n<pre>line one\n  line two</pre>"
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>Route | Fare</p>"},
        {"type": "paragraph", "value": "<p>Quay–Isle | £4.20</p>"},
        {"type": "preformatted", "value": "line one\n  line two"},
    ]


def test_code_shown_as_text_is_kept_as_typed_and_not_mistaken_for_unsafe_markup():
    pictures = Pictures()
    blocks = pictures.convert(
        '<pre class="wp-block-code"><code>&lt;button onClick="save()"&gt;\n'
        "  javascript: is a URL scheme\n&lt;/button&gt;</code></pre>"
    )

    assert blocks == [
        {
            "type": "preformatted",
            "value": '<button onClick="save()">\n  javascript: is a URL scheme\n</button>',
        }
    ]
    assert pictures.notes == []


def test_a_standard_page_keeps_lists_in_its_text_and_links_its_embeds():
    blocks = Pictures().convert(
        'What we cover:\n<ul>\n\t<li>The <a href="https://gazette.example/council/">council'
        "</a></li>\n\t<li>The harbour</li>\n</ul>\n\n"
        "https://www.youtube.com/watch?v=H4rb0urV1d",
        plain=True,
    )

    assert blocks == [
        {"type": "paragraph", "value": "<p>What we cover:</p>"},
        {
            "type": "paragraph",
            "value": '<ul>\n<li>The <a href="https://gazette.example/council/">council</a></li>'
            "\n<li>The harbour</li>\n</ul>",
        },
        {
            "type": "paragraph",
            "value": '<p><a href="https://www.youtube.com/watch?v=H4rb0urV1d">'
            "https://www.youtube.com/watch?v=H4rb0urV1d</a></p>",
        },
    ]


def test_nothing_to_convert_gives_no_blocks():
    pictures = Pictures()
    assert pictures.convert("") == []
    assert pictures.convert("  \n\n ") == []
    assert pictures.convert("<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->") == []
    assert pictures.notes == []


@pytest.mark.django_db
def test_the_blocks_are_what_the_body_fields_store():
    pictures = Pictures()
    article = pictures.convert(
        "Para.\n<h2>Head</h2>\n<ul><li>a</li></ul>\n<blockquote>Q<cite>Who</cite></blockquote>"
        '\n\nhttps://vimeo.com/76979871\n\n[caption]<img src="x.jpg"> Cap[/caption]'
    )
    page = pictures.convert("Para.\n<h2>Head</h2>\n<ul><li>a</li></ul>", plain=True)

    stored = ArticleBodyBlock().get_prep_value(ArticleBodyBlock().to_python(article))
    assert [b["type"] for b in stored] == types(article)
    assert [b["value"] for b in stored][:4] == [b["value"] for b in article][:4]
    stored = PlainBodyBlock().get_prep_value(PlainBodyBlock().to_python(page))
    assert [b["type"] for b in stored] == ["paragraph", "heading", "paragraph"]


def test_shortcode_attributes_are_read_as_wordpress_reads_them():
    assert shortcode_attributes(
        " id=\"attachment_7\" align='left' width=300 https://x.example"
    ) == {
        "id": "attachment_7",
        "align": "left",
        "width": "300",
        "0": "https://x.example",
    }


def test_plain_text_and_shorten_make_a_standfirst():
    assert plain_text('<p>Seven votes to <em>four</em> [gallery ids="1"]&amp; more</p>') == (
        "Seven votes to four & more"
    )
    long = "word " * 100
    cut = shorten(long.strip(), 40)
    assert len(cut) <= 40 and cut.endswith("…") and not cut.endswith(" …")
    assert shorten("short", 40) == "short"
