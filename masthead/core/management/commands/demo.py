"""`masthead demo`: load every app's part of the demo outlet (safe to run again)."""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class Command(BaseCommand):
    help = gettext_lazy(
        "Load demo content: a fictional outlet with articles in three languages, pictures and "
        "discussions."
    )

    def handle(self, *args, **options):
        created = []
        password = None
        readers = []
        # Each app that has a `demo` module contributes, in INSTALLED_APPS order, so the
        # articles exist before the discussions under them. Found by name, so core does not
        # import the apps above it.
        for config in apps.get_app_configs():
            if not config.name.startswith("masthead.") or find_spec(f"{config.name}.demo") is None:
                continue
            report = import_module(f"{config.name}.demo").demo_load()
            created += report.created
            password = password or getattr(report, "editor_password", None)
            readers += getattr(report, "reader_accounts", [])
        if not created:
            self.stdout.write(_("Demo content is already loaded; nothing to add."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Demo content loaded (%(count)s item).",
                    "Demo content loaded (%(count)s items).",
                    len(created),
                )
                % {"count": len(created)}
            )
        )
        if password:
            self.stdout.write(
                # Translators: "username" and "password" name the admin's login form fields.
                _(
                    "Admin login: username '%(username)s', password '%(password)s' "
                    "(also saved in %(path)s)."
                )
                % {
                    "username": "editor",
                    "password": password,
                    "path": Path(settings.VAR_DIR) / "demo-editor.txt",
                }
            )
        if readers:
            self.stdout.write(
                # Translators: "masthead changepassword" is a command, typed as it is.
                _(
                    "Demo reader accounts, for commenting signed in: %(usernames)s. They have no "
                    "password until you give one with: masthead changepassword USERNAME"
                )
                % {"usernames": ", ".join(readers)}
            )
