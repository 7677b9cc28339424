"""Discussion in Wagtail's admin: editors see every thread and can close or reopen it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.discussion.models import Thread


class ThreadViewSet(SnippetViewSet):
    model = Thread
    icon = "comment"
    menu_label = _("Discussions")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__", "key", "comment_count", "closed", "created"]
    list_filter = ["closed"]
    search_fields = ["title", "key", "url"]
    panels = [FieldPanel("closed"), FieldPanel("title")]


register_snippet(ThreadViewSet)
