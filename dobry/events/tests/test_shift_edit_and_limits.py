"""A started shift stays editable (issue 11): «not in the past» applies only when the start
moves, so the organiser can fix the title, the places or a later end — even of a shift
whose start was stored with seconds (sent by the API) and comes back from the page to the
minute. The numbers people type have one limit for the page and the API: a shift's places
(the page took 1 000 000, the API at most 100 000) and the cancellation deadline."""

from datetime import datetime, timedelta

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.events.models import MAX_CANCELLATION_DEADLINE_HOURS, MAX_SHIFT_CAPACITY, Shift
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=city_zone())
START = datetime(2026, 11, 29, 10, 0, 30, tzinfo=city_zone())  # begun, with seconds


@pytest.fixture
def organiser(freeze_now, resident):
    freeze_now(NOW)
    return resident


@pytest.fixture
def shift(organiser):
    event = EventFactory(title="Чистый берег")
    MembershipFactory(user=organiser, organization=event.organization, role=Membership.Role.EDITOR)
    return ShiftFactory(event=event, starts_at=START, ends_at=START + timedelta(hours=4))


def form(**changes):
    return {
        "title": "Уборка",
        "tasks": "",
        "starts_at": "2026-11-29T10:00",
        "ends_at": "2026-11-29T14:00",
        "capacity": "10",
        "min_age": "",
        **changes,
    }


def test_the_issues_example_a_started_shift_is_edited_with_its_start_unchanged(
    shift, organiser, login_as
):
    response = login_as(organiser).post(
        f"/events/shifts/{shift.pk}/edit/", form(title="Уборка берега", capacity="12")
    )
    assert response.status_code == 302, response.context["form"].errors
    shift.refresh_from_db()
    assert (shift.title, shift.capacity, shift.starts_at) == ("Уборка берега", 12, START)


def test_a_started_shift_may_end_later(shift, organiser, login_as):
    response = login_as(organiser).post(
        f"/events/shifts/{shift.pk}/edit/", form(ends_at="2026-11-29T16:00")
    )
    assert response.status_code == 302
    assert Shift.objects.get().ends_at == datetime(2026, 11, 29, 16, 0, tzinfo=city_zone())


def test_moving_the_start_into_the_past_is_still_refused(shift, organiser, login_as):
    response = login_as(organiser).post(
        f"/events/shifts/{shift.pk}/edit/", form(starts_at="2026-11-29T09:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == ["Смена не может начинаться в прошлом."]
    assert Shift.objects.get().starts_at == START


def test_places_over_the_limit_are_refused_on_the_page_as_by_the_api(shift, organiser, login_as):
    assert MAX_SHIFT_CAPACITY == 100_000
    page = login_as(organiser).post(f"/events/shifts/{shift.pk}/edit/", form(capacity="1000000"))
    assert page.status_code == 200
    assert page.context["form"].errors["capacity"] == [
        "Убедитесь, что это значение меньше либо равно 100000."
    ]
    assert 'max="100000"' in page.content.decode()
    assert Shift.objects.get().capacity == 10
    api = bearer(organiser).post(
        f"/api/v1/events/{shift.event_id}/shifts",
        {
            "title": "Ещё",
            "starts_at": "2026-12-01T10:00+07:00",
            "ends_at": "2026-12-01T12:00+07:00",
            "capacity": 1_000_000,
        },
        content_type="application/json",
    )
    assert api.status_code == 422
    assert "capacity" in api.json()["errors"]


def test_the_cancellation_deadline_has_the_apis_limit_on_the_page(shift, organiser, login_as):
    assert MAX_CANCELLATION_DEADLINE_HOURS == 720
    client = login_as(organiser)
    event = shift.event
    page = client.get(f"/events/{event.pk}/edit/")
    data = {
        field.name: field.value() or "" for field in page.context["form"] if field.name != "cover"
    }
    data.update(cancellation_deadline_hours="30000", areas=[])
    response = client.post(f"/events/{event.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["cancellation_deadline_hours"] == [
        "Убедитесь, что это значение меньше либо равно 720."
    ]
