"""Per-site settings editors change in the admin (Settings → Outlet)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class OutletSettings(BaseSiteSetting):
    """Who the outlet is, and where its "Support" buttons lead."""

    # The default is the outlet's name until an editor gives it one: a name, not a word to
    # translate.
    name = models.CharField(
        _("name"), max_length=120, default="Masthead", help_text=_("The outlet's name.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    about = models.TextField(
        _("about"), blank=True, help_text=_("A few sentences shown in the site footer.")
    )
    support_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("support page"),
        help_text=_("Where the 'Support' buttons lead. Takes precedence over the address below."),
    )
    support_url = models.URLField(
        _("support URL"),
        blank=True,
        help_text=_("An external donation address, used when no page is chosen."),
    )
    twitter_handle = models.CharField(
        _("Twitter handle"),
        max_length=40,
        blank=True,
        help_text=_("Without the @, for Twitter/X cards."),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("share image"),
        help_text=_("Shown when a page without its own image is shared on social media."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("about")],
            _("Outlet"),
        ),
        MultiFieldPanel(
            [FieldPanel("support_page"), FieldPanel("support_url")],
            pgettext_lazy("settings panel: how readers fund the outlet", "Support"),
        ),
        MultiFieldPanel([FieldPanel("twitter_handle"), FieldPanel("share_image")], _("Sharing")),
    ]

    class Meta:
        verbose_name = _("Outlet")
        verbose_name_plural = _("Outlets")

    def __str__(self) -> str:
        return self.name

    @property
    def support_target(self) -> str:
        """Return the address the "Support" buttons link to ("" when none is set)."""
        if self.support_page_id and self.support_page.live:
            return self.support_page.url or ""
        return self.support_url
