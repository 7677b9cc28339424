"""`masthead demo`: load the demo outlet (safe to run again)."""

from django.core.management.base import BaseCommand

from masthead.publishing.demo.loader import DEMO_EDITOR_USERNAME, demo_load


class Command(BaseCommand):
    help = "Load demo content: a fictional outlet with sections, articles and pictures."

    def handle(self, *args, **options):
        report = demo_load()
        if not report.created:
            self.stdout.write("Demo content is already loaded; nothing to add.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(report.created)} items)."))
        if report.editor_password:
            self.stdout.write(
                f"Admin login: username '{DEMO_EDITOR_USERNAME}', "
                f"password '{report.editor_password}' (also saved in var/demo-editor.txt)."
            )
