"""Keep `masthead serve`'s helpers (the scheduler, the worker) running as long as the server.

`masthead serve` starts this just before it becomes the server (exec keeps its process id):

    python -m masthead.core.supervise --parent-pid SERVER_PID -- worker-with-scheduler

A helper that dies (a worker that gave up on "database is locked", a kill -9) is started again
after a back-off; when the server goes away, or this process is told to stop, the helpers stop
with it. Nothing here imports Django: this process only watches, so it costs little more
memory than the Python interpreter itself.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import time

logger = logging.getLogger("masthead.supervise")

# Seconds between two looks at the helpers and the server.
POLL_SECONDS = 0.5
# The first wait before starting a dead helper again, doubled after each quick death up to
# the maximum, so a helper that cannot start (a wrong setting) does not spin.
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 60.0
# A helper that ran this long before dying gets the short wait again.
STEADY_SECONDS = 300.0
# Seconds helpers get to finish the task at hand after SIGTERM, before SIGKILL.
STOP_GRACE_SECONDS = 5.0

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Helper:
    """One helper command (`masthead <name>`) and the state of its restarts."""

    # A plain class: dataclasses would import inspect, a megabyte of this process's few.
    def __init__(self, name: str) -> None:
        self.name = name
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.delay = FIRST_DELAY_SECONDS
        # When to start it (monotonic clock), 0 for at once; None while it runs.
        self.restart_at: float | None = 0.0


# Each helper's `masthead` command. The scheduler usually runs on a thread of the worker:
# one Django process fewer (about 100 MB) for a minute's tick.
HELPER_COMMANDS = {
    "scheduler": ["scheduler"],
    "worker": ["worker"],
    "worker-with-scheduler": ["worker", "--with-scheduler"],
}


def helper_arguments(name: str) -> list[str]:
    """The command line of helper `name`, watching this process as its parent."""
    # The helpers exit when their parent does: this process, whatever kills it (SIGKILL too).
    command = HELPER_COMMANDS[name]
    return [sys.executable, "-m", "masthead.cli", *command, "--parent-pid", str(os.getpid())]


def exit_described(returncode: int) -> str:
    """How a process ended, for the log: its exit code or the signal that killed it."""
    if returncode < 0:
        try:
            return f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"


def restart_schedule(helper: Helper, now: float, what: str) -> None:
    """Log what happened to a helper and when it starts again; lengthen the next wait."""
    logger.warning("%s %s; restarting it in %g s", helper.name, what, helper.delay)
    helper.process = None
    helper.restart_at = now + helper.delay
    helper.delay = min(helper.delay * 2, MAX_DELAY_SECONDS)


def helper_start(helper: Helper, now: float) -> None:
    try:
        helper.process = subprocess.Popen(helper_arguments(helper.name))  # noqa: S603 - our own
    except OSError as error:
        # Out of memory or processes for a moment: a crash here would end every helper.
        restart_schedule(helper, now, f"could not be started ({error})")
        return
    helper.started = now
    helper.restart_at = None


def helper_check(helper: Helper, now: float) -> None:
    """Notice a helper that died and schedule its restart; start one whose wait is over."""
    process = helper.process
    if process is not None and process.poll() is not None:
        if now - helper.started >= STEADY_SECONDS:
            helper.delay = FIRST_DELAY_SECONDS
        restart_schedule(helper, now, f"(pid {process.pid}) {exit_described(process.returncode)}")
    if helper.process is None and helper.restart_at is not None and now >= helper.restart_at:
        helper_start(helper, now)


def helpers_stop(helpers: list[Helper]) -> None:
    """SIGTERM every running helper, then SIGKILL those still there after the grace time."""
    running = [h for h in helpers if h.process is not None and h.process.poll() is None]
    for helper in running:
        helper.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while any(h.process.poll() is None for h in running) and time.monotonic() < deadline:
        time.sleep(0.1)
    for helper in running:
        if helper.process.poll() is None:
            logger.warning(
                "%s (pid %s) did not stop within %g s; killing it",
                helper.name,
                helper.process.pid,
                STOP_GRACE_SECONDS,
            )
            helper.process.kill()
            helper.process.wait()


def supervise(names: list[str], parent_pid: int) -> None:
    """Run the helpers `names` until the server `parent_pid` is gone or a stop signal comes."""
    stopping: list[int] = []

    def stop(signum: int, _frame) -> None:
        stopping.append(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    helpers = [Helper(name) for name in names]
    # The server's exit reparents this process, which is how it notices, even after SIGKILL.
    while not stopping and os.getppid() == parent_pid:
        now = time.monotonic()
        for helper in helpers:
            helper_check(helper, now)
        time.sleep(POLL_SECONDS)
    helpers_stop(helpers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m masthead.core.supervise")
    parser.add_argument("--parent-pid", type=int, required=True, help="The server's pid.")
    parser.add_argument("helpers", nargs="+", choices=list(HELPER_COMMANDS))
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    supervise(arguments.helpers, arguments.parent_pid)


if __name__ == "__main__":
    main()
