"""`masthead worker`: run queued background tasks (mail, search index updates).

Which worker runs depends on MASTHEAD_TASK_QUEUE: the database queue's `db_worker`, or an RQ
worker on Redis. Several workers may run at once, on one machine or many.
"""

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from masthead.core.periodic import scheduler_thread_start

logger = logging.getLogger(__name__)

# Seconds between restarts of a worker that stopped on an error (its queue was unreachable).
RESTART_SECONDS = 5
# A worker that ran this long before failing starts a new count of failures.
RESTART_RESET_SECONDS = 300


def _exit_with_parent(parent_pid: int) -> None:
    # The worker libraries install their own SIGTERM handlers, which finish the task at hand
    # before exiting; sending ourselves SIGTERM when the server is gone reuses that.
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Command(BaseCommand):
    # `masthead serve` checks the installation before it starts this helper; the checks would
    # load the moderation models here (~60 MB) for a process that never screens a comment.
    requires_system_checks = []
    help = "Run the background task worker for the configured queue (MASTHEAD_TASK_QUEUE)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run every task already queued, then exit."
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="Exit when this process is gone (used by `masthead serve`).",
        )
        parser.add_argument(
            "--with-scheduler",
            action="store_true",
            help="Also run the scheduler (scheduled publishing, periodic jobs) on a thread of "
            "this process, instead of `masthead scheduler` (what `masthead serve` does).",
        )

    def handle(self, *args, batch, parent_pid, with_scheduler, verbosity, **options):
        if parent_pid:
            _exit_with_parent(parent_pid)
        if with_scheduler and not batch:
            scheduler_thread_start()
        if batch:
            self.work(batch=True, verbosity=verbosity)
            return
        # A worker outlives its queue's outages: when Redis (or the database) goes away, the
        # worker library gives up with an error; this one waits and starts it again, so work
        # resumes by itself once the service is back (the outbox re-sends what was lost).
        failures = 0
        while True:
            started = time.monotonic()
            try:
                self.work(batch=False, verbosity=verbosity)
                return  # stopped on purpose (SIGTERM, the server gone)
            except CommandError:
                raise
            # django-rq exits(1) when Redis is gone; RQ and db_worker raise on a lost connection.
            except (Exception, SystemExit) as error:  # noqa: BLE001 - restarted, logged
                if isinstance(error, SystemExit) and error.code in (0, None):
                    return
                if time.monotonic() - started > RESTART_RESET_SECONDS:
                    failures = 0
                failures += 1
                if failures == 1 or failures % 12 == 0:  # about once a minute, not per retry
                    logger.warning(
                        "The task worker stopped (%s); starting it again every %s s",
                        error,
                        RESTART_SECONDS,
                    )
            if parent_pid and os.getppid() != parent_pid:
                return
            time.sleep(RESTART_SECONDS)

    def work(self, *, batch: bool, verbosity: int) -> None:
        queue = settings.MASTHEAD_TASK_QUEUE
        if queue == "database":
            call_command(
                "db_worker",
                batch=batch,
                reload=False,
                startup_delay=not batch,
                queue_name="*",
                verbosity=verbosity,
            )
        elif queue == "redis":
            # --with-scheduler moves deferred tasks (mail retries) onto the queue when due.
            # SimpleWorker runs tasks in this process: RQ's default forks a process per task,
            # which measured 2.5x slower for short tasks like sending one mail.
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="rq.worker.SimpleWorker",
                with_scheduler=True,
                burst=batch,
                verbosity=verbosity,
            )
        else:
            raise CommandError(
                "MASTHEAD_TASK_QUEUE=immediate runs tasks inside requests: there is no worker to "
                "start. Use database (the default) or redis."
            )
