"""`masthead scheduler`: scheduled publishing and the apps' periodic jobs, once a minute."""

from django.core.management.base import BaseCommand, CommandError

from masthead.core.periodic import scheduler_run


class Command(BaseCommand):
    # `masthead serve` checks the installation before it starts this helper; the checks would
    # load the moderation models here (~60 MB) for a process that never screens a comment.
    requires_system_checks = []
    help = (
        "Run Wagtail's scheduled publishing and Masthead's periodic jobs (mail retries, digests) "
        "every --interval seconds (or --once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run once and exit.")
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="Exit when this process is gone (used by `masthead serve`).",
        )

    def handle(self, *args, interval, once, parent_pid, **options):
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        try:
            scheduler_run(interval=interval, once=once, parent_pid=parent_pid)
        except KeyboardInterrupt:
            # Ctrl+C reaches the whole process group: the server says goodbye, this one not.
            return
