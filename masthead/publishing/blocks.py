"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "superscript", "subscript"]

# Every block is labelled explicitly: Wagtail would otherwise show its Python name ("quote"),
# which no catalog can translate. A StructBlock's label sits in its Meta, where migrations
# do not record it.


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"))
    attribution = blocks.CharBlock(
        required=False, label=_("Attribution"), help_text=_("Who said it, and in what role.")
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "publishing/blocks/quote.html"


class ListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(
        required=False, label=_("Ordered"), help_text=_("Number the items.")
    )
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item")), min_num=1, label=_("Items"))

    class Meta:
        icon = "list-ul"
        label = _("List")
        template = "publishing/blocks/list.html"


class PreformattedBlock(blocks.TextBlock):
    """Text shown as typed, spaces and line breaks kept: code, a poem, a timetable."""

    class Meta:
        icon = "code"
        label = _("Preformatted text")
        template = "publishing/blocks/preformatted.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))
    credit = blocks.CharBlock(
        required=False, label=_("Credit"), help_text=_("e.g. 'Photo: Jane Doe'")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "publishing/blocks/image.html"


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Embed"), help_text=_("Address of a video, post or map to embed."))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "publishing/blocks/embed.html"


class FeedbackPassageBlock(blocks.StructBlock):
    """A passage on which readers are invited to comment in place ("inline feedback")."""

    text = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Text"))
    question = blocks.CharBlock(
        required=False,
        # Filled in, in the editor's language, when the passage is added; stored as written.
        default=_("What do you think about this?"),
        label=_("Question"),
        help_text=_("Shown to readers beside the passage."),
    )

    class Meta:
        icon = "help"
        label = _("Passage asking for feedback")
        template = "publishing/blocks/feedback.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        template="publishing/blocks/paragraph.html",
        label=_("Paragraph"),
    )
    heading = blocks.CharBlock(
        icon="title", template="publishing/blocks/heading.html", label=_("Heading")
    )
    quote = QuoteBlock()
    list = ListBlock()
    preformatted = PreformattedBlock()
    image = CaptionedImageBlock()
    embed = CaptionedEmbedBlock()
    feedback = FeedbackPassageBlock()


class PlainBodyBlock(blocks.StreamBlock):
    """Body of a standard page (about, contact, support): the same blocks as an article."""

    paragraph = blocks.RichTextBlock(
        features=[*PARAGRAPH_FEATURES, "ol", "ul"],
        template="publishing/blocks/paragraph.html",
        label=_("Paragraph"),
    )
    heading = blocks.CharBlock(
        icon="title", template="publishing/blocks/heading.html", label=_("Heading")
    )
    quote = QuoteBlock()
    preformatted = PreformattedBlock()
    image = CaptionedImageBlock()
