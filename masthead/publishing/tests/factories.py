"""Builders for publishing test data, named after what they make."""

import io
from datetime import timedelta
from itertools import count

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.publishing.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    OutletSettings,
    SectionPage,
)

_sequence = count(1)
_EPOCH = timezone.now() - timedelta(days=60)


def front_page() -> HomePage:
    """Return the front page the migrations created for the default site."""
    return Site.objects.get(is_default_site=True).root_page.specific


def outlet_configure(
    *, name: str = "The Test Gazette", support_url: str = "https://give.example/"
) -> OutletSettings:
    """Name the outlet and give its Support buttons a target."""
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = name
    outlet.support_url = support_url
    outlet.save()
    return outlet


def image_create(
    *, title: str | None = None, size: tuple[int, int] = (1600, 1000), color="#3a6ea5"
):
    """Store a real JPEG picture of `size` as a Wagtail image."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG", quality=80)
    number = next(_sequence)
    image = get_image_model()(title=title or f"Picture {number}")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"picture-{number}.jpg")
    image.save()
    return image


def author_create(name: str = "Ada Byline", *, role: str = "Reporter") -> Author:
    """Create a journalist to credit in bylines."""
    return Author.objects.create(name=name, slug=f"{slugify(name)}-{next(_sequence)}", role=role)


def section_create(
    title: str = "City", *, home: HomePage | None = None, intro: str = ""
) -> SectionPage:
    """Create and publish a section under the front page."""
    home = home or front_page()
    section = SectionPage(
        title=title, slug=f"{slugify(title)}-{next(_sequence)}", intro=intro, show_in_menus=True
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def article_create(
    section: SectionPage,
    title: str | None = None,
    *,
    standfirst: str = "What happened, in brief.",
    date=None,
    authors=(),
    tags=(),
    lead_image=None,
    caption: str = "",
    credit: str = "",
    body=None,
    live: bool = True,
) -> ArticlePage:
    """Create an article in `section`, published unless `live` is False (then a draft)."""
    number = next(_sequence)
    title = title or f"Article number {number}"
    article = ArticlePage(
        title=title,
        slug=f"{slugify(title)}-{number}",
        standfirst=standfirst,
        # Later-made articles are newer, so tests read in creation order.
        date=date or _EPOCH + timedelta(minutes=number),
        lead_image=lead_image,
        lead_image_caption=caption,
        lead_image_credit=credit,
        body=body
        if body is not None
        else [{"type": "paragraph", "value": f"<p>The body of {title}.</p>"}],
        live=live,
    )
    article.article_authors = [
        ArticleAuthor(author=author, sort_order=index) for index, author in enumerate(authors)
    ]
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    revision = article.save_revision()
    if live:
        revision.publish()
    else:
        ArticlePage.objects.filter(pk=article.pk).update(live=False)
        article.refresh_from_db()
    return article
