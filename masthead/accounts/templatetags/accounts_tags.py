"""Template tags about the signed-in reader."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from masthead.accounts import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_bar(context, position: str = "bottom-right") -> str:
    """Wagtail's editor bar ({% wagtailuserbar %}), asked for only for those who may use the
    admin: Wagtail's own check reads the reader's permissions from the database on every
    page (two queries for a reader who has none); `selectors.admin_access` answers from the
    cache. Wagtail still checks for itself before it shows the bar."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.admin_access(user):
        return ""
    return wagtailuserbar(context, position)
