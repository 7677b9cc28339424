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
"""

import os

from django.db.backends.sqlite3 import base


def _file_identity(path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class DatabaseWrapper(base.DatabaseWrapper):
    opened_file: tuple[int, int] | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self.opened_file = _file_identity(self.settings_dict["NAME"])
        return connection

    def is_usable(self):
        if self.is_in_memory_db():
            return True
        current = _file_identity(self.settings_dict["NAME"])
        return current is not None and current == self.opened_file
