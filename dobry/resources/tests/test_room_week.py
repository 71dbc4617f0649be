"""A room's week is Monday to Sunday on the city's clock: late on a Sunday in the city the
calendar shows the week that ends that Sunday, and from 00:00 on Monday the new one —
whatever time zone is active on the thread (UTC still says Sunday until 07:00 Monday).
The API's busy times and the other week and day computations follow the same clock."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dobry.core.clock import city_zone, local_moment, week_start
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 11, 29)
SUNDAY_2330 = datetime(2026, 11, 29, 23, 30, tzinfo=city_zone())
MONDAY_0030 = datetime(2026, 11, 30, 0, 30, tzinfo=city_zone())


@pytest.fixture
def utc_active():
    """Someone's request left another zone active on the thread: rules must not follow it."""
    timezone.activate(ZoneInfo("UTC"))
    yield
    timezone.deactivate()


def _book(room, day, start_hour, end_hour):
    return RoomBooking.objects.create(
        room=room,
        organization=OrganizationFactory(short_name=f"Бронь {day:%d.%m} {start_hour}"),
        starts_at=local_moment(day, datetime.min.time().replace(hour=start_hour)),
        ends_at=local_moment(day, datetime.min.time().replace(hour=end_hour)),
        purpose="Собрание",
        status=RoomBooking.Status.CONFIRMED,
    )


def _week(client, room, **query):
    response = client.get(f"/desk/rooms/{room.pk}/", query)
    assert response.status_code == 200
    return response.context


def test_week_start_is_the_monday_of_the_week_that_holds_the_day():
    assert SUNDAY.weekday() == 6
    assert week_start(SUNDAY) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 30)) == date(2026, 11, 30)
    assert week_start(date(2026, 11, 25)) == date(2026, 11, 23)


@pytest.mark.usefixtures("utc_active")
def test_at_sunday_2330_local_the_calendar_shows_the_week_ending_that_sunday(client, freeze_now):
    freeze_now(SUNDAY_2330)
    room = RoomFactory(opens_at=datetime.min.time(), closes_at=datetime.max.time())
    _book(room, SUNDAY, 21, 23)
    context = _week(client, room)
    days = [day["date"] for day in context["days"]]
    assert days == [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    assert [b.organization.short_name for b in context["days"][6]["bookings"]] == ["Бронь 29.11 21"]
    assert context["previous_week"] == "2026-11-16"
    assert context["next_week"] == "2026-11-30"


@pytest.mark.usefixtures("utc_active")
def test_at_monday_0030_local_the_calendar_shows_the_new_week(client, freeze_now):
    freeze_now(MONDAY_0030)  # 17:30 UTC on Sunday
    room = RoomFactory(opens_at=datetime.min.time(), closes_at=datetime.max.time())
    early = _book(room, date(2026, 11, 30), 0, 6)  # Sunday in UTC
    _book(room, SUNDAY, 20, 22)  # last week's
    context = _week(client, room)
    assert context["days"][0]["date"] == date(2026, 11, 30)
    assert [b.pk for b in context["days"][0]["bookings"]] == [early.pk]
    assert all(b.pk == early.pk for day in context["days"] for b in day["bookings"])


def test_a_sunday_given_as_the_week_shows_its_own_week(client):
    room = RoomFactory()
    assert _week(client, room, week="2026-11-29")["days"][0]["date"] == date(2026, 11, 23)


@pytest.mark.usefixtures("utc_active")
def test_the_api_busy_times_cover_the_citys_whole_days(client, freeze_now):
    freeze_now(MONDAY_0030)
    room = RoomFactory(opens_at=datetime.min.time(), closes_at=datetime.max.time())
    early = _book(room, date(2026, 11, 30), 0, 6)
    late = _book(room, date(2026, 12, 1), 22, 23)
    _book(room, SUNDAY, 20, 22)
    response = client.get(
        f"/api/v1/rooms/{room.pk}/availability", {"from": "2026-11-30", "to": "2026-12-01"}
    )
    assert response.status_code == 200
    busy = [datetime.fromisoformat(item["starts_at"]) for item in response.json()["busy"]]
    assert busy == [early.starts_at, late.starts_at]


@pytest.mark.usefixtures("utc_active")
def test_a_booking_form_time_is_the_citys_wall_clock(login_as, resident, freeze_now):
    from dobry.organizations.tests.factories import MembershipFactory

    freeze_now(SUNDAY_2330)
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    room = RoomFactory()
    response = login_as(resident).post(
        f"/desk/rooms/{room.pk}/",
        {
            "organization": organization.pk,
            "day": "2026-12-01",
            "start": "10:00",
            "end": "12:00",
            "purpose": "Собрание",
            "attendees": 5,
        },
    )
    assert response.status_code == 302
    booking = RoomBooking.objects.get()
    assert booking.starts_at == datetime(2026, 12, 1, 10, tzinfo=city_zone())
