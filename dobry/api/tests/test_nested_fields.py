"""Output fields read through a relation (`nested("district.slug")`, `dobry.api.fields`) come
out with the related object's value — in an answer built from the object and in one built
from another schema's dict — and null without it: one test per schema that has such a field."""

import json

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.models import District
from dobry.events.tests.factories import ShiftFactory
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import library
from dobry.resources.models import LibraryCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return District.objects.create(name="Центральный", slug="centre")


def test_a_help_request_names_its_district_when_created_and_read(resident, centre):
    client = bearer(resident)
    body = {
        "category": "delivery",
        "summary": "Привезти продукты",
        "details": "Хлеб и молоко",
        "district": "centre",
        "recipient_name": "Мария Ивановна",
        "asap": True,
    }
    created = client.post("/api/v1/help-requests", json.dumps(body), "application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["district"] == "centre"
    read = client.get(f"/api/v1/help-requests/{created.json()['id']}")
    assert read.json()["district"] == "centre"


def test_a_help_request_without_a_district_says_null(resident):
    help_request = HelpRequestFactory(requester=resident)
    assert (
        bearer(resident).get(f"/api/v1/help-requests/{help_request.pk}").json()["district"] is None
    )


def test_public_requests_and_the_queue_name_the_district(coordinator, centre):
    HelpRequestFactory(district=centre, status=HelpRequest.Status.VERIFIED)
    public = bearer(coordinator).get("/api/v1/help-requests/public").json()
    assert [item["district"] for item in public["items"]] == ["centre"]
    queue = bearer(coordinator).get("/api/v1/help-requests/queue").json()
    assert [item["district"] for item in queue["items"]] == ["centre"]


def test_an_event_names_its_district(resident, centre):
    event = ShiftFactory(event__district=centre).event
    assert bearer(resident).get(f"/api/v1/events/{event.pk}").json()["district"] == "centre"
    listed = bearer(resident).get("/api/v1/events").json()["items"]
    assert [item["district"] for item in listed] == ["centre"]


def test_an_organisation_names_its_district(resident, centre):
    organization = OrganizationFactory(district=centre)
    client = bearer(resident)
    assert client.get(f"/api/v1/organizations/{organization.pk}").json()["district"] == "centre"
    assert [item["district"] for item in client.get("/api/v1/organizations").json()["items"]] == [
        "centre"
    ]


def test_a_library_item_names_its_section(coordinator):
    reports = LibraryCategory.objects.create(name="Отчётность", slug="reports")
    library.library_item_create(
        actor=coordinator, title="Форма ОН0001", kind="template", category=reports
    )
    library.library_item_create(actor=coordinator, title="Как писать заявку", kind="guide")
    items = bearer(coordinator).get("/api/v1/library").json()["items"]
    assert sorted((item["title"], item["category"]) for item in items) == [
        ("Как писать заявку", None),
        ("Форма ОН0001", "Отчётность"),
    ]
