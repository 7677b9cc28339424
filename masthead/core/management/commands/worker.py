"""`masthead worker`: run queued background tasks (mail, search index updates).

Which worker runs depends on MASTHEAD_TASK_QUEUE: the database queue's `db_worker`, or an RQ
worker on Redis. Several workers may run at once, on one machine or many.
"""

import os
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _exit_with_parent(parent_pid: int) -> None:
    # The worker libraries install their own SIGTERM handlers, which finish the task at hand
    # before exiting; sending ourselves SIGTERM when the server is gone reuses that.
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Command(BaseCommand):
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

    def handle(self, *args, batch, parent_pid, verbosity, **options):
        queue = settings.MASTHEAD_TASK_QUEUE
        if parent_pid:
            _exit_with_parent(parent_pid)
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
