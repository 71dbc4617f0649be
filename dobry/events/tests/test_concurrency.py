"""50 concurrent signups for 10 places confirm exactly 10 — and, as a negative control,
the same race without the capacity lock overbooks. Runs on SQLite and on PostgreSQL."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection

from dobry.events.models import Registration, RegistrationQuerySet, Shift
from dobry.events.services import registrations
from dobry.events.tests.factories import ShiftFactory, volunteer

PEOPLE = 50
PLACES = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),  # one such test at a time: connection limits
]


@contextmanager
def unguarded(shift_id):
    """What capacity_guard would be without its lock: no transaction, no row lock."""
    yield Shift.objects.select_related("event").get(pk=shift_id)


def wait_for_free_connections(needed: int, seconds: float = 30) -> None:
    """PostgreSQL: wait until the server has room for the racing threads. Another test
    process may briefly hold connections; if room never comes, say who holds them."""
    if connection.vendor != "postgresql":
        return
    query = "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute(query)
            free = cursor.fetchone()[0]
        if free >= needed:
            return
        if time.monotonic() > deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT datname, state, count(*) FROM pg_stat_activity GROUP BY 1, 2"
                )
                holders = cursor.fetchall()
            pytest.fail(f"only {free} free PostgreSQL connections, {needed} needed: {holders}")
        time.sleep(0.5)


def race(monkeypatch, shift):
    users = [volunteer() for _ in range(PEOPLE)]
    wait_for_free_connections(PEOPLE + 5)
    counted = RegistrationQuerySet.seats

    def slow_count(self):
        # Widen the window between counting places and taking one, as a busy server would.
        value = counted(self)
        time.sleep(0.03)
        return value

    monkeypatch.setattr(RegistrationQuerySet, "seats", slow_count)
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def sign_up(user):
        try:
            barrier.wait(timeout=30)
            registrations.registration_create(user=user, shift=shift)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return errors


def test_fifty_concurrent_signups_confirm_exactly_ten(monkeypatch):
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
