"""A shift someone can work: it starts now or later, ends after it starts and lasts at most
24 hours (an event over several days is several shifts). One rule in the service, so the
page and the API refuse the same, each at its field."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.events.models import Shift
from dobry.events.services.events import (
    MAX_SHIFT_LENGTH,
    event_repeat,
    shift_create,
    shift_update,
)
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=city_zone())


@pytest.fixture
def organiser(freeze_now, resident):
    freeze_now(NOW)
    return resident


@pytest.fixture
def event(organiser):
    published = EventFactory(title="Чистый берег")
    MembershipFactory(
        user=organiser, organization=published.organization, role=Membership.Role.EDITOR
    )
    return published


def post_shift(user, event, starts_at, ends_at):
    return bearer(user).post(
        f"/api/v1/events/{event.pk}/shifts",
        {
            "title": "Уборка",
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "capacity": 5,
        },
        content_type="application/json",
    )


def test_the_api_refuses_a_shift_in_2000(organiser, event):
    start = datetime(2000, 6, 1, 10, tzinfo=city_zone())
    response = post_shift(organiser, event, start, start + timedelta(hours=3))
    assert response.status_code == 422
    assert response.json()["errors"]["starts_at"] == ["Смена не может начинаться в прошлом."]
    assert not Shift.objects.filter(event=event).exists()


def test_the_api_refuses_a_shift_lasting_ten_years(organiser, event):
    start = NOW + timedelta(days=1)
    response = post_shift(organiser, event, start, start.replace(year=2036))
    assert response.status_code == 422
    assert "24 часов" in response.json()["errors"]["ends_at"][0]
    assert not Shift.objects.filter(event=event).exists()


def test_the_api_refuses_a_shift_that_ends_before_it_starts(organiser, event):
    start = NOW + timedelta(days=1)
    response = post_shift(organiser, event, start, start - timedelta(hours=1))
    assert response.status_code == 422
    assert response.json()["errors"]["ends_at"] == [
        "Смена должна заканчиваться позже, чем начинается."
    ]


def test_a_shift_of_exactly_24_hours_and_an_overnight_shift_are_accepted(organiser, event):
    start = NOW + timedelta(days=1)
    assert post_shift(organiser, event, start, start + MAX_SHIFT_LENGTH).status_code == 201
    night = datetime(2026, 12, 5, 22, tzinfo=city_zone())
    assert post_shift(organiser, event, night, night + timedelta(hours=9)).status_code == 201
    too_long = post_shift(organiser, event, start, start + MAX_SHIFT_LENGTH + timedelta(minutes=1))
    assert too_long.status_code == 422


def test_a_several_day_event_is_several_shifts_and_spans_them(organiser, event):
    first = datetime(2026, 12, 31, 22, tzinfo=city_zone())
    for day in range(3):
        start = first + timedelta(days=day)
        assert post_shift(organiser, event, start, start + timedelta(hours=8)).status_code == 201
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (first, first + timedelta(days=2, hours=8))


def test_a_shift_starting_now_is_accepted(organiser, event):
    assert post_shift(organiser, event, NOW, NOW + timedelta(hours=2)).status_code == 201


def test_the_page_refuses_a_past_shift_at_its_field(organiser, event, login_as):
    response = login_as(organiser).post(
        f"/events/{event.pk}/shifts/new/",
        {
            "title": "Уборка",
            "starts_at": "2000-06-01T10:00",
            "ends_at": "2000-06-01T13:00",
            "capacity": "5",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == ["Смена не может начинаться в прошлом."]
    assert "Смена не может начинаться в прошлом." in response.content.decode()
    assert not Shift.objects.filter(event=event).exists()


def test_the_page_refuses_a_shift_over_24_hours_at_its_field(organiser, event, login_as):
    response = login_as(organiser).post(
        f"/events/{event.pk}/shifts/new/",
        {
            "title": "Уборка",
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2036-12-01T10:00",
            "capacity": "5",
        },
    )
    assert response.status_code == 200
    assert "24 часов" in response.context["form"].errors["ends_at"][0]
    assert not Shift.objects.filter(event=event).exists()


def test_the_page_refuses_moving_a_shift_into_the_past(organiser, event, login_as):
    shift = ShiftFactory(event=event)
    response = login_as(organiser).post(
        f"/events/shifts/{shift.pk}/edit/",
        {
            "title": shift.title,
            "starts_at": "2026-11-28T10:00",
            "ends_at": "2026-11-28T13:00",
            "capacity": "10",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == ["Смена не может начинаться в прошлом."]
    shift.refresh_from_db()
    assert shift.starts_at > NOW


def test_moving_a_shift_is_checked_like_a_new_one(organiser, event):
    shift = ShiftFactory(event=event)
    with pytest.raises(ValidationError) as refused:
        shift_update(actor=organiser, shift=shift, fields={"starts_at": NOW - timedelta(days=1)})
    assert "starts_at" in refused.value.message_dict
    shift.refresh_from_db()
    with pytest.raises(ValidationError) as too_long:
        shift_update(
            actor=organiser, shift=shift, fields={"ends_at": shift.starts_at + timedelta(days=2)}
        )
    assert "ends_at" in too_long.value.message_dict


def test_a_started_shift_can_still_be_renamed_or_given_more_places(organiser, event):
    shift = ShiftFactory(event=event, starts_at=NOW - timedelta(hours=1))
    shift_update(actor=organiser, shift=shift, fields={"title": "Уборка и вывоз", "capacity": 12})
    shift.refresh_from_db()
    assert (shift.title, shift.capacity) == ("Уборка и вывоз", 12)


def test_the_service_refuses_every_past_start(organiser, event):
    with pytest.raises(ValidationError) as refused:
        shift_create(
            actor=organiser,
            event=event,
            fields={
                "title": "Вчера",
                "starts_at": NOW - timedelta(minutes=1),
                "ends_at": NOW + timedelta(hours=1),
                "capacity": 3,
            },
        )
    assert refused.value.message_dict["starts_at"] == ["Смена не может начинаться в прошлом."]


def test_repeating_a_past_event_into_the_past_is_refused(organiser, event):
    ShiftFactory(event=event, starts_at=NOW - timedelta(days=60))
    with pytest.raises(DomainError) as refused:
        event_repeat(actor=organiser, event=event, frequency="weekly", count=3)
    assert "frequency" in refused.value.field_errors
    assert Shift.objects.count() == 1
