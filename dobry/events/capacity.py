"""The capacity lock. Every change to who holds a place on a shift happens inside it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from dobry.events.models import Shift


@contextmanager
def capacity_guard(shift_id: int) -> Iterator[Shift]:
    """A transaction in which nobody else can change the shift's places.

    On PostgreSQL the shift row is locked (SELECT … FOR UPDATE) and the places are counted
    after the lock is held. On SQLite the connection begins transactions IMMEDIATE (see
    settings), which takes the database write lock at BEGIN, before the count.
    """
    with transaction.atomic():
        yield Shift.objects.select_for_update(of=("self",)).select_related("event").get(pk=shift_id)
