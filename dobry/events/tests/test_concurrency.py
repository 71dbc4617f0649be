"""50 signups for 10 places, 16 at a time, confirm exactly 10 — and, as a negative control,
the same race without the capacity lock overbooks. Runs on SQLite and on PostgreSQL."""

import queue
import time
from contextlib import contextmanager

import pytest

from dobry.core.tests.threads import at_once
from dobry.events.models import Registration, RegistrationQuerySet, Shift
from dobry.events.services import registrations
from dobry.events.tests.factories import ShiftFactory, volunteer

PEOPLE = 50
PLACES = 10
WORKERS = 16  # simultaneous signups; a shared CI server has few connections to spare

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),  # one such test at a time: connection limits
]


@contextmanager
def unguarded(shift_id):
    """What capacity_guard would be without its lock: no transaction, no row lock."""
    yield Shift.objects.select_related("event").get(pk=shift_id)


def race(monkeypatch, shift, *, people=PEOPLE, workers=WORKERS, **signup_fields):
    """`people` sign up for the shift (with `signup_fields`: seats, group…) from `workers`
    threads at once (each thread holds one database connection, so the race never needs
    more than `workers` of them)."""
    users = [volunteer() for _ in range(people)]
    counted = RegistrationQuerySet.seats

    def slow_count(self):
        # Widen the window between counting places and taking one, as a busy server would.
        value = counted(self)
        time.sleep(0.03)
        return value

    monkeypatch.setattr(RegistrationQuerySet, "seats", slow_count)
    waiting = queue.SimpleQueue()
    for user in users:
        waiting.put(user)

    def sign_up_all(_worker: int) -> None:
        while True:
            try:
                user = waiting.get_nowait()
            except queue.Empty:
                return
            registrations.registration_create(user=user, shift=shift, **signup_fields)

    _done, errors = at_once(sign_up_all, range(workers), timeout=180)
    return errors


def test_fifty_racing_signups_confirm_exactly_ten(monkeypatch):
    shift = ShiftFactory(capacity=PLACES)
    errors = race(monkeypatch, shift)
    assert errors == []
    statuses = list(Registration.objects.filter(shift=shift).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == PLACES
    assert statuses.count(Registration.Status.WAITLISTED) == PEOPLE - PLACES


def test_without_the_lock_the_same_race_overbooks(monkeypatch):
    monkeypatch.setattr(registrations, "capacity_guard", unguarded)
    shift = ShiftFactory(capacity=PLACES)
    race(monkeypatch, shift)
    confirmed = Registration.objects.filter(shift=shift, status=Registration.Status.CONFIRMED)
    assert confirmed.count() > PLACES
