"""`masthead demo`: load every app's part of the demo outlet (safe to run again)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demo content: a fictional outlet with articles, pictures and discussions."

    def handle(self, *args, **options):
        created = []
        password = None
        # Each app that has a `demo` module contributes, in INSTALLED_APPS order, so the
        # articles exist before the discussions under them. Found by name, so core does not
        # import the apps above it.
        for config in apps.get_app_configs():
            if not config.name.startswith("masthead.") or find_spec(f"{config.name}.demo") is None:
                continue
            report = import_module(f"{config.name}.demo").demo_load()
            created += report.created
            password = password or getattr(report, "editor_password", None)
        if not created:
            self.stdout.write("Demo content is already loaded; nothing to add.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(created)} items)."))
        if password:
            self.stdout.write(
                f"Admin login: username 'editor', password '{password}' "
                "(also saved in var/demo-editor.txt)."
            )
