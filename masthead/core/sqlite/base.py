"""Django's SQLite backend, whose kept connections stop being used once their file is replaced.

Opening a SQLite connection per request (Django's CONN_MAX_AGE = 0) cost a rendered article
about two fifths of its time under load: the connect, Django registering its SQL functions,
the PRAGMAs, and on close the checkpoint SQLite runs when the last connection to a WAL
database goes away. Kept connections skip all of that, but a kept connection goes on reading
and writing the file it opened even after that file was moved, deleted or restored from a
backup: comments would be acknowledged into a file nobody will see again, where a new
connection would have failed and the reader been told 503 (tests/test_database_outage.py).

So each connection remembers which file it opened (device and inode), and the health check
Django runs at the first use of a connection in each request and task (CONN_HEALTH_CHECKS)
compares it with the file now at the database's path — one stat. A different or missing file
closes the connection; the next one opens whatever is there, or fails as it should.

Writers also queue before they ask SQLite for its write lock. SQLite makes a writer that finds
the lock taken sleep and try again, sleeping longer each time (up to 100 ms), so under steady
posting some writers lose the race over and over: comments posted at eight at a time waited up
to two seconds at the 99th percentile while the lock was mostly free. Here the threads of a
process take turns on a lock of their own, and processes on an flock of a file beside the
database ("<name>-writers"), both of which hand over the moment a turn ends. The queue only
orders writers that go through this backend; SQLite's lock still decides, and a writer that
waited its whole timeout for a turn goes on and asks SQLite all the same.
"""

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base


def _file_identity(path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


_process_turns: dict[str, threading.Lock] = {}
_process_turns_lock = threading.Lock()


def _process_turn(path: str) -> threading.Lock:
    with _process_turns_lock:
        return _process_turns.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    opened_file: tuple[int, int] | None = None
    # While this connection's transaction has the writers' turn: this process's lock, and the
    # file descriptor its flock is on.
    _turn: tuple[threading.Lock, int] | None = None
    _turn_file: int | None = None
    # The database's real path, resolved when the connection opened (once, not per write).
    _turn_path: str | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self.opened_file = _file_identity(self.settings_dict["NAME"])
            self._turn_path = os.path.realpath(self.settings_dict["NAME"])
        return connection

    def is_usable(self):
        if self.is_in_memory_db():
            return True
        current = _file_identity(self.settings_dict["NAME"])
        return current is not None and current == self.opened_file

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE" or self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        self._turn_take()
        try:
            return super()._start_transaction_under_autocommit()
        except BaseException:
            self._turn_give()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._turn_give()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._turn_give()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._turn_give()
            if self._turn_file is not None:
                os.close(self._turn_file)
                self._turn_file = None

    def _turn_take(self) -> None:
        if self._turn is not None:
            return
        path = self._turn_path or os.path.realpath(self.settings_dict["NAME"])
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        deadline = time.monotonic() + timeout
        process_turn = _process_turn(path)
        if not process_turn.acquire(timeout=timeout):
            return  # SQLite's own wait decides
        try:
            if self._turn_file is None:
                try:
                    self._turn_file = os.open(path + "-writers", os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:  # a folder this process may not write to: no queue, only SQLite
                    process_turn.release()
                    return
            pause = 0.0002
            while True:
                try:
                    fcntl.flock(self._turn_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    # Another process's writer: at most one thread per process polls here.
                    if time.monotonic() >= deadline:
                        process_turn.release()
                        return
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
        except BaseException:
            process_turn.release()
            raise
        self._turn = (process_turn, self._turn_file)

    def _turn_give(self) -> None:
        turn, self._turn = self._turn, None
        if turn is None:
            return
        process_turn, descriptor = turn
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            process_turn.release()
