"""Helpers for tests that race database work from several threads."""

import time

from django.db import OperationalError, connection


def connect_patiently(seconds: float = 60) -> None:
    """Open this thread's connection, waiting while the server is full: on a shared
    PostgreSQL other clients may briefly hold every slot. Only connecting is retried —
    a failure in the work that follows is still the test's failure."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
