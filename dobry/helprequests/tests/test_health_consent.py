"""The consent to processing the health information of a request (152-ФЗ art. 9 part 1,
art. 10): besides the requester's written consent, the explicit consent to this request's
information — the page's checkbox under the consent's text, the API's `health_consent` —
which the service requires whenever health information is given. Page and API alike: without
it, a clear error naming the field and nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from conftest import login
from dobry.accounts.models import ConsentDocument
from dobry.accounts.tests.factories import written_consent
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpRequest
from dobry.helprequests.services import submission

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "delivery",
    "summary": "Привезти продукты",
    "details": "Хлеб и молоко",
    "recipient_name": "Анна Жителева",
    "asap": True,
}
FORM = {**FIELDS, "asap": "on", "recurrence": "once", "volunteers_needed": 1, "relation": "self"}
PAYLOAD = {**FIELDS, "relation": "self"}
NOT_TICKED = "Отметьте согласие на обработку сведений о здоровье"


def _nothing_saved() -> bool:
    return not (
        HelpRequest.objects.exists()
        or HealthInfo.objects.exists()
        or AuditEntry.objects.filter(action="helprequest.submit").exists()
    )


def test_health_information_without_the_consent_to_it_is_refused(resident):
    written_consent(resident)
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(requester=resident, fields=FIELDS, health_info="Астма")
    assert list(refused.value.message_dict) == ["health_consent"]
    assert NOT_TICKED in refused.value.message_dict["health_consent"][0]
    assert _nothing_saved()


def test_the_written_consent_alone_or_the_tick_alone_is_not_enough(resident):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(
            requester=resident, fields=FIELDS, health_info="Астма", health_consent=True
        )
    assert "письменным согласием" in refused.value.message_dict["health_consent"][0]
    with pytest.raises(ValidationError) as neither:
        submission.request_submit(requester=resident, fields=FIELDS, health_info="Астма")
    assert len(neither.value.message_dict["health_consent"]) == 2  # both are said at once
    assert _nothing_saved()


def test_with_both_the_information_is_kept_with_the_version_of_the_text_agreed_to(resident):
    written_consent(resident)
    help_request = submission.request_submit(
        requester=resident, fields=FIELDS, health_info="Астма", health_consent=True
    )
    version = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA).version
    assert HealthInfo.objects.get(help_request=help_request).consent_version == version
    entry = AuditEntry.objects.get(action="helprequest.submit")
    assert entry.data["health_data"] is True
    assert entry.data["health_consent_version"] == version
    assert entry.data["health_consent_method"] == "paper"


def test_without_health_information_no_consent_is_asked(resident):
    help_request = submission.request_submit(requester=resident, fields=FIELDS)
    assert not help_request.has_health_info
    assert not HealthInfo.objects.exists()


# --- the page and the API: the same service, the same answer ------------------------------------


def test_the_page_refuses_health_information_without_the_tick_next_to_the_checkbox(resident):
    written_consent(resident)
    client = login(resident)
    page = client.get("/help/new/").content.decode()
    assert 'name="health_consent"' in page
    response = client.post("/help/new/", {**FORM, "health_info": "Плохо видит"})
    assert response.status_code == 200
    body = response.content.decode()
    assert NOT_TICKED in body
    assert "Плохо видит</textarea>" in body  # what was typed stays
    assert _nothing_saved()
    ticked = client.post(
        "/help/new/", {**FORM, "health_info": "Плохо видит", "health_consent": "on"}
    )
    help_request = HelpRequest.objects.get()
    assert ticked["Location"] == f"/help/{help_request.pk}/"
    assert help_request.has_health_info


def test_the_api_refuses_health_information_without_health_consent(resident):
    written_consent(resident)
    client = login(resident)
    for payload in (
        {**PAYLOAD, "health_info": "Плохо видит"},
        {**PAYLOAD, "health_info": "Плохо видит", "health_consent": False},
    ):
        response = client.post("/api/v1/help-requests", payload, content_type="application/json")
        assert response.status_code == 422
        assert NOT_TICKED in response.json()["errors"]["health_consent"][0]
        assert _nothing_saved()
    created = client.post(
        "/api/v1/help-requests",
        {**PAYLOAD, "health_info": "Плохо видит", "health_consent": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert HealthInfo.objects.get(help_request_id=created.json()["id"]).text == "Плохо видит"


def test_the_api_documents_the_field_as_required_with_health_information(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["RequestIn"]
    assert "required with `health_info`" in schema["properties"]["health_consent"]["description"]


def test_a_coordinators_health_data_needs_the_scan_on_the_page_and_in_the_api(coordinator):
    """Their staff form has no checkbox: what they enter for anyone — themselves too — rests
    on the signed form they attach, so the API (which carries no file) refuses it as well."""
    written_consent(coordinator)
    client = login(coordinator)
    page = client.post("/help/new/", {**FORM, "health_info": "Астма"})
    assert "Приложите скан" in page.content.decode()
    api = client.post(
        "/api/v1/help-requests",
        {**PAYLOAD, "health_info": "Астма", "health_consent": True},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert list(api.json()["errors"]) == ["consent_scan"]
    assert _nothing_saved()
