"""Template tags for the reading pages: pictures, navigation, bylines and share metadata."""

import logging
from dataclasses import dataclass

from django import template
from django.utils.html import format_html, format_html_join
from wagtail.models import Site

from masthead.core.urls import public_url
from masthead.publishing.models import HomePage, SectionPage

register = template.Library()
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImagePreset:
    """A named way to show a picture: the renditions of its srcset and the sizes hint."""

    filters: tuple[str, ...]
    sizes: str


IMAGE_PRESETS = {
    "lead": ImagePreset(
        ("width-480", "width-800", "width-1200", "width-1600"),
        "(min-width: 1060px) 1000px, 100vw",
    ),
    "body": ImagePreset(
        ("width-480", "width-800", "width-1200"), "(min-width: 760px) 680px, 100vw"
    ),
    "card": ImagePreset(
        ("fill-480x300-c50", "fill-960x600-c50"),
        "(min-width: 1060px) 320px, (min-width: 700px) 45vw, 100vw",
    ),
    "hero": ImagePreset(
        ("fill-800x500-c50", "fill-1200x750-c50", "fill-1600x1000-c50"),
        "(min-width: 1060px) 640px, 100vw",
    ),
}
SHARE_FILTER = "fill-1200x630-c50|format-jpeg"


@register.simple_tag
def responsive_image(image, preset: str, alt: str = "", css_class: str = "", loading: str = "lazy"):
    """Render `image` as an <img> with a srcset, or a quiet placeholder if it cannot be read.

    A picture whose file went missing or is corrupt must never take the article down with it,
    so any failure to produce renditions is logged and replaced by the placeholder.
    """
    if image is None:
        return ""
    spec = IMAGE_PRESETS[preset]
    try:
        renditions = image.get_renditions(*spec.filters)
    except Exception:  # Pillow, Willow and storage errors all mean "unreadable"
        logger.warning(
            "Image %s (%s) could not be rendered", image.pk, image.file.name, exc_info=True
        )
        return format_html(
            '<div class="image-unavailable {}" role="img" aria-label="{}">'
            "<span>Image unavailable</span></div>",
            css_class,
            alt or image.title,
        )
    ordered = [renditions[spec_filter] for spec_filter in spec.filters]
    srcset = format_html_join(", ", "{} {}w", ((r.url, r.width) for r in ordered))
    fallback = ordered[min(1, len(ordered) - 1)]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" '
        'loading="{}" decoding="async">',
        fallback.url,
        srcset,
        spec.sizes,
        fallback.width,
        fallback.height,
        alt,
        css_class,
        loading,
    )


@register.simple_tag
def share_image_url(image) -> str:
    """Return the absolute address of a 1200×630 JPEG of `image` for social cards ("" if none)."""
    if image is None:
        return ""
    try:
        return public_url(image.get_rendition(SHARE_FILTER).url)
    except Exception:  # see responsive_image
        logger.warning("Share image for %s could not be rendered", image.pk, exc_info=True)
        return ""


def _site_home(request) -> HomePage | None:
    # Cached on the request: the navigation, bylines and footer all ask for it.
    if not hasattr(request, "_masthead_home"):
        site = Site.find_for_request(request)
        root = site.root_page.specific if site else None
        request._masthead_home = root if isinstance(root, HomePage) else None
    return request._masthead_home


@register.simple_tag(takes_context=True)
def section_nav(context) -> list[SectionPage]:
    """Return the live sections shown in the site's navigation."""
    request = context.get("request")
    home = _site_home(request) if request else None
    if home is None:
        return []
    if not hasattr(request, "_masthead_sections"):
        request._masthead_sections = list(
            SectionPage.objects.live().public().child_of(home).in_menu().select_related("locale")
        )
    return request._masthead_sections


@register.simple_tag(takes_context=True)
def home_route(context, name: str, slug: str) -> str:
    """Return the address of a front-page route such as an author's or a tag's article list."""
    request = context.get("request")
    home = _site_home(request) if request else None
    if home is None:
        return ""
    argument = {"author": "author_slug", "tag": "tag_slug"}[name]
    return home.url + home.reverse_subpage(name, kwargs={argument: slug})


@register.simple_tag
def canonical_url(page, request=None, page_obj=None) -> str:
    """Return the canonical absolute address of `page`, keeping a list's page number."""
    url = page.get_canonical_url(request)
    number = getattr(page_obj, "number", 1)  # templates pass "" when there is no page_obj
    if number > 1:
        url = f"{url}?page={number}"
    return url


@register.filter
def byline_names(authors) -> str:
    """Join author names as a byline: "A", "A and B", "A, B and C"."""
    names = [str(author) for author in authors]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
