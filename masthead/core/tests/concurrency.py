"""Run an action from many threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_in_parallel(action, count: int) -> list[Exception]:
    """Start `count` threads together on `action(number)`; return the exceptions they raised."""
    errors: list[Exception] = []
    start = threading.Barrier(count)

    def worker(number: int) -> None:
        try:
            start.wait()
            action(number)
        except Exception as error:  # noqa: BLE001 - collected and asserted on by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
