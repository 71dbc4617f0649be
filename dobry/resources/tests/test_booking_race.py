"""Two members ask for the same slot of a room at the same instant: exactly one gets it —
and, as a negative control, the same race without the room's lock books the slot twice.
Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from django.db.models import QuerySet

from dobry.core.clock import city_zone, local_today
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import Room, RoomBooking, RoomBookingQuerySet
from dobry.resources.tests.factories import RoomFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]


def slot(hour: int, minute: int = 0) -> datetime:
    day = local_today() + timedelta(days=3)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=city_zone())


@contextmanager
def unguarded(room_id):
    """What room_guard would be without its lock: no transaction, no row lock."""
    yield Room.objects.get(pk=room_id)


def race(monkeypatch, requests):
    """Run each (room, start, end) request from its own member and thread at the same
    instant; the check for a clash is slowed, as on a busy server, so that without the lock
    every thread checks before any has written."""
    checked = QuerySet.exists

    def slow_exists(self):
        found = checked(self)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(RoomBookingQuerySet, "exists", slow_exists, raising=False)
    organization = OrganizationFactory()
    people = [MembershipFactory(organization=organization).user for _ in requests]

    def ask(person_and_request):
        person, (room, starts_at, ends_at) = person_and_request
        return rooms.booking_request(
            user=person,
            room=room,
            organization=organization,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose="Собрание",
        )

    booked, raised = at_once(ask, zip(people, requests, strict=True), timeout=90)
    refusals = [error.message for error in raised if isinstance(error, DomainError)]
    assert len(booked) + len(refusals) == len(requests), raised  # a crash fails the test
    return sorted(["booked"] * len(booked) + refusals)


def test_two_requests_for_the_same_slot_at_once_give_one_booking(monkeypatch):
    room = RoomFactory()
    outcomes = race(monkeypatch, [(room, slot(10), slot(12)), (room, slot(11), slot(13))])
    assert outcomes == ["booked", "Это время уже занято. Выберите другое."]
    assert RoomBooking.objects.filter(room=room).count() == 1


def test_the_same_slot_in_two_rooms_at_once_is_booked_twice(monkeypatch):
    first, second = RoomFactory(), RoomFactory()
    outcomes = race(monkeypatch, [(first, slot(10), slot(12)), (second, slot(10), slot(12))])
    assert outcomes == ["booked", "booked"]


def test_without_the_lock_the_same_race_books_the_slot_twice(monkeypatch):
    monkeypatch.setattr(rooms, "room_guard", unguarded)
    room = RoomFactory()
    outcomes = race(monkeypatch, [(room, slot(10), slot(12)), (room, slot(11), slot(13))])
    assert outcomes == ["booked", "booked"]
    assert RoomBooking.objects.filter(room=room).count() == 2
