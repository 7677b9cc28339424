"""The language switcher and the `hreflang` alternates of a page.

A page of the site's tree offers its own translations (and, for a language it has not been
translated into, that language's front page); any other view offers every interface language
through the reader's language cookie (`core.views.language_choose`).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from wagtail.models import Page, Site

from masthead.core.locale import locale_codes

register = template.Library()


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in its own language: a reader looks for "Русский", not "Russian"
    url: str
    current: bool
    translation: bool  # this very page in that language (an hreflang alternate)


def _local_name(code: str) -> str:
    return translation.get_language_info(code)["name_local"]


@register.simple_tag(takes_context=True)
def language_choices(context, page=None):
    """Return the language choices of `page`, looked up only when a template first reads them
    (a page whose head and header come from the fragment cache never does)."""
    return SimpleLazyObject(lambda: _language_choices(context.get("request"), page))


def _language_choices(request, page) -> list[LanguageChoice]:
    current = translation.get_language()
    if page is None or request is None or not getattr(page, "translation_key", None):
        if request is None:
            return []
        here = request.get_full_path()
        return [
            LanguageChoice(
                code=code,
                name=_local_name(code),
                url=f"{reverse('language_choose')}?{urlencode({'language': code, 'next': here})}",
                current=code == current,
                translation=False,
            )
            for code, _name in settings.LANGUAGES
        ]
    if len(locale_codes()) < 2:
        return []  # a site in one language needs no switcher, and asks nothing for it
    site = Site.find_for_request(request)
    keys = {page.translation_key}
    if site is not None:
        keys.add(site.root_page.translation_key)
    # One query for the page's translations and every language's front page.
    found = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .select_related("locale")
        .only("id", "url_path", "translation_key", "locale__language_code", "depth", "path")
    )
    own, fronts = {}, {}
    for other in found:
        code = other.locale.language_code
        (own if other.translation_key == page.translation_key else fronts)[code] = other
    choices = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        target = own.get(code) or fronts.get(code)
        if target is None:
            continue
        url = target.get_url(request=request)
        if url is None:
            continue
        choices.append(
            LanguageChoice(
                code=code,
                name=_local_name(code),
                url=url,
                current=code == current,
                translation=code in own,
            )
        )
    # A site in one language needs no switcher.
    return choices if len(choices) > 1 else []


@register.simple_tag
def site_absolute(url: str) -> str:
    """`url` on the site's public address (SITE_URL), as canonical links are."""
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url
