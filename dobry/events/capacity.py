"""The capacity lock. Every change to who holds a place on a shift happens inside it."""

from collections.abc import Iterator
from contextlib import contextmanager

from dobry.core.locking import locked
from dobry.events.models import Shift


@contextmanager
def capacity_guard(shift_id: int) -> Iterator[Shift]:
    """A transaction in which nobody else can change the shift's places
    (`dobry.core.locking.locked`: a row lock with a timeout on PostgreSQL, the IMMEDIATE
    write lock on SQLite); the places are counted after the lock is held."""
    with locked(Shift.objects.select_related("event__organization"), shift_id) as shift:
        yield shift
