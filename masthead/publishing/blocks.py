"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "superscript", "subscript"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text="Who said it, and in what role.")

    class Meta:
        icon = "openquote"
        template = "publishing/blocks/quote.html"


class ListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(required=False, help_text="Number the items.")
    items = blocks.ListBlock(blocks.CharBlock(label="Item"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "publishing/blocks/list.html"


class PreformattedBlock(blocks.TextBlock):
    """Text shown as typed, spaces and line breaks kept: code, a poem, a timetable."""

    class Meta:
        icon = "code"
        label = _("Preformatted text")
        template = "publishing/blocks/preformatted.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False, help_text="e.g. 'Photo: Jane Doe'")

    class Meta:
        icon = "image"
        template = "publishing/blocks/image.html"


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="Address of a video, post or map to embed.")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "publishing/blocks/embed.html"


class FeedbackPassageBlock(blocks.StructBlock):
    """A passage on which readers are invited to comment in place ("inline feedback")."""

    text = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    question = blocks.CharBlock(
        required=False,
        default="What do you think about this?",
        help_text="Shown to readers beside the passage.",
    )

    class Meta:
        icon = "help"
        label = "Passage asking for feedback"
        template = "publishing/blocks/feedback.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="publishing/blocks/paragraph.html"
    )
    heading = blocks.CharBlock(icon="title", template="publishing/blocks/heading.html")
    quote = QuoteBlock()
    list = ListBlock()
    preformatted = PreformattedBlock()
    image = CaptionedImageBlock()
    embed = CaptionedEmbedBlock()
    feedback = FeedbackPassageBlock()


class PlainBodyBlock(blocks.StreamBlock):
    """Body of a standard page (about, contact, support): the same blocks as an article."""

    paragraph = blocks.RichTextBlock(
        features=[*PARAGRAPH_FEATURES, "ol", "ul"], template="publishing/blocks/paragraph.html"
    )
    heading = blocks.CharBlock(icon="title", template="publishing/blocks/heading.html")
    quote = QuoteBlock()
    preformatted = PreformattedBlock()
    image = CaptionedImageBlock()
