from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_list_is_public_with_free_places_and_filters(client):
    full = ShiftFactory(capacity=1, event__title="Полная")
    RegistrationFactory(shift=full)
    open_shift = ShiftFactory(capacity=3, event__title="Свободная")
    open_shift.event.area_links.create(area="ecology")
    EventFactory(title="Черновик", status=Event.Status.DRAFT)
    data = client.get("/api/v1/events").json()
    assert {item["title"]: item["free_places"] for item in data["items"]} == {
        "Полная": 0,
        "Свободная": 3,
    }
    free = client.get("/api/v1/events", {"has_free_places": "true"}).json()
    assert [item["title"] for item in free["items"]] == ["Свободная"]
    by_area = client.get("/api/v1/events", {"area": "ecology"}).json()
    assert [item["title"] for item in by_area["items"]] == ["Свободная"]


@pytest.mark.parametrize("count", [1, 15])
def test_list_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for _ in range(count):
        shift = ShiftFactory()
        RegistrationFactory(shift=shift)
        ShiftFactory(event=shift.event)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/events").status_code == 200


def test_detail_shows_shifts_with_free_places(client):
    shift = ShiftFactory(capacity=4)
    RegistrationFactory(shift=shift)
    data = client.get(f"/api/v1/events/{shift.event_id}").json()
    assert data["shifts"][0]["free_places"] == 3
    assert data["free_places"] == 3


def test_a_draft_is_hidden_from_the_public(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


def test_organisation_editor_creates_and_publishes_an_event_with_shifts(resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    start = timezone.now() + timedelta(days=5)
    payload = {
        "organization": organization.pk,
        "kind": "volunteer_action",
        "title": "Бабушкина школа",
        "areas": ["elderly"],
        "shifts": [
            {
                "title": "Наставник",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
                "capacity": 5,
            }
        ],
        "publish": True,
    }
    refused = bearer(outsider).post("/api/v1/events", payload, content_type="application/json")
    assert refused.status_code == 403
    response = bearer(resident).post("/api/v1/events", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published"
    assert body["shifts"][0]["capacity"] == 5
    shift = bearer(resident).post(
        f"/api/v1/events/{body['id']}/shifts",
        {
            "title": "Ещё",
            "starts_at": start.isoformat(),
            "ends_at": start.isoformat(),
            "capacity": 1,
        },
        content_type="application/json",
    )
    assert shift.status_code == 422
    assert "ends_at" in shift.json()["errors"]


def test_signup_through_the_api_and_refusals_with_reasons():
    shift = ShiftFactory(capacity=1)
    person = volunteer()
    api = bearer(person)
    response = api.post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    again = api.post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type="application/json"
    )
    assert again.status_code == 409
    assert "уже записаны" in again.json()["message"]
    other = bearer(volunteer()).post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type="application/json"
    )
    assert other.json()["status"] == "waitlisted"
    registration_id = response.json()["id"]
    cancelled = api.post(f"/api/v1/registrations/{registration_id}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_signup_needs_authentication(client):
    shift = ShiftFactory()
    response = client.post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type="application/json"
    )
    assert response.status_code == 401


def test_bad_signup_input_is_422(client):
    shift = ShiftFactory()
    response = bearer(volunteer()).post(
        f"/api/v1/shifts/{shift.pk}/registrations", {"seats": 0}, content_type="application/json"
    )
    assert response.status_code == 422


def test_check_in_and_out_only_by_the_organiser(resident, freeze_now):
    registration = RegistrationFactory()
    freeze_now(registration.shift.starts_at)
    MembershipFactory(
        organization=registration.shift.event.organization,
        user=resident,
        role=Membership.Role.OWNER,
    )
    stranger = bearer(volunteer())
    assert stranger.post(f"/api/v1/registrations/{registration.pk}/check-in").status_code == 403
    api = bearer(resident)
    assert api.post(f"/api/v1/registrations/{registration.pk}/check-in").json()["checked_in_at"]
    freeze_now(registration.shift.starts_at + timedelta(minutes=15))
    out = api.post(f"/api/v1/registrations/{registration.pk}/check-out")
    assert out.status_code == 200
    assert out.json()["checked_out_at"]
    mine = bearer(registration.user)
    assert mine.get("/api/v1/me/hours/summary").json()["pending_total"] == "0.25"
    assert mine.get("/api/v1/me/hours").json()["items"][0]["status"] == "pending"


def test_openapi_lists_the_volunteering_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{pk}",
        "/api/v1/events/{pk}/shifts",
        "/api/v1/shifts/{pk}/registrations",
        "/api/v1/registrations/{pk}/cancel",
        "/api/v1/registrations/{pk}/check-in",
        "/api/v1/registrations/{pk}/check-out",
        "/api/v1/me/hours",
    ):
        assert path in paths, path
