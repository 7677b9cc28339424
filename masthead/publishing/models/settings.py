"""Per-site settings editors change in the admin (Settings → Outlet)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class OutletSettings(BaseSiteSetting):
    """Who the outlet is, and where its "Support" buttons lead."""

    name = models.CharField(max_length=120, default="Masthead", help_text="The outlet's name.")
    tagline = models.CharField(max_length=200, blank=True)
    about = models.TextField(blank=True, help_text="A few sentences shown in the site footer.")
    support_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the 'Support' buttons lead. Takes precedence over the address below.",
    )
    support_url = models.URLField(
        blank=True, help_text="An external donation address, used when no page is chosen."
    )
    twitter_handle = models.CharField(
        max_length=40, blank=True, help_text="Without the @, for Twitter/X cards."
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without its own image is shared on social media.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("tagline"), FieldPanel("about")], "Outlet"),
        MultiFieldPanel([FieldPanel("support_page"), FieldPanel("support_url")], "Support"),
        MultiFieldPanel([FieldPanel("twitter_handle"), FieldPanel("share_image")], "Sharing"),
    ]

    class Meta:
        verbose_name = "Outlet"

    def __str__(self) -> str:
        return self.name

    @property
    def support_target(self) -> str:
        """Return the address the "Support" buttons link to ("" when none is set)."""
        if self.support_page_id and self.support_page.live:
            return self.support_page.url or ""
        return self.support_url
