"""Asking for someone else, the health information given is that person's: they are the data
subject (152-ФЗ art. 3, art. 9), and the requester's own consent does not cover it. The form
says so, and the requester confirms, with a checkbox of its own, being their legal
representative or having their consent; the audit entry of the submission records it. Page
and API alike."""

import pytest
from django.core.exceptions import ValidationError

from conftest import login
from dobry.accounts.tests.factories import written_consent
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpRequest
from dobry.helprequests.services import submission
from dobry.helprequests.tests.factories import taken_by_phone

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "accompaniment",
    "summary": "Проводить в поликлинику",
    "details": "Маме нужно к врачу во вторник",
    "recipient_name": "Галина Петровна",
    "recipient_phone": "+79135550111",
    "asap": True,
    "relation": HelpRequest.Relation.RELATIVE,
}
FORM = {**FIELDS, "asap": "on", "recurrence": "once", "volunteers_needed": 1}
NOT_CONFIRMED = "законный представитель или он согласен на их передачу"


@pytest.fixture
def daughter(resident):
    written_consent(resident)
    return resident


def _submitted() -> AuditEntry:
    return AuditEntry.objects.get(action="helprequest.submit")


@pytest.mark.parametrize(
    "relation", [HelpRequest.Relation.RELATIVE, HelpRequest.Relation.SOCIAL_WORKER]
)
def test_ones_own_consent_does_not_cover_someone_elses_health_data(daughter, relation):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(
            requester=daughter,
            fields={**FIELDS, "relation": relation},
            health_info="Плохо ходит",
            health_consent=True,
        )
    assert list(refused.value.message_dict) == ["health_on_behalf"]
    assert NOT_CONFIRMED in refused.value.message_dict["health_on_behalf"][0]
    assert not HelpRequest.objects.exists()
    assert not HealthInfo.objects.exists()
    assert not AuditEntry.objects.filter(action="helprequest.submit").exists()


def test_the_confirmation_is_recorded_in_the_audit_entry(daughter):
    help_request = submission.request_submit(
        requester=daughter,
        fields=FIELDS,
        health_info="Плохо ходит",
        health_consent=True,
        health_on_behalf=True,
    )
    assert HealthInfo.objects.get(help_request=help_request).text == "Плохо ходит"
    entry = _submitted()
    assert entry.data["health_on_behalf"] is True
    assert entry.data["health_consent_method"] == "paper"


def test_asking_for_oneself_or_without_health_data_needs_no_confirmation(daughter):
    submission.request_submit(
        requester=daughter,
        fields={**FIELDS, "relation": HelpRequest.Relation.SELF},
        health_info="Астма",
        health_consent=True,
    )
    assert _submitted().data["health_on_behalf"] is None
    submission.request_submit(requester=daughter, fields={**FIELDS, "summary": "Другое дело"})
    assert HelpRequest.objects.count() == 2


def test_a_coordinators_scan_is_the_persons_own_consent_and_needs_no_confirmation(coordinator):
    taken_by_phone(coordinator)
    assert _submitted().data["health_on_behalf"] is None
    assert _submitted().data["health_consent_method"] == "paper_scan"


def test_the_form_says_whose_data_it_is_and_asks_for_the_confirmation(daughter):
    client = login(daughter)
    page = client.get("/help/new/").content.decode()
    assert 'name="health_on_behalf"' in page
    assert "его персональные данные, а не ваши" in page
    assert "я его законный представитель или он согласен" in page
    refused = client.post(
        "/help/new/", {**FORM, "health_info": "Плохо ходит", "health_consent": "on"}
    )
    assert refused.status_code == 200
    body = refused.content.decode()
    assert NOT_CONFIRMED in body
    assert "Плохо ходит</textarea>" in body
    assert not HelpRequest.objects.exists()
    accepted = client.post(
        "/help/new/",
        {**FORM, "health_info": "Плохо ходит", "health_consent": "on", "health_on_behalf": "on"},
    )
    help_request = HelpRequest.objects.get()
    assert accepted["Location"] == f"/help/{help_request.pk}/"
    assert _submitted().data["health_on_behalf"] is True


def test_the_coordinators_form_has_the_scan_instead(coordinator):
    page = login(coordinator).get("/help/new/").content.decode()
    assert 'name="health_on_behalf"' not in page


def test_the_api_asks_the_same(daughter):
    client = login(daughter)
    payload = {**FIELDS, "health_info": "Плохо ходит", "health_consent": True}
    refused = client.post("/api/v1/help-requests", payload, content_type="application/json")
    assert refused.status_code == 422
    assert NOT_CONFIRMED in refused.json()["errors"]["health_on_behalf"][0]
    assert not HelpRequest.objects.exists()
    accepted = client.post(
        "/api/v1/help-requests",
        {**payload, "health_on_behalf": True},
        content_type="application/json",
    )
    assert accepted.status_code == 201, accepted.content
    assert _submitted().data["health_on_behalf"] is True
