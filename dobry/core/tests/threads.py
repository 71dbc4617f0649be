"""Helpers for tests that race database work from several threads.

`at_once(work, arguments)` is the one way a race test starts its threads: each call runs in
its own thread with its own database connection, all released together by a barrier, and
what each returned or raised comes back to the test (an error in a thread never vanishes).
`in_background(work)` runs one thread beside the test (a lock holder) the same way."""

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import OperationalError, close_old_connections, connection

T = TypeVar("T")
R = TypeVar("R")


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


def at_once(
    work: Callable[[T], R], arguments: Iterable[T], *, timeout: float = 120
) -> tuple[list[R], list[Exception]]:
    """Call `work(argument)` for every argument, each in its own thread and connection,
    all starting at the same instant; returns what the calls returned and what they raised,
    each in the order they finished. Fails if a thread is still running after `timeout`."""
    arguments = list(arguments)
    barrier = threading.Barrier(len(arguments))
    returned: list[R] = []
    raised: list[Exception] = []

    def run(argument: T) -> None:
        try:
            connect_patiently()
            barrier.wait(timeout=timeout)
            returned.append(work(argument))
        except Exception as error:  # kept for the test: a crash must not vanish in a thread
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    close_old_connections()
    assert not any(thread.is_alive() for thread in threads), "a racing thread did not finish"
    return returned, raised


@contextmanager
def in_background(work: Callable[[], None], *, timeout: float = 30) -> Iterator[None]:
    """Run `work()` in a thread with its own connection while the block runs; wait for it
    to end after the block (the block must let it end: set the event it waits for)."""
    raised: list[Exception] = []

    def run() -> None:
        try:
            connect_patiently()
            work()
        except Exception as error:
            raised.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield
    finally:
        thread.join(timeout=timeout)
    assert not thread.is_alive(), "the background thread did not finish"
    assert raised == []
