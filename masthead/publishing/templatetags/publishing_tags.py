"""Template tags for the reading pages: pictures, navigation, bylines and share metadata."""

import json
import logging
from dataclasses import dataclass
from datetime import UTC

from django import template
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Site

from masthead.core.locale import localized
from masthead.core.pagecache import tagged_value
from masthead.core.urls import public_url
from masthead.publishing.models import HomePage, OutletSettings, SectionPage

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
            '<div class="image-unavailable {}" role="img" aria-label="{}"><span>{}</span></div>',
            css_class,
            alt or image.title,
            _("Image unavailable"),
        )
    ordered = [renditions[spec_filter] for spec_filter in spec.filters]
    # A picture narrower than the widest preset comes back at its own width more than once
    # (Wagtail never enlarges); a srcset may name each width only once.
    widths = {}
    for rendition in ordered:
        widths.setdefault(rendition.width, rendition)
    srcset = format_html_join(", ", "{} {}w", ((r.url, r.width) for r in widths.values()))
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
        # The front page of the language being read: /ru/ pages link the Russian sections.
        root = localized(site.root_page).specific if site else None
        request._masthead_home = root if isinstance(root, HomePage) else None
    return request._masthead_home


@register.simple_tag(takes_context=True)
def outlet_settings(context):
    """Return the outlet's settings, read only when a template first needs them (a page whose
    shared parts come from the fragment cache may not)."""
    request = context.get("request")
    if request is None:
        return None
    return SimpleLazyObject(
        lambda: tagged_value(
            f"outlet:{request._get_raw_host()}:{request.get_port()}",
            tags=["site"],
            compute=lambda: _outlet_with_support_page(request),
        )
    )


def _outlet_with_support_page(request) -> OutletSettings:
    outlet = OutletSettings.for_request(request)
    if outlet.support_page_id:
        # Loaded now, so that `support_target` asks nothing of a copy from the cache.
        outlet.support_page  # noqa: B018
    return outlet


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


def _name_list(items: list) -> SafeString:
    """Join names (HTML or plain text, escaped here) as the reader's language lists them.

    Languages join a list differently ("A, B and C", "A, B et C", "A، B و C"), so the joins are
    messages: one for a pair, one that adds a name to the start of a list, one for the last.
    """
    items = [conditional_escape(item) for item in items]
    if len(items) <= 1:
        return mark_safe("".join(items))  # noqa: S308 - escaped above
    if len(items) == 2:
        # Translators: a list of two names, e.g. the authors of an article: "Ada and Bo".
        pattern = pgettext("list of two names", "%(first)s and %(second)s")
        return _fill(pattern, first=items[0], second=items[1])
    joined = items[0]
    for item in items[1:-1]:
        # Translators: adds a name to a list of three or more: "Ada, Bo" (before "and Cy").
        joined = _fill(pgettext("list of names", "%(names)s, %(name)s"), names=joined, name=item)
    # Translators: adds the last name to a list of three or more: "Ada, Bo and Cy".
    pattern = pgettext("list of names: the last one", "%(names)s and %(last)s")
    return _fill(pattern, names=joined, last=items[-1])


def _fill(pattern: str, **escaped: SafeString) -> SafeString:
    # The pattern comes from a catalog (trusted but not HTML): escape it, not the filled names.
    return mark_safe(conditional_escape(pattern) % escaped)  # noqa: S308 - all parts escaped


@register.filter
def byline_names(authors) -> SafeString:
    """Join author names as a byline: "A", "A and B", "A, B and C" (in the reader's language)."""
    return _name_list([str(author) for author in authors])


@register.simple_tag(takes_context=True)
def byline_links(context, authors) -> SafeString:
    """Join author names, each linked to the author's articles, as `byline_names` does."""
    return _name_list(
        [
            format_html(
                '<a href="{}" rel="author" itemprop="author">{}</a>',
                home_route(context, "author", author.slug),
                author.name,
            )
            for author in authors
        ]
    )


# Google's article guidelines: the picture in three ratios, at least 1,200 pixels wide.
STRUCTURED_IMAGE_FILTERS = (
    "fill-1200x1200-c50|format-jpeg",
    "fill-1200x900-c50|format-jpeg",
    "fill-1200x675-c50|format-jpeg",
)
# Inside <script>, "</" or "<!--" would end or bend the element; JSON says them as escapes.
_JSON_IN_HTML = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _iso(moment) -> str | None:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment else None


def _structured_images(image) -> list[str]:
    if image is None:
        return []
    try:
        renditions = image.get_renditions(*STRUCTURED_IMAGE_FILTERS)
    except Exception:  # see responsive_image
        logger.warning("Structured-data images for %s failed", image.pk, exc_info=True)
        return []
    return [public_url(renditions[spec].url) for spec in STRUCTURED_IMAGE_FILTERS]


@register.simple_tag(takes_context=True)
def article_structured_data(context, page, comment_count=None) -> str:
    """Return the article's schema.org NewsArticle and BreadcrumbList as JSON-LD, the data
    search engines read for rich results (the visible page carries the same facts)."""
    request = context.get("request")
    outlet = OutletSettings.for_request(request) if request else None
    home = _site_home(request) if request else None
    section = context.get("section")
    url = page.get_canonical_url(request)
    home_url = public_url(home.url) if home else public_url("/")
    outlet_name = outlet.name if outlet else ""
    logo = _structured_images(outlet.share_image)[:1] if outlet and outlet.share_image else []
    authors = []
    for author in page.byline_authors:
        person = {"@type": "Person", "name": author.name}
        if home:
            person["url"] = public_url(
                home.url + home.reverse_subpage("author", kwargs={"author_slug": author.slug})
            )
        authors.append(person)
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.search_description or page.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": _structured_images(page.lead_image or (outlet.share_image if outlet else None)),
        "datePublished": _iso(page.date),
        "dateModified": _iso(page.last_published_at or page.date),
        "author": authors,
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": outlet_name,
            "url": home_url,
            "logo": {
                "@type": "ImageObject",
                "url": logo[0] if logo else public_url(static("masthead/favicon.svg")),
            },
        },
        "isAccessibleForFree": True,
    }
    if section is not None:
        article["articleSection"] = section.title
    if comment_count is not None:
        article["commentCount"] = comment_count
        article["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": comment_count,
        }
    crumbs = [(outlet_name or home_url, home_url)]
    if section is not None:
        crumbs.append((section.title, section.get_canonical_url(request)))
    crumbs.append((page.title, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": address}
            for number, (name, address) in enumerate(crumbs, start=1)
        ],
    }
    data = [{k: v for k, v in article.items() if v not in (None, [], "")}, breadcrumbs]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above
