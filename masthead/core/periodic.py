"""Jobs that `masthead scheduler` runs every minute, registered by the apps that own them.

The scheduler lives in core, which must not import the domain apps; each app registers its
jobs from its AppConfig.ready() instead.
"""

import logging
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
