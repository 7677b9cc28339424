"""`masthead scheduler`: scheduled publishing and the apps' periodic jobs, once a minute."""

import logging
import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from masthead.core.periodic import periodic_jobs_run

logger = logging.getLogger(__name__)


class Command(BaseCommand):
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
            self._loop(interval=interval, once=once, parent_pid=parent_pid)
        except KeyboardInterrupt:
            # Ctrl+C reaches the whole process group: the server says goodbye, this one not.
            return

    def _loop(self, *, interval: int, once: bool, parent_pid: int | None) -> None:
        while True:
            try:
                call_command("publish_scheduled", verbosity=0)
            except Exception:
                if once:
                    raise
                # The database may be restarting: the next tick publishes what is due.
                logger.exception("Scheduled publishing failed; trying again at the next tick")
            periodic_jobs_run()
            if once:
                return
            # An orphan would publish forever after the server stopped; the parent's exit
            # reparents this process, which is how it notices, within a second.
            deadline = time.monotonic() + interval
            while (left := deadline - time.monotonic()) > 0:
                if parent_pid and os.getppid() != parent_pid:
                    return
                time.sleep(min(1.0, left))
