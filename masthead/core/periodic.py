"""Jobs that the scheduler runs every minute, registered by the apps that own them.

The scheduler lives in core, which must not import the domain apps; each app registers its
jobs from its AppConfig.ready() instead. It runs as `masthead scheduler`, or as a thread of
the task worker (`masthead worker --with-scheduler`, what `masthead serve` starts): one
process fewer, about 100 MB less, for work that takes a moment each minute.
"""

import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

_jobs: dict[str, Callable[[], object]] = {}


def periodic_job_register(name: str, job: Callable[[], object]) -> None:
    """Run `job` on every scheduler tick (registering the same name again replaces it)."""
    _jobs[name] = job


def periodic_jobs_run() -> None:
    """Run every registered job once; one failing job does not stop the others."""
    for name, job in list(_jobs.items()):
        try:
            job()
        except Exception:  # a tick must survive a broken job; the log says which
            logger.exception("Periodic job %s failed", name)


def scheduler_run(
    *,
    interval: int,
    once: bool = False,
    parent_pid: int | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Publish what is due and run the periodic jobs every `interval` seconds.

    Returns after one tick with `once`, when `stop` is set, or when the process `parent_pid`
    is gone: an orphan would publish forever after the server stopped; the parent's exit
    reparents this process, which is how it notices, within a second.
    """
    from django.core.management import call_command

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
        deadline = time.monotonic() + interval
        while (left := deadline - time.monotonic()) > 0:
            if parent_pid and os.getppid() != parent_pid:
                return
            if stop is not None:
                if stop.wait(min(1.0, left)):
                    return
            else:
                time.sleep(min(1.0, left))


def scheduler_thread_start(
    *, interval: int = 60, stop: threading.Event | None = None
) -> threading.Thread:
    """Run the scheduler on a daemon thread of this process (the task worker's) until `stop`."""
    stop = stop or threading.Event()

    def run() -> None:
        from django.db import connection

        while not stop.is_set():
            try:
                scheduler_run(interval=interval, stop=stop)
            except Exception:  # scheduler_run logs its own failures; a tick must still go on
                logger.exception("The scheduler thread failed; starting it again")
                stop.wait(interval)
            finally:
                connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name="scheduler", daemon=True)
    thread.start()
    return thread
