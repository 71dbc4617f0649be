import pytest
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


PAYLOAD = {
    "category": "transport",
    "summary": "Отвезти на процедуру в больницу",
    "details": "Туда и обратно, ждать час",
    "recipient_name": "Пётр Ильич",
    "recipient_phone": "+7 913 000 11 22",
    "asap": True,
    "health_info": "Передвигается с тростью",
    "health_consent": True,
}


def test_the_whole_path_through_the_api_with_fields_by_role(resident, coordinator, outsider):
    created = bearer(resident).post(
        "/api/v1/help-requests", PAYLOAD, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["private"]["recipient_phone"] == "+79130001122"
    assert body["health_info"] is None  # the requester does not get health data back
    pk = body["id"]
    assert bearer(outsider).get(f"/api/v1/help-requests/{pk}").status_code == 404
    staff = bearer(coordinator)
    assert (
        staff.post(
            f"/api/v1/help-requests/{pk}/transition",
            {"to": "done"},
            content_type="application/json",
        ).status_code
        == 409
    )
    assert (
        staff.post(
            f"/api/v1/help-requests/{pk}/transition",
            {"to": "verified"},
            content_type="application/json",
        ).json()["status"]
        == "verified"
    )
    helper = volunteer()
    offers = staff.post(
        f"/api/v1/help-requests/{pk}/offers",
        {"volunteers": [helper.pk]},
        content_type="application/json",
    )
    assert offers.status_code == 201
    public_view = bearer(helper).get(f"/api/v1/help-requests/{pk}").json()
    assert public_view["private"] is None
    accepted = bearer(helper).post(f"/api/v1/offers/{offers.json()[0]['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    full = bearer(helper).get(f"/api/v1/help-requests/{pk}").json()
    assert full["health_info"] == "Передвигается с тростью"
    assert AuditEntry.objects.filter(action="helprequest.health_read", actor=helper).count() == 1


def test_health_data_without_consent_is_refused(resident):
    response = bearer(resident).post(
        "/api/v1/help-requests",
        {**PAYLOAD, "health_consent": False},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "health_consent" in response.json()["errors"]
    assert not HelpRequest.objects.exists()


def test_public_endpoints(client):
    HelpRequestFactory(status=HelpRequest.Status.MATCHING, summary="Помочь с покупками")
    data = client.get("/api/v1/help-requests/public").json()
    assert [item["summary"] for item in data["items"]] == ["Помочь с покупками"]
    assert "recipient_name" not in data["items"][0]
    ProgrammeFactory(name="Социальное такси")
    assert client.get("/api/v1/programmes").json()["items"][0]["name"] == "Социальное такси"
    assert (
        Client().post("/api/v1/help-requests", PAYLOAD, content_type="application/json").status_code
        == 401
    )


def test_candidates_api_is_for_coordinators(coordinator, resident):
    from dobry.volunteering.models import VolunteerProfile

    helper = volunteer()
    VolunteerProfile.objects.filter(user=helper).update(skills="вожу машину")
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert bearer(resident).get(f"/api/v1/help-requests/{request.pk}/candidates").status_code == 403
    data = bearer(coordinator).get(f"/api/v1/help-requests/{request.pk}/candidates").json()
    assert data[0]["volunteer_id"] == helper.pk
    assert any("навыки" in reason for reason in data[0]["reasons"])
