"""Room pages and API operations as anonymous, outsider, member and staff; bad input is a clear
message at its field and nothing is booked or decided by it."""

from datetime import datetime

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import CITY_NOW, RoomFactory, city_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_city_now")]

B = RoomBooking.Status
NOW = CITY_NOW
local = city_moment
DAY = "2031-03-12"


@pytest.fixture
def room():
    return RoomFactory(name="Малый зал", capacity=20)


@pytest.fixture
def booking(resident, organization, room):
    return rooms.booking_request(
        user=resident,
        room=room,
        organization=organization,
        starts_at=local(2, 10),
        ends_at=local(2, 12),
        purpose="Собрание волонтёров",
    )


def form(organization, **changes) -> dict:
    return {
        "organization": organization.pk,
        "day": DAY,
        "start": "10:00",
        "end": "12:00",
        "purpose": "Собрание",
        "attendees": 10,
        **changes,
    }


# --- the list and a room's page -------------------------------------------------------------


def test_the_room_list_shows_only_bookable_rooms(client):
    RoomFactory(name="Большой зал")
    RoomFactory(name="Закрытый склад", is_active=False)
    body = client.get("/desk/rooms/").content.decode()
    assert "Большой зал" in body
    assert "Закрытый склад" not in body


@pytest.mark.parametrize("count", [1, 20])
def test_the_room_list_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    RoomFactory.create_batch(count)
    with django_assert_max_num_queries(3):
        assert client.get("/desk/rooms/").status_code == 200


def test_a_room_not_bookable_or_missing_has_no_page(client):
    closed = RoomFactory(is_active=False)
    assert client.get(f"/desk/rooms/{closed.pk}/").status_code == 404
    assert client.get("/desk/rooms/987654/").status_code == 404


def test_anonymous_cannot_book_through_the_page(client, room, organization):
    response = client.post(f"/desk/rooms/{room.pk}/", form(organization))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert not RoomBooking.objects.exists()


def test_the_booking_form_offers_only_ones_own_organisations(
    login_as, resident, organization, room
):
    OrganizationFactory(short_name="Чужая НКО")
    body = login_as(resident).get(f"/desk/rooms/{room.pk}/").content.decode()
    assert "Тёплый дом" in body
    assert "Чужая НКО" not in body


def test_booking_for_an_organisation_one_is_not_in_is_a_form_error(login_as, outsider, room):
    foreign = OrganizationFactory()
    response = login_as(outsider).post(f"/desk/rooms/{room.pk}/", form(foreign))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not RoomBooking.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": "09:00"}, "end", None),
        ({"start": "07:00"}, "start", "Помещение открыто с 08:00 до 22:00."),
        ({"attendees": 21}, "attendees", "В помещении не больше 20 человек."),
        ({"attendees": 0}, "attendees", None),
        ({"day": "2031-03-09"}, "start", "Нельзя забронировать время в прошлом."),
        ({"day": "2031-02-30"}, "day", None),
        ({"start": "25:00"}, "start", None),
        ({"purpose": ""}, "purpose", None),
    ],
)
def test_bad_booking_values_are_shown_and_the_input_kept(
    login_as, resident, organization, room, changes, field, message
):
    response = login_as(resident).post(
        f"/desk/rooms/{room.pk}/", {**form(organization, purpose="Совет НКО"), **changes}
    )
    assert response.status_code == 200
    booking_form = response.context["form"]
    assert field in booking_form.errors
    if message:
        assert message in booking_form.errors[field]
        assert message in response.content.decode()
    if changes.get("purpose") != "":
        assert 'value="Совет НКО"' in response.content.decode()
    assert not RoomBooking.objects.exists()


def test_a_booking_made_on_the_page_is_on_the_citys_clock(login_as, resident, organization, room):
    response = login_as(resident).post(
        f"/desk/rooms/{room.pk}/", form(organization, start="08:00", end="09:30")
    )
    assert response["Location"] == f"/desk/rooms/{room.pk}/?week={DAY}"
    booking = RoomBooking.objects.get()
    assert (booking.starts_at, booking.ends_at) == (local(2, 8), local(2, 9, 30))
    assert booking.starts_at.astimezone(city_zone()).hour == 8
    assert (booking.booked_by, booking.status, booking.attendees) == (resident, B.REQUESTED, 10)


@pytest.mark.parametrize("count", [1, 12])
def test_a_rooms_week_has_a_fixed_query_count(
    client, resident, organization, room, django_assert_max_num_queries, count
):
    for i in range(count):
        rooms.booking_request(
            user=resident,
            room=room,
            organization=organization,
            starts_at=local(1 + i % 5, 8 + i // 5 * 2),
            ends_at=local(1 + i % 5, 9 + i // 5 * 2),
            purpose="x",
        )
    with django_assert_max_num_queries(4):
        assert client.get(f"/desk/rooms/{room.pk}/").status_code == 200


# --- my bookings ----------------------------------------------------------------------------


def test_my_bookings_need_login_and_show_only_mine(client, login_as, booking, outsider):
    assert client.get("/desk/rooms/my/").status_code == 302
    assert "Малый зал" in login_as(booking.booked_by).get("/desk/rooms/my/").content.decode()
    assert "Малый зал" not in login_as(outsider).get("/desk/rooms/my/").content.decode()


def test_a_booking_that_has_begun_offers_no_cancel_button(login_as, resident, booking, freeze_now):
    cancel = f"/desk/rooms/bookings/{booking.pk}/cancel/"
    assert cancel in login_as(resident).get("/desk/rooms/my/").content.decode()
    freeze_now(local(2, 10, 30))
    assert cancel not in login_as(resident).get("/desk/rooms/my/").content.decode()
    response = login_as(resident).post(cancel, follow=True)
    assert "Бронь уже началась: отменить её нельзя." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED


@pytest.mark.parametrize("count", [1, 20])
def test_my_bookings_have_a_fixed_query_count(
    login_as, resident, organization, room, django_assert_max_num_queries, count
):
    for i in range(count):
        rooms.booking_request(
            user=resident,
            room=room,
            organization=organization,
            starts_at=local(1 + i, 10),
            ends_at=local(1 + i, 11),
            purpose="x",
        )
    client = login_as(resident)
    with django_assert_max_num_queries(6):
        assert client.get("/desk/rooms/my/").status_code == 200


def test_cancelling_twice_is_a_message(login_as, resident, booking):
    client = login_as(resident)
    first = client.post(f"/desk/rooms/bookings/{booking.pk}/cancel/", follow=True)
    assert "Бронь отменена." in first.content.decode()
    again = client.post(f"/desk/rooms/bookings/{booking.pk}/cancel/", follow=True)
    assert "Бронь уже не действует." in again.content.decode()


def test_cancel_is_post_only_and_needs_login(client, login_as, resident, booking):
    assert login_as(resident).get(f"/desk/rooms/bookings/{booking.pk}/cancel/").status_code == 405
    response = client.post(f"/desk/rooms/bookings/{booking.pk}/cancel/")
    assert response["Location"].startswith("/accounts/login/")
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED


# --- staff decisions ------------------------------------------------------------------------


def test_the_queue_lists_only_bookings_awaiting_a_decision(login_as, coordinator, booking):
    decided = rooms.booking_request(
        user=booking.booked_by,
        room=booking.room,
        organization=booking.organization,
        starts_at=local(3, 10),
        ends_at=local(3, 11),
        purpose="Уже решено",
    )
    rooms.booking_confirm(actor=coordinator, booking=decided)
    body = login_as(coordinator).get("/desk/rooms/bookings/").content.decode()
    assert "Собрание волонтёров" in body
    assert "Уже решено" not in body


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("resident", 403)])
def test_deciding_is_for_staff(request, login_as, booking, who, status):
    client = login_as(request.getfixturevalue(who))
    assert client.get("/desk/rooms/bookings/").status_code == status
    response = client.post(f"/desk/rooms/bookings/{booking.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == status
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED


def test_deciding_sends_anonymous_to_log_in(client, booking):
    response = client.post(f"/desk/rooms/bookings/{booking.pk}/decide/", {"decision": "confirm"})
    assert response["Location"].startswith("/accounts/login/")


def test_staff_decline_with_a_reason_and_are_told_when_it_is_missing(
    login_as, coordinator, booking
):
    client = login_as(coordinator)
    url = f"/desk/rooms/bookings/{booking.pk}/decide/"
    missing = client.post(url, {"decision": "decline", "reason": ""}, follow=True)
    assert "Объясните причину." in missing.content.decode()
    booking.refresh_from_db()
    assert booking.status == B.REQUESTED
    client.post(url, {"decision": "decline", "reason": "Зал на ремонте"})
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == (B.DECLINED, "Зал на ремонте")
    again = client.post(url, {"decision": "confirm"}, follow=True)
    assert "Бронь уже рассмотрена." in again.content.decode()
    booking.refresh_from_db()
    assert booking.status == B.DECLINED


def test_deciding_a_missing_booking_is_404(login_as, coordinator):
    response = login_as(coordinator).post("/desk/rooms/bookings/987654/decide/")
    assert response.status_code == 404


# --- the API --------------------------------------------------------------------------------


def payload(organization, **changes) -> dict:
    return {
        "organization": organization.pk,
        "starts_at": local(2, 14).isoformat(),
        "ends_at": local(2, 15).isoformat(),
        "purpose": "Совет",
        **changes,
    }


def test_booking_through_the_api_needs_credentials(room, organization):
    response = Client().post(
        f"/api/v1/rooms/{room.pk}/bookings", payload(organization), content_type="application/json"
    )
    assert response.status_code == 401
    assert not RoomBooking.objects.exists()


def test_the_api_reads_a_moment_without_an_offset_on_the_citys_clock(resident, organization, room):
    response = bearer(resident).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        payload(organization, starts_at="2031-03-12T08:00:00", ends_at="2031-03-12T09:00:00"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] == "2031-03-12T01:00:00Z"  # every answer in UTC
    assert RoomBooking.objects.get().starts_at == local(2, 8)


@pytest.mark.parametrize(
    ("who", "changes", "status", "field"),
    [
        ("outsider", {}, 422, "organization"),
        ("resident", {"attendees": 21}, 422, "attendees"),
        ("resident", {"attendees": 1001}, 422, "attendees"),
        ("resident", {"purpose": ""}, 422, "purpose"),
        ("resident", {"ends_at": "2031-03-12T13:00:00+07:00"}, 422, "ends_at"),
        ("resident", {"organization": 987654}, 404, None),
    ],
)
def test_the_api_refuses_bad_bookings_with_the_field_named(
    request, organization, room, who, changes, status, field
):
    response = bearer(request.getfixturevalue(who)).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        {**payload(organization), **changes},
        content_type="application/json",
    )
    assert response.status_code == status
    if field:
        assert field in response.json()["errors"]
    assert not RoomBooking.objects.exists()


def test_the_api_refuses_a_room_that_is_not_bookable(resident, organization):
    closed = RoomFactory(is_active=False)
    response = bearer(resident).post(
        f"/api/v1/rooms/{closed.pk}/bookings",
        payload(organization),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Это помещение сейчас не бронируется."
    missing = bearer(resident).post(
        "/api/v1/rooms/987654/bookings", payload(organization), content_type="application/json"
    )
    assert missing.status_code == 404


def test_availability_shows_held_times_in_order_without_declined_or_cancelled(
    client, resident, organization, room, coordinator
):
    def ask(hour):
        return rooms.booking_request(
            user=resident,
            room=room,
            organization=organization,
            starts_at=local(2, hour),
            ends_at=local(2, hour + 1),
            purpose="x",
        )

    late, early, declined, cancelled = ask(16), ask(9), ask(12), ask(14)
    rooms.booking_confirm(actor=coordinator, booking=late)
    rooms.booking_decline(actor=coordinator, booking=declined, reason="Нет")
    rooms.booking_cancel(user=resident, booking=cancelled)
    data = client.get(f"/api/v1/rooms/{room.pk}/availability", {"from": DAY, "to": DAY}).json()
    assert (data["opens_at"], data["closes_at"]) == ("08:00", "22:00")
    assert [(datetime.fromisoformat(b["starts_at"]), b["status"]) for b in data["busy"]] == [
        (local(2, 9), "requested"),
        (local(2, 16), "confirmed"),
    ]
    assert early.pk


def test_availability_of_a_day_is_that_day_on_the_citys_clock(client, resident, organization):
    """08:00 on the 12th in the city is 01:00 UTC: it belongs to the 12th, not the 11th."""
    room = RoomFactory()
    rooms.booking_request(
        user=resident,
        room=room,
        organization=organization,
        starts_at=local(2, 8),
        ends_at=local(2, 9),
        purpose="x",
    )
    url = f"/api/v1/rooms/{room.pk}/availability"
    assert len(client.get(url, {"from": DAY, "to": DAY}).json()["busy"]) == 1
    assert client.get(url, {"from": "2031-03-11", "to": "2031-03-11"}).json()["busy"] == []


@pytest.mark.parametrize(
    ("period", "status"),
    [
        ({"from": "2031-03-01", "to": "2031-05-02"}, 200),
        ({"from": "2031-03-01", "to": "2031-05-03"}, 422),
        ({"from": "2031-03-02", "to": "2031-03-01"}, 422),
        ({"from": "2031-03-01"}, 422),
    ],
)
def test_availability_is_asked_for_up_to_two_months(client, room, period, status):
    response = client.get(f"/api/v1/rooms/{room.pk}/availability", period)
    assert response.status_code == status


def test_availability_of_a_room_not_bookable_is_404(client):
    closed = RoomFactory(is_active=False)
    response = client.get(f"/api/v1/rooms/{closed.pk}/availability", {"from": DAY, "to": DAY})
    assert response.status_code == 404
