"""Writes to publishing's content that other parts of Masthead ask for: authors, sections,
articles, plain pages, pictures and redirects, made the way an editor would make them in the
admin (the page tree, revisions, publication), so what they make behaves like the rest.

The importer (`transfer`) is their caller. Each one finds what is there before making
anything, so asking twice for the same author or section gives the same one.

Statuses an imported page can have, and what each becomes:

- `published`: published, with its original date as first publication.
- `scheduled`: an approved revision that goes live at `date` (Wagtail's scheduled publishing,
  run by `masthead scheduler`); published at once when that moment has passed.
- `draft`, `pending`, `private`: an unpublished draft. Wagtail's moderation needs a workflow
  and a person to submit it, and a private page here would still be listed and fed to
  readers, so nothing a WordPress reader could not see becomes visible; an editor decides.
"""

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Page, Site

from masthead.publishing.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    StandardPage,
)

ImportStatus = Literal["published", "draft", "pending", "private", "scheduled"]

# Wagtail's slug field holds 255 characters; room is left for a "-2" suffix.
_SLUG_LENGTH = 240
_TAG_LENGTH = 100


@transaction.atomic
def author_ensure(*, slug: str, name: str, role: str = "", bio: str = "") -> Author:
    """Return the author with `slug` (made URL-safe), created with `name` when missing; an
    existing author is never changed."""
    clean_slug = slugify(slug)[:120] or slugify(name)[:120]
    if not clean_slug:
        # A name in a script slugify cannot spell in ASCII: a stable slug all the same.
        digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]
        clean_slug = f"author-{digest}"
    author = Author.objects.filter(slug=clean_slug).first()
    if author is None:
        author = Author.objects.create(
            slug=clean_slug, name=(name or slug)[:120], role=role[:120], bio=bio
        )
    return author


@transaction.atomic
def section_ensure(*, home: HomePage, slug: str, title: str) -> SectionPage:
    """Return the published section `slug` under `home`, created when missing (a page of
    another kind with that slug gives the new section a suffixed one)."""
    clean_slug = _slug(slug, title, fallback="section")
    section = SectionPage.objects.child_of(home).filter(slug=clean_slug).first()
    if section is not None:
        return section
    section = SectionPage(
        title=(title or clean_slug)[:255],
        slug=_slug_free(home, clean_slug),
        show_in_menus=True,
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@transaction.atomic
def article_import(
    *,
    section: SectionPage,
    title: str,
    slug: str = "",
    date: datetime | None = None,
    standfirst: str,
    body: list[dict],
    authors: Sequence[Author] = (),
    tags: Sequence[str] = (),
    lead_image: AbstractImage | None = None,
    lead_image_caption: str = "",
    status: ImportStatus = "published",
) -> ArticlePage:
    """Create an article in `section` from another system, dated `date` (now when None),
    published, scheduled or kept as a draft by `status` (see the module's docstring)."""
    date = date or timezone.now()
    article = ArticlePage(
        title=title[:255] or slug or "—",
        slug=_slug_free(section, _slug(slug, title, fallback="article")),
        standfirst=(standfirst or title)[:400],
        date=date,
        lead_image=lead_image,
        lead_image_caption=lead_image_caption[:300],
        body=body,
    )
    article.article_authors = [
        ArticleAuthor(author=author, sort_order=index)
        for index, author in enumerate(dict.fromkeys(authors))
    ]
    names = list(dict.fromkeys(t.strip()[:_TAG_LENGTH] for t in tags if t and t.strip()))
    if names:
        article.tags.add(*names)
    return _page_place(section, article, status=status, date=date)


@transaction.atomic
def standard_page_import(
    *,
    parent: HomePage | StandardPage,
    title: str,
    slug: str = "",
    intro: str = "",
    body: list[dict],
    date: datetime | None = None,
    status: ImportStatus = "published",
    show_discussion: bool = False,
) -> StandardPage:
    """Create a plain page under the front page or another plain page, as `article_import`
    does for articles; `show_discussion` for one that had comments."""
    page = StandardPage(
        title=title[:255] or slug or "—",
        slug=_slug_free(parent, _slug(slug, title, fallback="page")),
        intro=intro[:250],
        body=body,
        show_discussion=show_discussion,
    )
    return _page_place(parent, page, status=status, date=date or timezone.now())


def _page_place(parent: Page, page: Page, *, status: ImportStatus, date: datetime) -> Page:
    """Add `page` under `parent` with a first revision, then publish or schedule it."""
    now = timezone.now()
    goes_live = status == "published" or (status == "scheduled" and date <= now)
    page.live = False
    page.has_unpublished_changes = True
    if goes_live:
        # Lists and feeds show when it first appeared, not when it was imported.
        page.first_published_at = min(date, now)
    elif status == "scheduled":
        page.go_live_at = date
    parent.add_child(instance=page)
    revision = page.save_revision()
    if goes_live or status == "scheduled":
        # With a go-live time ahead, Wagtail approves the revision for then instead.
        revision.publish()
        page.refresh_from_db()
    return page


def _slug(slug: str, title: str, *, fallback: str) -> str:
    return (
        slugify(slug, allow_unicode=True)[:_SLUG_LENGTH]
        or slugify(title, allow_unicode=True)[:_SLUG_LENGTH]
        or fallback
    )


def _slug_free(parent: Page, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`... when a sibling has it already."""
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


@transaction.atomic
def image_import(
    *,
    file_path: Path | str,
    title: str,
    alt: str = "",
    collection: Collection | None = None,
) -> AbstractImage:
    """Store the picture at `file_path` as a Wagtail image, or return the image that has the
    same file already (by content hash). Raises ValueError for a file that is not a picture
    Masthead can show, or larger than WAGTAILIMAGES_MAX_UPLOAD_SIZE."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    image_model = get_image_model()
    path = Path(file_path)
    size = path.stat().st_size
    limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
    if limit and size > limit:
        # The import report shows this message to the editor who ran the import.
        raise ValueError(
            _("%(file)s is %(size)s bytes, more than the %(limit)s allowed")
            % {
                "file": path.name,
                "size": number_format(size, force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            }
        )
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha1").hexdigest()
    existing = image_model.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    try:
        with PILImage.open(path) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        # Translators: the error in brackets comes from the image library, in English.
        message = _("%(file)s is not a readable picture (%(error)s)")
        raise ValueError(message % {"file": path.name, "error": error}) from error
    image = image_model(
        title=(title or path.stem)[:255],
        description=alt[:255],
        collection=collection or Collection.get_first_root_node(),
        file_size=size,
        file_hash=digest,
    )
    with path.open("rb") as stream:
        image.file = File(stream, name=path.name)
        image.save()
    return image


@transaction.atomic
def redirect_ensure(
    *, old_path_or_url: str, page: Page, site: Site | None = None
) -> Redirect | None:
    """Make the old address (a path, or a URL whose scheme and host are ignored) redirect
    permanently to `page`; return the new Redirect, or None when none was made: the address
    is the site's root or the page's own, too long, or redirects somewhere already (an
    editor's redirect is never replaced).

    A query string is part of the address (`/?p=123`): Wagtail stores it with its
    parameters sorted and matches the whole path first, then the path alone.
    """
    parts = urlsplit(old_path_or_url.strip())
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    old_path = Redirect.normalise_path(path)
    if old_path == "/" or len(old_path) > 255:
        return None
    own = page.get_url(current_site=site) if site is not None else page.url
    if own and Redirect.normalise_path(urlsplit(own).path) == old_path:
        return None
    if Redirect.get_for_site(site).filter(old_path=old_path).exists():
        return None
    return Redirect.objects.create(
        old_path=old_path, site=site, redirect_page=page, is_permanent=True
    )
