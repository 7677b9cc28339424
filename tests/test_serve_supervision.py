"""`masthead serve` supervises its helpers: a worker or scheduler that dies is started again,
and none of them outlives the server, however it stops. Tried against a real `masthead serve`,
its processes found in /proc."""

import contextlib
import os
import signal
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import free_port
from tests.processes import masthead, masthead_start, scratch_environment, stop, wait_for_http

# For the run's database settings only (skipped without its PostgreSQL); the servers have their
# own scratch database.
pytestmark = pytest.mark.django_db

# The scheduler runs on a thread of the worker (`worker --with-scheduler`): two processes.
HELPER_ROLES = ("supervisor", "worker")


@dataclass(frozen=True)
class Running:
    pid: int
    ppid: int
    role: str


def role_of(arguments: list[str]) -> str | None:
    """Which of serve's processes a command line is: supervisor, scheduler, worker or None."""
    if "masthead.core.supervise" in arguments:
        return "supervisor"
    if "masthead.cli" in arguments:
        following = arguments[arguments.index("masthead.cli") + 1 :]
        if following and following[0] in ("scheduler", "worker"):
            return following[0]
    return None


def run_processes(server_pid: int, folder: Path) -> list[Running]:
    """The live supervisor, scheduler and worker processes of the server started as
    `server_pid`: those in its process group, or started with its scratch folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            arguments = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            environment = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours
            continue
        state, ppid, pgid = stat.rsplit(")", 1)[1].split()[:3]
        role = role_of(arguments)
        if state == "Z" or role is None:
            continue
        if int(pgid) == server_pid or str(folder) in environment:
            found.append(Running(pid=int(entry.name), ppid=int(ppid), role=role))
    return found


def wait_for(condition, *, seconds: float, what: str):
    """Return condition()'s first true value, polling; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {seconds} s")


def helpers_running(server_pid: int, folder: Path) -> dict[str, Running] | None:
    """Serve's helper processes, by role, once each runs exactly once."""
    processes = run_processes(server_pid, folder)
    by_role = {process.role: process for process in processes}
    if len(processes) == len(HELPER_ROLES) and set(by_role) == set(HELPER_ROLES):
        return by_role
    return None


def answers(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("supervision")
    with scratch_environment(folder) as environment:
        masthead(environment, "migrate", "--no-input", timeout=300)
        yield folder, environment


@pytest.fixture
def serving(migrated, tmp_path):
    """A running `masthead serve` with its scheduler and worker: (process, folder, url)."""
    folder, environment = migrated
    port = free_port()
    process = masthead_start(
        environment,
        "serve", "--skip-migrate", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        log=tmp_path / "serve.log",
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/robots.txt"
        wait_for_http(url, process, seconds=150)
        yield process, folder, url
    finally:
        stop(process)
        # A server killed by the test leaves stop() nothing to do: end what is left of its group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_a_killed_worker_is_started_again_and_the_server_keeps_serving(serving, tmp_path):
    process, folder, url = serving
    before = wait_for(
        lambda: helpers_running(process.pid, folder), seconds=30, what="supervisor and helpers"
    )
    assert before["supervisor"].ppid == process.pid  # serve's pid, now the server's
    assert before["worker"].ppid == before["supervisor"].pid

    os.kill(before["worker"].pid, signal.SIGKILL)

    def new_worker():
        running = helpers_running(process.pid, folder)
        return running if running and running["worker"].pid != before["worker"].pid else None

    after = wait_for(new_worker, seconds=20, what="a new worker")
    assert after["worker"].ppid == before["supervisor"].pid
    assert after["supervisor"].pid == before["supervisor"].pid
    assert answers(url) == 200
    log = (tmp_path / "serve.log").read_text()
    killed = f"worker-with-scheduler (pid {before['worker'].pid}) was killed by SIGKILL"
    assert f"{killed}; restarting" in log
    # The models warmed up at start without tripping Django's guard against the database on
    # the event loop (the outlet's own adaptation is read from it).
    assert "could not be loaded" not in log
    # The scheduler came back with it: the new worker runs it on a thread.
    arguments = Path(f"/proc/{after['worker'].pid}/cmdline").read_bytes().split(b"\0")
    assert b"--with-scheduler" in arguments


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_the_helpers_end_with_the_server(serving, how):
    process, folder, _url = serving
    wait_for(
        lambda: helpers_running(process.pid, folder), seconds=30, what="supervisor and helpers"
    )

    os.kill(process.pid, how)  # the server alone, as a process manager would

    # The supervisor notices within half a second, then gives its helpers 5 s to stop.
    wait_for(
        lambda: not run_processes(process.pid, folder),
        seconds=15,
        what="the end of the supervisor, scheduler and worker",
    )
