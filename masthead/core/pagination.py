"""Page-number pagination for article lists, strict about what it accepts."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

# Page numbers beyond this are certainly bogus; refusing them early also keeps the OFFSET that
# the database has to skip bounded.
MAX_PAGE_NUMBER = 10_000


def paginate(request: HttpRequest, object_list, *, per_page: int | None = None) -> Page:
    """Return the page of `object_list` named by ?page=, or raise Http404 for a bad number.

    A missing or empty parameter means page 1. Anything that is not a whole number within the
    list's pages ("abc", "-1", "0", "1e9", a thousand digits) is a 404, never a server error.
    """
    raw = request.GET.get("page", "").strip()
    if raw == "":
        number = 1
    elif raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE_NUMBER)):
        number = int(raw)
    else:
        raise Http404("No such page.")
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise Http404("No such page.")
    paginator = Paginator(
        object_list, per_page or settings.PUBLISHING_ARTICLES_PER_PAGE, allow_empty_first_page=True
    )
    if number > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(number)
