"""`masthead privacy`: answer a commenter's request about their personal data.

    masthead privacy export ada@example.org > ada.json
    masthead privacy erase ada@example.org [--mode anonymize|delete] [--yes]

Export prints everything stored about the address as JSON on standard output. Erase asks for
confirmation (unless --yes), then anonymizes or deletes in one transaction and prints what it
did; the moderation audit log records it without the address.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masthead.moderation import privacy


class Command(BaseCommand):
    help = "Export or erase what is stored about a commenter, found by email address."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        export = verbs.add_parser("export", help="Print the commenter's data as JSON.")
        export.add_argument("email")
        erase = verbs.add_parser("erase", help="Anonymize or delete the commenter's data.")
        erase.add_argument("email")
        erase.add_argument(
            "--mode",
            choices=privacy.ERASE_MODES,
            help="anonymize: keep texts as 'Anonymous'; delete: remove texts too "
            "(default: MODERATION_ERASE_MODE).",
        )
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, verb: str, email: str, **options):
        try:
            if verb == "export":
                data = privacy.personal_data_export(email=email)
                self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
                return
            mode = options["mode"] or settings.MODERATION_ERASE_MODE
            self._erase(email, mode=mode, ask=not options["yes"])
        except privacy.PrivacyError as error:
            raise CommandError(str(error)) from None

    def _erase(self, email: str, *, mode: str, ask: bool) -> None:
        found = privacy.commenter_find(email=email)
        if ask:
            prompt = (
                f"Erase ({mode}) {len(found.comment_ids)} comment(s) and everything else stored "
                f"about {found.email}? This cannot be undone. Type 'yes' to continue: "
            )
            if input(prompt).strip().lower() != "yes":
                raise CommandError("Nothing was erased.")
        summary = privacy.personal_data_erase(email=email, mode=mode, actor_name="command line")
        self.stdout.write(f"Erased the personal data of {found.email} ({mode}):")
        for name, count in summary.items():
            if name != "mode":
                self.stdout.write(f"  {name.replace('_', ' ')}: {count}")
        if summary["bans_kept"]:
            self.stdout.write("Bans are kept as they were: erasure never lifts a ban.")
