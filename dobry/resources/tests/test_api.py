import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db


def test_the_whole_consultation_through_the_api(resident, coordinator):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    asker, consultant = bearer(resident), bearer(coordinator)
    created = asker.post(
        "/api/v1/consultations",
        {
            "topic": "procurement",
            "subject": "44-ФЗ",
            "text": "Как участвовать?",
            "organization": organization.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        asker.post(
            f"/api/v1/consultations/{pk}/close", {"summary": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    reply = consultant.post(
        f"/api/v1/consultations/{pk}/messages",
        {"text": "Через ЕИС"},
        content_type="application/json",
    )
    assert reply.status_code == 201
    closed = consultant.post(
        f"/api/v1/consultations/{pk}/close",
        {"summary": "Объяснили"},
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    rated = asker.post(
        f"/api/v1/consultations/{pk}/rate", {"rating": 4}, content_type="application/json"
    )
    assert rated.json()["rating"] == 4
    records = consultant.get("/api/v1/support-records", {"organization": organization.pk}).json()
    assert records["count"] == 1
    assert records["items"][0]["kind"] == "consulting"


def test_support_registry_api_is_for_staff(resident, coordinator, official):
    organization = OrganizationFactory()
    payload = {
        "organization": organization.pk,
        "kind": "property",
        "date": "2026-10-01",
        "description": "Зал",
    }
    assert bearer(resident).get("/api/v1/support-records").status_code == 403
    assert (
        bearer(official)
        .post("/api/v1/support-records", payload, content_type="application/json")
        .status_code
        == 403
    )
    created = bearer(coordinator).post(
        "/api/v1/support-records", payload, content_type="application/json"
    )
    assert created.status_code == 201
    assert (
        bearer(official).get("/api/v1/support-records", {"kind": "property"}).json()["count"] == 1
    )
    bad = bearer(coordinator).post(
        "/api/v1/support-records", {**payload, "kind": "magic"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert SupportRecord.objects.count() == 1


def test_strangers_cannot_read_a_consultation(resident, outsider):
    created = bearer(resident).post(
        "/api/v1/consultations",
        {"topic": "legal", "subject": "x", "text": "y"},
        content_type="application/json",
    )
    assert bearer(outsider).get(f"/api/v1/consultations/{created.json()['id']}").status_code == 404
    assert (
        Client().post("/api/v1/consultations", {}, content_type="application/json").status_code
        == 401
    )
