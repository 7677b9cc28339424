"""`masthead serve`: migrate, collect static files, then hand over to the granian server."""

import os
import resource
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from masthead.core.startup import STARTUP_CHECK_TAG

# Uploaded images are public by nature; documents are not (Wagtail checks collection privacy
# in its own view), so only the image folders are served straight from disk.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")


def open_file_limit_raise() -> int:
    """Raise this process's open-file limit to the hard limit and return it."""
    # Every reader with an article open holds an event stream, hence a socket: the usual soft
    # limit of 1,024 would cap a server process at about as many readers.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


def supervisor_arguments(helpers: list[str], *, parent_pid: int) -> list[str]:
    """Return the command line of the process that keeps `helpers` running beside the server."""
    module = "masthead.core.supervise"
    return [sys.executable, "-m", module, "--parent-pid", str(parent_pid), "--", *helpers]


def granian_arguments(*, host: str, port: int, workers: int, connections: int) -> list[str]:
    """Return the granian command line that serves Masthead's ASGI application."""
    arguments = [
        sys.executable,
        "-m",
        "granian",
        # masthead.asgi streams live updates itself and hands every other request to Django's
        # WSGI application on a pool of MASTHEAD_THREADS threads (see that module).
        "--interface",
        "asgi",
        # Requests a server process serves at once (granian's default: 1,024 shared by the
        # processes). Open event streams count, so the bound is what a process can hold, its
        # open files; Django's requests wait for a thread either way.
        "--backpressure",
        str(connections),
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--respawn-failed-workers",
    ]
    # Static files are WhiteNoise's: it answers the brotli or gzip copy collectstatic made and
    # marks hashed names immutable for a year (granian's file server does neither).
    if settings.MASTHEAD_SERVE_MEDIA:
        for folder in PUBLIC_MEDIA_FOLDERS:
            arguments += [
                "--static-path-route",
                f"{settings.MEDIA_URL.rstrip('/')}/{folder}",
                "--static-path-mount",
                str(Path(settings.MEDIA_ROOT) / folder),
            ]
    arguments.append("masthead.asgi:application")
    return arguments


class Command(BaseCommand):
    help = "Apply migrations, collect static files and serve Masthead with granian."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("MASTHEAD_WORKERS", "1")),
            help="Number of server processes (one per CPU core is a good start).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("MASTHEAD_THREADS", "4")),
            help="Request threads per server process.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not run scheduled publishing beside the server (when several servers run, "
            "keep it on exactly one of them, or run `masthead scheduler` on its own).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the background task worker beside the server "
            "(run `masthead worker` elsewhere).",
        )
        parser.add_argument(
            "--skip-migrate",
            action="store_true",
            help="Do not apply migrations (when a release step already did).",
        )

    def handle(
        self, *args, host, port, workers, threads, skip_migrate, no_scheduler, no_worker, **options
    ):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if not skip_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        problems = [
            problem
            for problem in checks.run_checks(tags=[STARTUP_CHECK_TAG])
            if problem.is_serious()
        ]
        if problems:
            raise CommandError("\n".join(str(problem.msg) for problem in problems))
        for folder in PUBLIC_MEDIA_FOLDERS:
            (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)

        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"Masthead is serving on http://{shown_host}:{port}/")
            + f"\nEditors' admin: http://{shown_host}:{port}/admin/  (stop with Ctrl+C)"
        )
        sys.stdout.flush()
        # With the immediate queue, tasks run inside requests: a worker would only fail.
        worker = not no_worker and settings.MASTHEAD_TASK_QUEUE != "immediate"
        if worker and not no_scheduler:
            helpers = ["worker-with-scheduler"]  # one process: the scheduler is its thread
        else:
            helpers = (["worker"] if worker else []) + ([] if no_scheduler else ["scheduler"])
        if helpers:
            # The supervisor starts the helpers and restarts one that dies; exec keeps this
            # process id, so it can watch the server it belongs to and stop them with it.
            subprocess.Popen(supervisor_arguments(helpers, parent_pid=os.getpid()))  # noqa: S603
        # Read by masthead.asgi in each server process: the size of Django's thread pool.
        os.environ["MASTHEAD_THREADS"] = str(threads)
        # Requests already run on several threads: a maths library that also starts a thread
        # per core for each matrix product (the moderation models) only makes them wait for
        # each other, five to ten times slower on a busy machine.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        arguments = granian_arguments(
            host=host, port=port, workers=workers, connections=open_file_limit_raise()
        )
        os.execv(sys.executable, arguments)  # noqa: S606 - replaces this process by the server
