"""A room booking starts no further ahead than `DOBRY_ROOM_BOOKING_DAYS_AHEAD` city days
and lasts at least `DOBRY_ROOM_BOOKING_MIN_MINUTES` (attacker's finding of issue 11: years
ahead and one-minute bookings were taken). One rule (`rooms._check_times`) for the page and
the API; each refusal names its field."""

from datetime import date, datetime, time, timedelta

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 1)
JSON = "application/json"


@pytest.fixture(autouse=True)
def _morning(freeze_now, settings):
    settings.DOBRY_ROOM_BOOKING_DAYS_AHEAD = 180
    settings.DOBRY_ROOM_BOOKING_MIN_MINUTES = 30
    freeze_now(datetime.combine(TODAY, time(8, 0), tzinfo=city_zone()))


@pytest.fixture
def member(resident):
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident)
    return resident, organization


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=city_zone())


def book(member, room, starts_at, ends_at):
    user, organization = member
    return rooms.booking_request(
        user=user,
        room=room,
        organization=organization,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose="Собрание",
    )


def test_the_last_day_of_the_horizon_is_taken_the_next_is_refused_at_starts_at(member):
    room = RoomFactory()
    last = TODAY + timedelta(days=180)
    assert book(member, room, at(last, 10), at(last, 12)).starts_at == at(last, 10)
    later = last + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        book(member, room, at(later, 10), at(later, 12))
    assert refused.value.field_errors == {
        "starts_at": ["Бронировать можно не дальше чем на 180 дней вперёд: до 28 августа."]
    }
    assert RoomBooking.objects.count() == 1


def test_years_ahead_are_refused(member):
    with pytest.raises(DomainError) as refused:
        book(member, RoomFactory(), at(date(2030, 3, 1), 10), at(date(2030, 3, 1), 12))
    assert list(refused.value.field_errors) == ["starts_at"]
    assert not RoomBooking.objects.exists()


def test_the_horizon_follows_the_setting(member, settings):
    settings.DOBRY_ROOM_BOOKING_DAYS_AHEAD = 1
    room = RoomFactory()
    day = TODAY + timedelta(days=2)
    with pytest.raises(DomainError) as refused:
        book(member, room, at(day, 10), at(day, 12))
    assert refused.value.field_errors["starts_at"] == [
        "Бронировать можно не дальше чем на 1 день вперёд: до 2 марта."
    ]


@pytest.mark.parametrize("minutes", [1, 29])
def test_a_booking_shorter_than_the_minimum_is_refused_at_ends_at(member, minutes):
    day = TODAY + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        book(member, RoomFactory(), at(day, 10), at(day, 10, minutes))
    assert refused.value.field_errors == {
        "ends_at": ["Бронировать можно не меньше чем на 30 минут."]
    }
    assert not RoomBooking.objects.exists()


def test_the_minimum_itself_is_taken_and_follows_the_setting(member, settings):
    day = TODAY + timedelta(days=1)
    room = RoomFactory()
    assert book(member, room, at(day, 10), at(day, 10, 30)).ends_at == at(day, 10, 30)
    settings.DOBRY_ROOM_BOOKING_MIN_MINUTES = 61
    with pytest.raises(DomainError) as refused:
        book(member, room, at(day, 11), at(day, 12))
    assert refused.value.field_errors == {
        "ends_at": ["Бронировать можно не меньше чем на 61 минуту."]
    }


def _page_form(organization, day, start, end):
    return {
        "organization": organization.pk,
        "day": day.isoformat(),
        "start": start,
        "end": end,
        "purpose": "Собрание",
        "attendees": 5,
    }


def test_the_page_refuses_both_and_keeps_nothing(member, login_as):
    user, organization = member
    room = RoomFactory()
    client = login_as(user)
    far = client.post(
        f"/desk/rooms/{room.pk}/",
        _page_form(organization, TODAY + timedelta(days=400), "10:00", "12:00"),
    )
    assert far.status_code == 200
    assert "не дальше чем на 180 дней вперёд" in far.content.decode()
    short = client.post(
        f"/desk/rooms/{room.pk}/",
        _page_form(organization, TODAY + timedelta(days=1), "10:00", "10:01"),
    )
    assert short.status_code == 200
    assert "не меньше чем на 30 минут" in short.content.decode()
    assert not RoomBooking.objects.exists()


def test_the_api_answers_422_at_the_field_for_each(member):
    user, organization = member
    room = RoomFactory()
    api = bearer(user)
    url = f"/api/v1/rooms/{room.pk}/bookings"
    far_day = TODAY + timedelta(days=365 * 3)
    far = api.post(
        url,
        {
            "organization": organization.pk,
            "starts_at": at(far_day, 10).isoformat(),
            "ends_at": at(far_day, 12).isoformat(),
            "purpose": "Совет",
        },
        content_type=JSON,
    )
    assert far.status_code == 422
    assert "не дальше чем на 180 дней" in far.json()["errors"]["starts_at"][0]
    day = TODAY + timedelta(days=1)
    short = api.post(
        url,
        {
            "organization": organization.pk,
            "starts_at": at(day, 10).isoformat(),
            "ends_at": at(day, 10, 1).isoformat(),
            "purpose": "Совет",
        },
        content_type=JSON,
    )
    assert short.status_code == 422
    assert short.json()["errors"]["ends_at"] == ["Бронировать можно не меньше чем на 30 минут."]
    assert not RoomBooking.objects.exists()


def test_an_outsider_is_refused_at_the_organisation_before_the_times(outsider, member):
    _user, organization = member
    far_day = TODAY + timedelta(days=400)
    with pytest.raises(DomainError) as refused:
        rooms.booking_request(
            user=outsider,
            room=RoomFactory(),
            organization=organization,
            starts_at=at(far_day, 10),
            ends_at=at(far_day, 10, 1),
            purpose="x",
        )
    assert list(refused.value.field_errors) == ["organization"]
