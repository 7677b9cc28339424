"""Which language the interface speaks to a reader.

A page of the site's tree speaks its own language: the language prefix of its address
(`/ru/...`, Wagtail's locales under `i18n_patterns`), or the default language when it has none.
Everything else (search, the comment API, error pages, confirmation pages reached from a mail)
has no language of its own and follows the reader: the language they chose with the switcher
(Django's language cookie), else the first language of their browser's `Accept-Language` that
the site speaks, else the default. Unknown codes anywhere fall back to the default, never to an
error.
"""

import functools

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import Locale

from masthead.core.pagecache import cache_tags_invalidate, tagged_value

_LOCALES_KEY = "core:locale-codes"


def locale_codes() -> dict[int, str]:
    """Wagtail's locales by id: every page render asks, and they change about never (kept in
    each process while the "locales" tag stands: no round trip to a shared cache per page)."""
    return tagged_value(
        _LOCALES_KEY,
        tags=["locales"],
        compute=lambda: dict(Locale.objects.values_list("id", "language_code")),
    )


@receiver([post_save, post_delete], sender=Locale)
def _locales_changed(sender, **kwargs):
    cache_tags_invalidate("locales")


def _in_language_tree(request) -> bool:
    """Whether an unprefixed address belongs to `i18n_patterns` (the default language's pages and
    feeds): it resolves with the default language active and not with any other."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _resolves_only_in_default_language(urlconf, request.path_info)


# Every unprefixed request asks, and the answer for an address never changes while the URL
# configuration stays the same: two resolutions once per address, not on every request.
@functools.lru_cache(maxsize=4096)
def _resolves_only_in_default_language(urlconf: str, path: str) -> bool:
    resolver = get_resolver(urlconf)
    other = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            resolver.resolve(path)
        except Resolver404:
            return False
    with translation.override(other):
        try:
            resolver.resolve(path)
        except Resolver404:
            return True
    return False


def reader_language(request) -> str:
    """The language the reader asked for (cookie, then browser), among those the site speaks."""
    return translation.get_language_from_request(request, check_path=False)


class ReaderLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the reader's language for views that are not pages.

    Django's own middleware gives every unprefixed address the default language once
    `i18n_patterns(prefix_default_language=False)` is in use; that is right for the default
    language's pages but would show the search page, the API's messages and the 404 page in the
    default language to a reader whose browser asks for another one the site speaks.
    `request.reader_language` keeps the reader's choice for views that need it (a 404 found
    while routing a page, a mail's language).
    """

    def process_request(self, request):
        request.reader_language = reader_language(request)
        request.language_follows_reader = False
        language = translation.get_language_from_path(request.path_info)
        if not language:
            if _in_language_tree(request):
                language = settings.LANGUAGE_CODE
            else:
                language = request.reader_language
                request.language_follows_reader = True
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(request, "language_follows_reader", False):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def follow_reader(request) -> None:
    """Switch the rest of this request to the reader's language (e.g. a page that was not found)."""
    language = getattr(request, "reader_language", None) or reader_language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    request.language_follows_reader = True


def localized(page):
    """`page` in the active language (its translation), else `page` itself.

    Wagtail's `Page.localized` asks the database for the active locale on every call; the
    locales here come from the cache, so a page already in the active language costs nothing.
    """
    codes = locale_codes()
    active = translation.get_language()
    if codes.get(page.locale_id) == active:
        return page
    locale_id = next((pk for pk, code in codes.items() if code == active), None)
    if locale_id is None:
        return page
    found = type(page).objects.filter(translation_key=page.translation_key, locale_id=locale_id)
    return found.first() or page
