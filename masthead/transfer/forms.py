"""The admin's import form: which system the file comes from, the file, and the options an
editor can set from a browser (a folder on the server stays a console option)."""

import importlib.util

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from masthead.transfer.context import ImportOptions
from masthead.transfer.formats import FORMATS
from masthead.transfer.formats.opening import max_bytes


def format_choices() -> list[tuple[str, str]]:
    """The formats whose parser this installation has, with their labels."""
    return [
        (name, label)
        for name, (module, label) in FORMATS.items()
        if importlib.util.find_spec(module) is not None
    ]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("The file comes from"),
        help_text=_(
            "WordPress: Tools → Export → All content. Disqus: Moderation → Export. "
            "Commento, Isso and Remark42: their own export or backup file."
        ),
    )
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("As the system wrote it; a .gz or a .zip holding one file is fine too."),
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.order_by("hostname"),
        required=False,
        label=_("Import into"),
        empty_label=_("The default site"),
    )
    media_base_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("Address of the old site's uploads"),
        help_text=_(
            "What the export's image addresses start with, e.g. "
            "https://old.example.org/wp-content/uploads/. Images are taken from a copy of "
            "that folder on the server, which only the console command can be given: "
            "masthead import wordpress FILE --media-dir FOLDER."
        ),
    )
    screen = forms.BooleanField(
        required=False,
        label=_("Screen the imported comments with moderation"),
        help_text=_(
            "Comments the moderation pipeline would hold go to the moderation queue instead "
            "of being published. Without this, they keep the status they had."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()
        if Site.objects.count() < 2:
            del self.fields["site"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes, more than the %(limit)s Masthead imports.")
                % {"size": f"{upload.size:,}", "limit": f"{limit:,}"}
            )
        return upload

    def options(self) -> ImportOptions:
        """The import's options, from the cleaned form."""
        site = self.cleaned_data.get("site")
        return ImportOptions(
            site_id=site.pk if site else None,
            media_base_url=self.cleaned_data["media_base_url"],
            screen=self.cleaned_data["screen"],
        )
