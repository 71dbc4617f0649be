"""Room bookings move by BOOKING_WORKFLOW: staff confirm or decline (with a reason) a
request, the person who booked cancels while it holds; pages offer exactly those moves."""

import pytest

from dobry.core.errors import DomainError, InvalidTransition
from dobry.resources import permissions, rooms
from dobry.resources.models import BOOKING_WORKFLOW, RoomBooking
from dobry.resources.tests.factories import RoomFactory
from dobry.resources.tests.test_rooms import at, member  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
B = RoomBooking.Status


def test_the_table():
    assert BOOKING_WORKFLOW.table == {
        B.REQUESTED: frozenset({B.CONFIRMED, B.DECLINED, B.CANCELLED}),
        B.CONFIRMED: frozenset({B.CANCELLED}),
    }
    assert [m.name for m in BOOKING_WORKFLOW.moves if m.needs_reason] == ["decline"]


@pytest.fixture
def booking(member):  # noqa: F811
    user, organization = member
    return rooms.booking_request(
        user=user,
        room=RoomFactory(),
        organization=organization,
        starts_at=at(10),
        ends_at=at(11),
        purpose="Собрание",
    )


def _status(booking):
    booking.refresh_from_db()
    return booking.status


def test_allowed_moves(booking, coordinator):
    rooms.booking_decide(actor=coordinator, booking=booking, decision="confirm")
    assert _status(booking) == B.CONFIRMED
    rooms.booking_cancel(user=booking.booked_by, booking=booking)
    assert _status(booking) == B.CANCELLED


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (B.CONFIRMED, "confirm"),
        (B.CONFIRMED, "decline"),
        (B.DECLINED, "confirm"),
        (B.CANCELLED, "decline"),
        (B.DECLINED, "cancel"),
        (B.CANCELLED, "cancel"),
    ],
)
def test_refused_moves_raise_and_change_nothing(booking, coordinator, status, decision):
    RoomBooking.objects.filter(pk=booking.pk).update(status=status)
    actor = booking.booked_by if decision == "cancel" else coordinator
    with pytest.raises(InvalidTransition):
        rooms.booking_decide(actor=actor, booking=booking, decision=decision, reason="Ремонт")
    assert _status(booking) == status


def test_the_service_checks_who_moves(booking, coordinator, outsider):
    with pytest.raises(DomainError, match="сотрудники ресурсного центра"):
        rooms.booking_confirm(actor=booking.booked_by, booking=booking)
    with pytest.raises(DomainError, match="тот, кто её сделал"):
        rooms.booking_cancel(user=coordinator, booking=booking)
    with pytest.raises(DomainError, match="Объясните причину"):
        rooms.booking_decline(actor=coordinator, booking=booking, reason=" ")
    with pytest.raises(DomainError, match="Неизвестное действие"):
        rooms.booking_decide(actor=coordinator, booking=booking, decision="approve")
    assert _status(booking) == B.REQUESTED


def test_moves_offered_follow_the_table_and_the_permission(booking, coordinator, outsider):
    names = lambda user: [m.name for m in permissions.booking_moves(user, booking)]  # noqa: E731
    assert names(coordinator) == ["confirm", "decline"]
    assert names(booking.booked_by) == ["cancel"]
    assert names(outsider) == []
    RoomBooking.objects.filter(pk=booking.pk).update(status=B.DECLINED)
    booking.refresh_from_db()
    assert names(coordinator) == names(booking.booked_by) == []


def test_my_bookings_offer_cancel_only_while_the_booking_holds(login_as, booking, coordinator):
    client = login_as(booking.booked_by)
    assert (
        f"/desk/rooms/bookings/{booking.pk}/cancel/"
        in client.get("/desk/rooms/my/").content.decode()
    )
    rooms.booking_decline(actor=coordinator, booking=booking, reason="Ремонт")
    assert (
        f"/desk/rooms/bookings/{booking.pk}/cancel/"
        not in client.get("/desk/rooms/my/").content.decode()
    )


def test_the_pages_answer_a_refused_move_with_a_message(login_as, booking, coordinator):
    rooms.booking_decline(actor=coordinator, booking=booking, reason="Ремонт")
    staff = login_as(coordinator)
    decide = f"/desk/rooms/bookings/{booking.pk}/decide/"
    response = staff.post(decide, {"decision": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "Бронь уже рассмотрена" in response.content.decode()
    response = staff.post(decide, {"decision": "forged"})
    assert response.status_code == 400
    assert "«decision»" in response.content.decode()
    response = login_as(booking.booked_by).post(
        f"/desk/rooms/bookings/{booking.pk}/cancel/", follow=True
    )
    assert "Бронь уже не действует" in response.content.decode()
    assert _status(booking) == B.DECLINED


@pytest.mark.parametrize("body", [{}, {"reason": "Ремонт"}, {"decision": ""}])
def test_a_decision_without_its_button_is_a_400_not_a_confirmation(
    login_as, booking, coordinator, body
):
    """The page read a missing button as «confirm»."""
    response = login_as(coordinator).post(f"/desk/rooms/bookings/{booking.pk}/decide/", body)
    assert response.status_code == 400
    assert "«decision»" in response.content.decode()
    assert _status(booking) == B.REQUESTED
