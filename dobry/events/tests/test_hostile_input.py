"""Issue 11 §2 examples in events: each bad value is a clear 4xx naming the field."""

import pytest
from django.test import Client

from dobry.events.models import Registration, Shift
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", ["²", "٣", "1" * 30])
def test_signing_up_for_an_organisation_given_in_odd_digits_is_a_400(value):
    shift = ShiftFactory(event=EventFactory())
    response = _login(volunteer()).post(f"/events/shifts/{shift.pk}/signup/", {"represents": value})
    assert response.status_code == 400
    assert "«represents»" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "1" * 30])
def test_marking_attendance_of_a_registration_in_odd_digits_is_a_400(value):
    registration = RegistrationFactory()
    shift = registration.shift
    organiser = MembershipFactory(
        organization=shift.event.organization, role=Membership.Role.OWNER
    ).user
    response = _login(organiser).post(f"/events/shifts/{shift.pk}/bulk/", {"registration": value})
    assert response.status_code == 400
    assert "«registration»" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_api_event_list_refuses_a_from_date_at_the_edges_of_time(client, day):
    response = client.get("/api/v1/events", {"from": day})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["query.from"]


def test_the_api_event_list_refuses_a_huge_page(client):
    response = client.get("/api/v1/events", {"page": "99999999999999999999999"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["query.page"]


def test_the_api_event_list_past_its_last_page_is_empty(client):
    response = client.get("/api/v1/events", {"page": "1000000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_shift_starting_on_9999_12_31_is_refused_by_the_api():
    event = EventFactory()
    organiser = MembershipFactory(organization=event.organization, role=Membership.Role.OWNER).user
    response = _login(organiser).post(
        f"/api/v1/events/{event.pk}/shifts",
        {
            "title": "Смена",
            "starts_at": "9999-12-31T10:00:00",
            "ends_at": "9999-12-31T12:00:00",
            "capacity": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"starts_at", "ends_at"}
    assert not Shift.objects.filter(event=event).exists()
