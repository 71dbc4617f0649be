from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking, SupportRecord
from dobry.resources.tests.factories import RoomFactory
from dobry.resources.tests.test_rooms import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(resident):
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident)
    return resident, organization


def test_rooms_are_public_and_booking_needs_login(client):
    room = RoomFactory(name="Большой зал АРГО")
    assert "Большой зал АРГО" in client.get("/desk/rooms/").content.decode()
    body = client.get(f"/desk/rooms/{room.pk}/").content.decode()
    assert "Войдите, чтобы забронировать" in body


def test_member_books_through_the_calendar_and_sees_the_slot_taken(login_as, member):
    user, organization = member
    room = RoomFactory()
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    client = login_as(user)
    response = client.post(
        f"/desk/rooms/{room.pk}/",
        {
            "organization": organization.pk,
            "day": day,
            "start": "10:00",
            "end": "12:00",
            "purpose": "Собрание",
            "attendees": 10,
        },
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert booking.status == RoomBooking.Status.REQUESTED
    page = client.get(f"/desk/rooms/{room.pk}/?week={day}").content.decode()
    # requested, not yet confirmed: busy, without the name (selectors.room_busy)
    assert "10:00–12:00 · занято" in page
    clash = client.post(
        f"/desk/rooms/{room.pk}/",
        {
            "organization": organization.pk,
            "day": day,
            "start": "11:00",
            "end": "13:00",
            "purpose": "x",
            "attendees": 5,
        },
    )
    assert "Это время уже занято" in clash.content.decode()
    assert client.get(f"/desk/rooms/{room.pk}/?week=не-дата").status_code == 400


def test_staff_decide_bookings_and_members_cancel_theirs(login_as, member, coordinator, outsider):
    user, organization = member
    booking = rooms.booking_request(
        user=user,
        room=RoomFactory(),
        organization=organization,
        starts_at=at(10),
        ends_at=at(11),
        purpose="x",
    )
    assert login_as(user).get("/desk/rooms/bookings/").status_code == 403
    assert login_as(user).post(f"/desk/rooms/bookings/{booking.pk}/decide/").status_code == 403
    login_as(coordinator).post(
        f"/desk/rooms/bookings/{booking.pk}/decide/", {"decision": "confirm"}
    )
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CONFIRMED
    assert SupportRecord.objects.get().kind == "property"
    assert login_as(outsider).post(f"/desk/rooms/bookings/{booking.pk}/cancel/").status_code == 404
    login_as(user).post(f"/desk/rooms/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == RoomBooking.Status.CANCELLED


@pytest.mark.parametrize("count", [1, 20])
def test_booking_queue_has_a_fixed_query_count(
    login_as, member, coordinator, django_assert_max_num_queries, count
):
    user, organization = member
    room = RoomFactory()
    for i in range(count):
        rooms.booking_request(
            user=user,
            room=room,
            organization=organization,
            starts_at=at(8) + timedelta(minutes=30 * i),
            ends_at=at(8) + timedelta(minutes=30 * i + 30),  # the shortest booking
            purpose="x",
        )
    client = login_as(coordinator)
    with django_assert_max_num_queries(7):
        assert client.get("/desk/rooms/bookings/").status_code == 200


def test_availability_and_booking_api(member):
    user, organization = member
    room = RoomFactory()
    rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=at(10),
        ends_at=at(12),
        purpose="x",
    )
    day = at(10).date().isoformat()
    data = Client().get(f"/api/v1/rooms/{room.pk}/availability", {"from": day, "to": day}).json()
    assert len(data["busy"]) == 1
    assert (
        Client()
        .get(f"/api/v1/rooms/{room.pk}/availability", {"from": day, "to": "2000-01-01"})
        .status_code
        == 422
    )
    _token, raw = api_token_create(user=user, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    payload = {
        "organization": organization.pk,
        "starts_at": at(12).isoformat(),
        "ends_at": at(13).isoformat(),
        "purpose": "Совет",
    }
    assert (
        api.post(
            f"/api/v1/rooms/{room.pk}/bookings", payload, content_type="application/json"
        ).status_code
        == 201
    )
    clash = api.post(f"/api/v1/rooms/{room.pk}/bookings", payload, content_type="application/json")
    assert clash.status_code == 422
    assert "starts_at" in clash.json()["errors"]
