import pytest
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import written_consent
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_hours_ago,
    offerable_volunteer,
)
from dobry.organizations.tests.factories import MembershipFactory

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
    written_consent(resident)
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
            {"to": "matching"},
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
    helper = offerable_volunteer()
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
    assert bearer(helper).get(f"/api/v1/help-requests/{pk}").json()["health_info"] is None
    full = bearer(helper).post(f"/api/v1/help-requests/{pk}/private").json()
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

    helper = offerable_volunteer()
    VolunteerProfile.objects.filter(user=helper).update(skills="вожу машину")
    request = HelpRequestFactory(category="delivery", status=HelpRequest.Status.VERIFIED)
    assert bearer(resident).get(f"/api/v1/help-requests/{request.pk}/candidates").status_code == 403
    data = bearer(coordinator).get(f"/api/v1/help-requests/{request.pk}/candidates").json()
    assert data[0]["volunteer_id"] == helper.pk
    assert any("навыки" in reason for reason in data[0]["reasons"])


def _assigned_request(coordinator, requester):
    from dobry.helprequests.services import offering

    request = HelpRequestFactory(status="verified", requester=requester)
    helper = offerable_volunteer()
    [offer] = offering.offer_make(actor=coordinator, help_request=request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    accepted_hours_ago(request)
    return request, helper


def test_report_complete_feedback_and_invite_through_the_api(coordinator, resident, outsider):
    from dobry.communications.models import Notification
    from dobry.volunteering.models import HoursEntry

    request, helper = _assigned_request(coordinator, resident)
    url = f"/api/v1/help-requests/{request.pk}"
    bad = bearer(helper).post(
        f"{url}/report", {"text": "Сделано", "hours": 30}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert (
        bearer(outsider)
        .post(f"{url}/report", {"text": "Я", "hours": 1}, content_type="application/json")
        .status_code
        == 404
    )
    report = bearer(helper).post(
        f"{url}/report",
        {"text": "Привёз продукты", "hours": "1.5"},
        content_type="application/json",
    )
    assert report.status_code == 201, report.content
    assert report.json()["hours"] == "1.50"
    assert bearer(helper).post(f"{url}/complete").status_code == 403
    refused = bearer(coordinator).post(f"{url}/complete")
    assert refused.status_code == 422  # nobody to confirm the hours: nothing is lost
    assert "подтвердить" in refused.json()["message"]
    MembershipFactory(user=coordinator, role="editor")
    done = bearer(coordinator).post(f"{url}/complete")
    assert done.json()["status"] == "done"
    entry = HoursEntry.objects.filter(user=helper, status="confirmed").first()
    assert entry is not None
    assert str(entry.hours) == "1.50"
    assert (
        bearer(outsider)
        .post(f"{url}/feedback", {"rating": 5}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        bearer(resident)
        .post(f"{url}/feedback", {"rating": 9}, content_type="application/json")
        .status_code
        == 422
    )
    rated = bearer(resident).post(
        f"{url}/feedback", {"rating": 5, "feedback": "Спасибо"}, content_type="application/json"
    )
    assert rated.status_code == 200
    request.refresh_from_db()
    assert (request.rating, request.feedback) == (5, "Спасибо")
    assert bearer(resident).post(f"{url}/invite").status_code == 403
    assert bearer(coordinator).post(f"{url}/invite").status_code == 204
    assert bearer(coordinator).post(f"{url}/invite").status_code == 422
    assert Notification.objects.filter(user=resident, kind="help_volunteer_invite").count() == 1


def test_coordinators_patch_only_the_fields_sent(coordinator, resident):
    request = HelpRequestFactory(status="verified", requester=resident, volunteers_needed=1)
    url = f"/api/v1/help-requests/{request.pk}"
    payload = {"volunteers_needed": 2, "details": "Уточнили: нужны двое"}
    assert bearer(resident).patch(url, payload, content_type="application/json").status_code == 403
    changed = bearer(coordinator).patch(url, payload, content_type="application/json")
    assert changed.status_code == 200, changed.content
    # the coordinator's reading of the recipient's data is a step of its own (audited)
    assert changed.json()["private"] is None
    revealed = bearer(coordinator).post(f"{url}/private")
    assert revealed.json()["private"]["volunteers_needed"] == 2
    request.refresh_from_db()
    assert request.details == "Уточнили: нужны двое"
    assert request.recipient_name == "Мария Ивановна"  # untouched
    leak = bearer(coordinator).patch(
        url, {"summary": "Мария Ивановна просит помочь"}, content_type="application/json"
    )
    assert leak.status_code == 422
    assert "summary" in leak.json()["errors"]
    unknown = bearer(coordinator).patch(
        url, {"district": "nowhere"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    request.refresh_from_db()
    assert request.summary != "Мария Ивановна просит помочь"


@pytest.mark.parametrize("field", ["summary", "recipient_phone", "asap", "category"])
def test_patch_refuses_null_for_fields_that_cannot_be_empty(coordinator, field):
    request = HelpRequestFactory(status="verified")
    before = getattr(request, field)
    response = bearer(coordinator).patch(
        f"/api/v1/help-requests/{request.pk}", {field: None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    request.refresh_from_db()
    assert getattr(request, field) == before


def test_patch_clears_the_district_with_null(coordinator):
    from dobry.core.models import District

    district = District.objects.create(name="Северный", slug="north", position=1)
    request = HelpRequestFactory(status="verified", district=district)
    response = bearer(coordinator).patch(
        f"/api/v1/help-requests/{request.pk}", {"district": None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    request.refresh_from_db()
    assert request.district is None
