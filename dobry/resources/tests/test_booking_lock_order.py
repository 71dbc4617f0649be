"""Every move of a room booking locks the room, then the booking — the order a new request
for the room takes (`rooms.booking_guard`, a parent before its children as
`core/locking.py` asks): confirming, declining or cancelling used to lock the booking
alone, so a request for the same time did not wait for the decision."""

from datetime import datetime, timedelta

import pytest

from dobry.core.clock import city_zone, local_today
from dobry.core.errors import DomainError
from dobry.core.tests.row_locks import first_lock, row_locks
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import Room, RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def slot(hour: int) -> datetime:
    day = local_today() + timedelta(days=3)
    return datetime(day.year, day.month, day.day, hour, tzinfo=city_zone())


@pytest.fixture
def booking():
    organization = OrganizationFactory()
    member = MembershipFactory(organization=organization).user
    return rooms.booking_request(
        user=member,
        room=RoomFactory(),
        organization=organization,
        starts_at=slot(10),
        ends_at=slot(12),
        purpose="Собрание",
    )


def test_a_request_locks_the_room(booking):
    with row_locks() as taken:
        rooms.booking_request(
            user=booking.booked_by,
            room=booking.room,
            organization=booking.organization,
            starts_at=slot(14),
            ends_at=slot(15),
            purpose="Репетиция",
        )
    assert Room in taken


def make(move: str, booking: RoomBooking, coordinator) -> RoomBooking:
    if move == "confirm":
        return rooms.booking_confirm(actor=coordinator, booking=booking)
    if move == "decline":
        return rooms.booking_decline(actor=coordinator, booking=booking, reason="Нет")
    return rooms.booking_cancel(user=booking.booked_by, booking=booking)


@pytest.mark.parametrize("move", ["confirm", "decline", "cancel"])
def test_each_move_locks_the_room_before_the_booking(booking, coordinator, move):
    with row_locks() as taken:
        decided = make(move, booking, coordinator)
    assert first_lock(taken, Room) < first_lock(taken, RoomBooking)
    assert decided.status != RoomBooking.Status.REQUESTED
    assert decided.room == booking.room


@pytest.mark.parametrize("move", ["confirm", "decline", "cancel"])
def test_each_move_reads_the_booking_again_under_the_locks(booking, coordinator, move):
    """A stale copy of the booking (decided meanwhile by someone else) is refused."""
    RoomBooking.objects.filter(pk=booking.pk).update(status=RoomBooking.Status.DECLINED)
    with pytest.raises(DomainError):
        make(move, booking, coordinator)
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.DECLINED
