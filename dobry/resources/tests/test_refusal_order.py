"""Room bookings keep the project's one order of refusals: whoever did not make a booking
gets 403 cancelling it, whatever its state (a stranger «cancelling» a booking that had
begun used to get 409, learning that it stood); the person who booked gets 409 once it
has begun or no longer holds the room; staff deciding twice get 409, others 403."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db
B = RoomBooking.Status


def booking(status: str, *, begun: bool = False) -> RoomBooking:
    starts = timezone.now() + (timedelta(minutes=-30) if begun else timedelta(days=2))
    return RoomBooking.objects.create(
        room=RoomFactory(),
        organization=OrganizationFactory(),
        booked_by=UserFactory(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        purpose="Собрание",
        status=status,
    )


@pytest.mark.parametrize(
    ("status", "begun"),
    [(B.REQUESTED, False), (B.CONFIRMED, True), (B.CANCELLED, False), (B.DECLINED, False)],
)
def test_a_stranger_cancelling_gets_403_in_every_state(status, begun):
    held = booking(status, begun=begun)
    with pytest.raises(PermissionDenied):
        rooms.booking_cancel(user=UserFactory(), booking=held)
    held.refresh_from_db()
    assert held.status == status


@pytest.mark.parametrize(("status", "begun"), [(B.CONFIRMED, True), (B.CANCELLED, False)])
def test_the_person_who_booked_gets_409_too_late_or_already_cancelled(status, begun):
    held = booking(status, begun=begun)
    with pytest.raises(InvalidTransition):
        rooms.booking_cancel(user=held.booked_by, booking=held)


def test_deciding_is_403_for_others_and_409_for_staff_once_decided(coordinator):
    decided = booking(B.DECLINED)
    with pytest.raises(PermissionDenied):
        rooms.booking_confirm(actor=UserFactory(), booking=decided)
    with pytest.raises(InvalidTransition):
        rooms.booking_confirm(actor=coordinator, booking=decided)


def test_the_api_says_the_same(login_as):
    held = booking(B.CONFIRMED, begun=True)
    path = f"/api/v1/room-bookings/{held.pk}/cancel"
    assert login_as(held.booked_by).post(path).status_code == 409
    assert login_as(UserFactory()).post(path).status_code == 404  # not even found
