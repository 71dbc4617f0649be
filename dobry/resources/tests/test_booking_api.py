"""The buttons of the room desk through the API (issue 12, one way in): confirm and decline
(the resource centre's staff), cancel (the person who booked, until it begins) — the same
access check (`permissions.get_booking_for_user`) and services (`rooms.booking_*`) as the
pages, for every role, with bad input and wrong states refused clearly."""

from datetime import timedelta

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.api.tests.error_shape import shape_problems
from dobry.communications.models import Notification
from dobry.core.models import AuditEntry
from dobry.core.text_limits import text_limit
from dobry.resources import rooms
from dobry.resources.models import RoomBooking, SupportRecord
from dobry.resources.tests.factories import CITY_NOW, RoomFactory, city_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_city_now")]

B = RoomBooking.Status


@pytest.fixture
def booking(resident, organization):
    return rooms.booking_request(
        user=resident,
        room=RoomFactory(name="Малый зал", capacity=20),
        organization=organization,
        starts_at=city_moment(2, 10),
        ends_at=city_moment(2, 12),
        purpose="Собрание волонтёров",
    )


def url(booking: RoomBooking | int, move: str) -> str:
    pk = booking if isinstance(booking, int) else booking.pk
    return f"/api/v1/room-bookings/{pk}/{move}"


def post(client: Client, address: str, body: dict | None = None):
    return client.post(address, body or {}, content_type="application/json")


def _status(booking: RoomBooking) -> str:
    booking.refresh_from_db()
    return booking.status


MOVES = [("confirm", {}), ("decline", {"reason": "Зал на ремонте"}), ("cancel", {})]


# --- who ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("move", "body"), MOVES)
def test_anonymous_callers_are_asked_for_credentials(booking, move, body):
    response = post(Client(), url(booking, move), body)
    assert response.status_code == 401
    assert shape_problems(response) == []
    assert _status(booking) == B.REQUESTED


@pytest.mark.parametrize(("move", "body"), MOVES)
def test_an_outsider_decides_nothing_and_does_not_see_the_booking(outsider, booking, move, body):
    """The desk is the staff's: deciding is a 403 whether or not the booking exists;
    someone else's booking is not the outsider's to see, so cancelling it is a 404."""
    expected = 404 if move == "cancel" else 403
    client = bearer(outsider)
    response = post(client, url(booking, move), body)
    assert response.status_code == expected
    assert shape_problems(response) == []
    assert post(client, url(987654, move), body).status_code == expected
    assert _status(booking) == B.REQUESTED


@pytest.mark.parametrize(("move", "body"), MOVES[:2])
def test_the_person_who_booked_cannot_decide_their_own_booking(resident, booking, move, body):
    response = post(bearer(resident), url(booking, move), body)
    assert response.status_code == 403
    assert _status(booking) == B.REQUESTED


def test_staff_confirm_and_the_room_counts_as_property_support(coordinator, resident, booking):
    response = post(bearer(coordinator), url(booking, "confirm"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == B.CONFIRMED
    assert response.json()["moves"] == []  # staff do not cancel what others booked
    assert _status(booking) == B.CONFIRMED
    assert SupportRecord.objects.get().kind == "property"
    assert AuditEntry.objects.filter(action="room.confirm", actor=coordinator).exists()
    assert Notification.objects.filter(user=resident).exists()


def test_staff_decline_with_a_reason_told_to_the_person_who_booked(coordinator, booking):
    response = post(bearer(coordinator), url(booking, "decline"), {"reason": "Зал на ремонте"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == (B.DECLINED, "Зал на ремонте")
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == (B.DECLINED, "Зал на ремонте")
    assert not SupportRecord.objects.exists()


def test_the_person_who_booked_cancels_their_own(resident, coordinator, booking):
    post(bearer(coordinator), url(booking, "confirm"))
    assert post(bearer(resident), url(booking, "cancel")).json()["moves"] == []
    assert _status(booking) == B.CANCELLED
    # The room was not used after all: the support entry goes with it.
    assert not SupportRecord.objects.exists()


def test_staff_may_not_cancel_someone_elses_booking(coordinator, booking):
    """Staff see every booking (their queue), so it is a 403, not a 404."""
    response = post(bearer(coordinator), url(booking, "cancel"))
    assert response.status_code == 403
    assert "тот, кто её сделал" in response.json()["message"]
    assert _status(booking) == B.REQUESTED


def test_a_missing_booking_is_a_404_for_staff(coordinator):
    for move, body in MOVES:
        assert post(bearer(coordinator), url(987654, move), body).status_code == 404


def test_the_answer_lists_the_callers_moves(resident, coordinator, booking):
    """As the buttons of the pages: the booker's «Отменить», the staff's two decisions."""
    response = bearer(resident).post(
        f"/api/v1/rooms/{booking.room_id}/bookings",
        {
            "organization": booking.organization_id,
            "starts_at": city_moment(3, 10).isoformat(),
            "ends_at": city_moment(3, 11).isoformat(),
            "purpose": "Совет",
        },
        content_type="application/json",
    )
    assert response.json()["moves"] == ["cancel"]
    pk = response.json()["id"]
    declined = post(bearer(coordinator), url(pk, "decline"), {"reason": "Занято"})
    assert declined.json()["moves"] == []


# --- bad input and wrong states -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * (text_limit(RoomBooking, "reason") + 1)}, "reason"),
        ({"reason": 5}, "reason"),
        ({"reason": "Ремонт", "status": "confirmed"}, "status"),
    ],
)
def test_a_decline_without_a_proper_reason_is_refused_naming_it(coordinator, booking, body, field):
    response = post(bearer(coordinator), url(booking, "decline"), body)
    assert response.status_code == 422, response.content
    assert shape_problems(response) == []
    assert field in response.json()["errors"]
    assert _status(booking) == B.REQUESTED


def test_a_body_that_is_not_json_is_a_400(coordinator, booking):
    response = bearer(coordinator).post(
        url(booking, "decline"), "{reason", content_type="application/json"
    )
    assert response.status_code == 400
    assert _status(booking) == B.REQUESTED


@pytest.mark.parametrize(("move", "body"), MOVES[:2])
def test_deciding_a_booking_already_decided_is_a_conflict(coordinator, booking, move, body):
    client = bearer(coordinator)
    assert post(client, url(booking, "confirm")).status_code == 200
    response = post(client, url(booking, move), body)
    assert response.status_code == 409
    assert response.json()["message"] == "Бронь уже рассмотрена."
    assert _status(booking) == B.CONFIRMED
    assert SupportRecord.objects.count() == 1


def test_cancelling_twice_is_a_conflict(resident, booking):
    client = bearer(resident)
    assert post(client, url(booking, "cancel")).status_code == 200
    again = post(client, url(booking, "cancel"))
    assert again.status_code == 409
    assert again.json()["message"] == "Бронь уже не действует."


def test_cancelling_a_booking_that_has_begun_is_a_conflict(resident, booking, freeze_now):
    freeze_now(city_moment(2, 10, 30))
    response = post(bearer(resident), url(booking, "cancel"))
    assert response.status_code == 409
    assert "уже началась" in response.json()["message"]
    assert _status(booking) == B.REQUESTED


# --- one way in: the page and the API agree -------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "resident", "coordinator"])
def test_the_page_and_the_api_answer_the_same_person_alike(request, who, organization):
    """Two bookings alike; the page's button on one, the API on the other: the same refusal
    or the same outcome."""
    person = request.getfixturevalue(who)
    booker = UserFactory()
    organization.memberships.create(user=booker)
    made = [
        rooms.booking_request(
            user=booker,
            room=RoomFactory(),
            organization=organization,
            starts_at=city_moment(2, 10),
            ends_at=city_moment(2, 11),
            purpose="Собрание",
        )
        for _ in range(2)
    ]
    page = login(person).post(f"/desk/rooms/bookings/{made[0].pk}/decide/", {"decision": "confirm"})
    api = post(bearer(person), url(made[1], "confirm"))
    page_outcome = page.status_code if page.status_code != 302 else 200
    assert page_outcome == api.status_code
    assert _status(made[0]) == _status(made[1])


def test_a_booking_begins_after_the_frozen_now():
    assert city_moment(2, 10) - CITY_NOW > timedelta(hours=1)
