"""Two members ask for the same slot of a room at the same instant: exactly one gets it —
and, as a negative control, the same race without the room's lock books the slot twice.
A decision on a booking (confirm, decline, cancel) takes the room's lock too, before the
booking's (`rooms.booking_guard`), so a request for the same time waits for it and reads
the booking decided, never half-way — and, without the room's lock (on PostgreSQL), a
request is refused a slot that the decline it raced had just freed. Runs on SQLite and on
PostgreSQL."""

import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone, local_today
from dobry.core.errors import DomainError
from dobry.core.locking import locked
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


# --- a decision on a booking and a request for the same time --------------------------------

TAKEN = "Это время уже занято. Выберите другое."


def decide_while_asked(monkeypatch, decide: str) -> tuple[RoomBooking, list[str]]:
    """A requested booking of 10:00–12:00 is decided (`decide`: confirm, decline or cancel)
    while another member of the organisation asks for 11:00–13:00. The decision pauses
    after its write, before it commits; the request starts only then. Returns the booking
    decided and the outcomes ("booked", or the refusal)."""
    room = RoomFactory()
    organization = OrganizationFactory()
    first, second = (MembershipFactory(organization=organization).user for _ in range(2))
    coordinator = UserFactory(is_coordinator=True)
    booking = rooms.booking_request(
        user=first,
        room=room,
        organization=organization,
        starts_at=slot(10),
        ends_at=slot(12),
        purpose="Собрание",
    )
    deciding, asked = threading.Event(), threading.Event()
    logged = rooms.log_action

    def paused_log(**kwargs):
        logged(**kwargs)
        if kwargs["action"] != "room.request":
            deciding.set()
            asked.wait(timeout=1)  # the request waits for the room (or, without it, is done)

    monkeypatch.setattr(rooms, "log_action", paused_log)
    moves = {
        "confirm": lambda: rooms.booking_confirm(actor=coordinator, booking=booking),
        "decline": lambda: rooms.booking_decline(actor=coordinator, booking=booking, reason="Нет"),
        "cancel": lambda: rooms.booking_cancel(user=first, booking=booking),
    }

    def act(who: str) -> str:
        if who == "decide":
            moves[decide]()
            return "decided"
        assert deciding.wait(timeout=60), "the decision never reached its write"
        try:
            rooms.booking_request(
                user=second,
                room=room,
                organization=organization,
                starts_at=slot(11),
                ends_at=slot(13),
                purpose="Репетиция",
            )
        finally:
            asked.set()
        return "booked"

    done, raised = at_once(act, ["decide", "ask"], timeout=90)
    refusals = [error.message for error in raised if isinstance(error, DomainError)]
    assert len(done) + len(refusals) == 2, raised  # a crash fails the test
    assert "decided" in done, raised
    booking.refresh_from_db()
    return booking, sorted([d for d in done if d != "decided"] + refusals)


def holding(room_id: int) -> list[str]:
    return sorted(
        RoomBooking.objects.filter(room_id=room_id).holding().values_list("purpose", flat=True)
    )


def test_a_request_racing_a_confirmation_of_the_same_time_is_refused(monkeypatch):
    booking, outcomes = decide_while_asked(monkeypatch, "confirm")
    assert booking.status == RoomBooking.Status.CONFIRMED
    assert outcomes == [TAKEN]
    assert holding(booking.room_id) == ["Собрание"]


@pytest.mark.parametrize("decide", ["decline", "cancel"])
def test_a_request_waits_for_a_decision_that_frees_the_time_and_gets_it(monkeypatch, decide):
    booking, outcomes = decide_while_asked(monkeypatch, decide)
    assert booking.status != RoomBooking.Status.REQUESTED
    assert outcomes == ["booked"]
    assert holding(booking.room_id) == ["Репетиция"]


@contextmanager
def booking_only(booking):
    """What booking_guard was: the booking's lock without its room's."""
    with locked(RoomBooking.objects.select_related("room", "booked_by"), booking.pk) as current:
        yield current


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs every write transaction alone (IMMEDIATE): no race to show",
)
@pytest.mark.parametrize("decide", ["decline", "cancel"])
def test_without_the_rooms_lock_the_request_reads_the_decision_half_made(monkeypatch, decide):
    """The negative control: the request does not wait; it reads the booking as it was
    before the decision it raced and is refused a time that is free once both are done."""
    monkeypatch.setattr(rooms, "booking_guard", booking_only)
    booking, outcomes = decide_while_asked(monkeypatch, decide)
    assert booking.status != RoomBooking.Status.REQUESTED
    assert outcomes == [TAKEN]
    assert holding(booking.room_id) == []
