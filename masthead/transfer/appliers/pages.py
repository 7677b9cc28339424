"""Applying a WordPress site: authors, pictures, then posts and pages, one record at a time
inside the importer's transaction, each through publishing's services.

What each record made is kept in the import's links (by source id), so a second run of the
same export, or a newer one, finds it and makes nothing twice:

    author           login → publishing Author
    attachment       attachment post id → Wagtail image
    attachment_file  its path under wp-content/uploads → the same image (posts name their
                     pictures by address, often a resized copy: "pic-300x200.jpg")
    section          category slug → SectionPage
    article, page    post id → ArticlePage, StandardPage
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.publishing import services as publishing
from masthead.publishing.models import Author, HomePage, StandardPage
from masthead.transfer.context import ImportContext
from masthead.transfer.importing import future_limit
from masthead.transfer.records import AttachmentRecord, AuthorRecord, PageRecord
from masthead.transfer.wordpress_content import body_blocks, plain_text, shorten

UPLOADS = "/wp-content/uploads/"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic", ".bmp", ".tif"}
# What WordPress appends to the resized copies it makes: "-300x200", and "-scaled" for the
# big-image copy (5.3 on) that becomes the attachment's file.
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
# Where a dry run would have stored a picture it found: nothing is stored, so no real id.
_DRY_RUN_IMAGE = 0
DEFAULT_CATEGORY = ("uncategorized", "Uncategorized")


# --- authors ---------------------------------------------------------------------------------


def author_apply(context: ImportContext, record: AuthorRecord) -> None:
    if context.links.get("author", record.source_id) is not None:
        context.report.skip("already_imported", source_id=record.source_id, line=record.line)
        return
    author = _author_make(context, record.source_id, record.name)
    context.links.add("author", record.source_id, author.pk)
    context.report.count("authors")


def _author_make(context: ImportContext, login: str, name: str) -> Author:
    """The Author for a WordPress login: the one `--map-author` names, else one of its own."""
    mapped = context.options.author_map.get(login)
    if mapped:
        existing = Author.objects.filter(slug=mapped).first()
        if existing is not None:
            return existing
    return publishing.author_ensure(slug=mapped or login, name=name or login)


def _authors_for(context: ImportContext, logins) -> list[Author]:
    authors = []
    for login in logins:
        author_id = context.links.get("author", login)
        author = Author.objects.filter(pk=author_id).first() if author_id else None
        if author is None:
            # WXR 1.0 has no author list: a post names its author by login alone.
            author = _author_make(context, login, login)
            if author_id is None:
                context.links.add("author", login, author.pk)
                context.report.count("authors")
        authors.append(author)
    return authors


# --- attachments -----------------------------------------------------------------------------


def attachment_apply(context: ImportContext, record: AttachmentRecord) -> None:
    """Store the attachment's picture when the media folder has it."""
    report = context.report
    if context.links.get("attachment", record.source_id) is not None:
        report.skip("already_imported", source_id=record.source_id, line=record.line)
        return
    relative = record.file.lstrip("/") or uploads_path(context, record.url)
    if Path(relative or urlsplit(record.url).path).suffix.lower() not in IMAGE_SUFFIXES:
        # Documents, sound and video stay where the posts link them.
        report.skip(
            "unsupported",
            source_id=record.source_id,
            detail=_("not a picture: %(file)s") % {"file": relative or record.url},
            line=record.line,
        )
        return
    path = media_file(context, relative)
    if path is None:
        report.correct(
            "media_missing",
            source_id=record.source_id,
            detail=relative or record.url,
            line=record.line,
        )
        return
    image_id = _image_store(
        context, path, title=record.title, alt=record.alt, source_id=record.source_id
    )
    if image_id is None:
        return
    context.links.add("attachment", record.source_id, image_id)
    _file_link(context, relative, image_id)


def _image_store(context: ImportContext, path: Path, *, title: str, alt: str, source_id: str):
    if context.options.dry_run:
        # Found, and would be stored: a dry run writes no file.
        context.report.count("images")
        return _DRY_RUN_IMAGE
    try:
        image = publishing.image_import(file_path=path, title=title, alt=alt)
    except (ValueError, OSError) as error:
        context.report.correct("media_missing", source_id=source_id, detail=str(error))
        return None
    context.report.count("images")
    return image.pk


def _file_link(context: ImportContext, relative: str, image_id: int) -> None:
    key = relative[:200]
    if key and context.links.get("attachment_file", key) is None:
        context.links.add("attachment_file", key, image_id)


def uploads_path(context: ImportContext, url: str) -> str:
    """The part of an address under the uploads folder ("2021/06/pic.jpg"), or ""."""
    if not url:
        return ""
    base = context.options.media_base_url.rstrip("/")
    if base and url.startswith(base + "/"):
        return unquote(url[len(base) + 1 :].split("?")[0])
    path = unquote(urlsplit(url).path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1]
    return ""


def media_file(context: ImportContext, relative: str) -> Path | None:
    """The file `relative` names in the media folder, never outside it."""
    media_dir = context.options.media_dir
    if not media_dir or not relative:
        return None
    root = Path(media_dir).resolve()
    path = (root / relative.lstrip("/")).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _image_finder(context: ImportContext):
    """`image_for` for the body conversion: an attachment id, or a picture's address (its
    own file or a resized copy of it); a picture in the media folder that no attachment
    names is stored too."""

    def image_for(key: str) -> int | None:
        if key.isdigit():
            return context.links.get("attachment", key)
        relative = uploads_path(context, key)
        if not relative:
            return None
        original = _SIZE_SUFFIX.sub("", relative)
        candidates = list(dict.fromkeys([relative, original, _scaled(original)]))
        for candidate in candidates:
            found = context.links.get("attachment_file", candidate[:200])
            if found is not None:
                return found
        for candidate in candidates:
            path = media_file(context, candidate)
            if path is not None and path.suffix.lower() in IMAGE_SUFFIXES:
                image_id = _image_store(context, path, title=path.stem, alt="", source_id=key)
                if image_id is not None:
                    _file_link(context, candidate, image_id)
                return image_id
        return None

    return image_for


def _scaled(relative: str) -> str:
    stem, dot, suffix = relative.rpartition(".")
    return f"{stem}-scaled.{suffix}" if dot else relative


# --- posts and pages -------------------------------------------------------------------------


def page_apply(context: ImportContext, record: PageRecord) -> None:
    """Make the article or plain page of a WordPress post or page, with its redirects."""
    report = context.report
    if context.links.get(record.kind, record.source_id) is not None:
        report.skip("already_imported", source_id=record.source_id, line=record.line)
        return
    if record.status == "trash":
        # What an editor threw away in WordPress is not brought back (nor its comments).
        report.skip(
            "deleted",
            source_id=record.source_id,
            detail=_("in WordPress's trash: %(title)s") % {"title": record.title},
            line=record.line,
        )
        return
    site, home = site_home(context)

    def note(code: str, detail: str) -> None:
        report.correct(code, source_id=record.source_id, detail=detail, line=record.line)

    date = _date(context, record)
    status = record.status
    body = body_blocks(
        record.content,
        image_for=_image_finder(context),
        note=note,
        plain=record.kind == "page",
        footnotes=record.meta.get("wp_footnotes"),
    )
    if record.kind == "article":
        page = _article(context, record, home=home, body=body, date=date, status=status)
        report.count("articles")
    else:
        parent = _parent_page(context, record, home)
        page = publishing.standard_page_import(
            parent=parent,
            title=record.title,
            slug=record.slug,
            intro=shorten(plain_text(record.excerpt), 250),
            body=body,
            date=date,
            status=status,
            show_discussion=record.discussion,
        )
        report.count("pages")
    context.links.add(record.kind, record.source_id, page.pk)
    if status in ("published", "scheduled"):
        # Drafts had no public address to keep.
        for address in (record.link, *record.old_urls):
            if address and publishing.redirect_ensure(
                old_path_or_url=address, page=page, site=site
            ):
                report.count("redirects")


def _article(context: ImportContext, record: PageRecord, *, home, body, date, status):
    categories = list(record.categories) or [DEFAULT_CATEGORY]
    section = _section(context, home, *categories[0])
    # A post in several categories lives in the first; the others are kept as tags.
    tags = [*record.tags, *(name for _slug, name in categories[1:])]
    lead_image, caption = _lead_image(context, record.thumbnail_id)
    standfirst, body = _standfirst(record, body)
    return publishing.article_import(
        section=section,
        title=record.title,
        slug=record.slug,
        date=date,
        standfirst=standfirst,
        body=body,
        authors=_authors_for(context, record.author_ids),
        tags=tags,
        lead_image=lead_image,
        lead_image_caption=caption,
        status=status,
    )


def _section(context: ImportContext, home: HomePage, slug: str, name: str):
    from masthead.publishing.models import SectionPage

    key = (slug or name)[:200]
    section_id = context.links.get("section", key)
    if section_id is not None:
        section = SectionPage.objects.filter(pk=section_id).first()
        if section is not None:
            return section
    section = publishing.section_ensure(home=home, slug=slug, title=name)
    if section_id is None:
        context.links.add("section", key, section.pk)
        context.report.count("sections")
    return section


def _lead_image(context: ImportContext, thumbnail_id: str):
    if not thumbnail_id:
        return None, ""
    image_id = context.links.get("attachment", thumbnail_id)
    if not image_id:
        return None, ""
    image = get_image_model().objects.filter(pk=image_id).first()
    caption = ""
    if image is not None and context.run_id is not None:
        from masthead.transfer.models import ImportItem

        payload = (
            ImportItem.objects.filter(
                run_id=context.run_id, kind="attachment", source_id=thumbnail_id
            )
            .values_list("payload", flat=True)
            .first()
        )
        caption = (payload or {}).get("caption", "")
    return image, caption


def _standfirst(record: PageRecord, body: list[dict]) -> tuple[str, list[dict]]:
    """The excerpt, else the SEO description, else the opening of the text, else the title:
    an article always has one. An opening paragraph short enough to be the standfirst whole
    moves there (the article page shows the standfirst above the body: not twice)."""
    text = plain_text(record.excerpt) or str(record.meta.get("seo_description", "")).strip()
    if text:
        return shorten(text, 400), body
    first = next((b for b in body if b["type"] == "paragraph"), None)
    text = plain_text(first["value"]) if first else ""
    if not text:
        return record.title[:400], body
    if len(text) <= 400 and len(body) > 1 and body[0] is first and "<a " not in first["value"]:
        return text, body[1:]
    return shorten(text, 400), body


def _date(context: ImportContext, record: PageRecord):
    if record.date is None:
        context.report.correct(
            "date_unreadable",
            source_id=record.source_id,
            detail=str(record.meta.get("unreadable_date", "")),
            line=record.line,
        )
        return timezone.now()
    if record.status == "published" and record.date > future_limit():
        context.report.correct(
            "date_in_future",
            source_id=record.source_id,
            detail=record.date.isoformat(),
            line=record.line,
        )
        return timezone.now()
    return record.date


def _parent_page(context: ImportContext, record: PageRecord, home: HomePage):
    """A page's parent page when it was imported (pages nest); the front page otherwise."""
    if record.parent_id:
        parent_id = context.links.get("page", record.parent_id)
        if parent_id is not None:
            parent = StandardPage.objects.filter(pk=parent_id).first()
            if parent is not None:
                return parent
    return home


def site_home(context: ImportContext) -> tuple[Site, HomePage]:
    """The site the import goes into (`--site`, else the default one) and its front page."""
    if context.options.site_id:
        site = Site.objects.filter(pk=context.options.site_id).select_related("root_page").first()
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage):
        raise ValueError(_("The site to import into has no Masthead front page as its root page."))
    return site, home
