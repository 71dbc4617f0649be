"""The scan of the paper consent to processing health data (152-ФЗ art. 10), which a
coordinator attaches when registering a request for a resident by phone or in person: the
evidence the consent was given, instead of a ticked box. Required with health information,
stored privately under a random name, read by coordinators only (each download audited),
and deleted with the health information."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import login
from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_record_paper, consent_withdraw, user_erase
from dobry.accounts.tests.factories import UserFactory, written_consent
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest
from dobry.helprequests.services import (
    completion,
    offering,
    private_data,
    retention,
    submission,
    triage,
    workflow,
)
from dobry.helprequests.tests.factories import (
    TAKEN_BY_PHONE,
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_hours_ago,
    consent_scan,
    offerable_volunteer,
    taken_by_phone,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _coordinator_of_the_resource_centre(request):
    """Closing a request credits the helper's hours to the coordinator's organisation (the
    resource centre) when it was not routed to a programme."""
    if "coordinator" in request.fixturenames:
        MembershipFactory(user=request.getfixturevalue("coordinator"), role=Membership.Role.EDITOR)


S = HelpRequest.Status
KEY = "helprequests.healthinfo.consent_scan"


def _stored(help_request: HelpRequest) -> Path:
    name = HealthInfo.objects.get(help_request=help_request).consent_scan.name
    return Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, name)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _url(help_request: HelpRequest) -> str:
    return f"/files/{KEY}/{help_request.pk}/"


# --- the service ----------------------------------------------------------------------------


def test_a_coordinator_entering_health_data_for_someone_must_attach_the_scan(coordinator):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(
            requester=coordinator, fields=TAKEN_BY_PHONE, health_info="Плохо слышит"
        )
    assert "consent_scan" in refused.value.message_dict
    assert "скан" in refused.value.message_dict["consent_scan"][0]
    assert not HelpRequest.objects.exists()
    assert not HealthInfo.objects.exists()
    assert not AuditEntry.objects.filter(action="helprequest.submit").exists()


def test_the_scan_is_stored_privately_under_a_random_name_and_the_method_audited(coordinator):
    help_request = taken_by_phone(coordinator, scan=consent_scan("Петрова М.И. согласие.PDF"))
    health = HealthInfo.objects.get(help_request=help_request)
    assert re.fullmatch(r"health-consents/[0-9a-f]{32}\.pdf", health.consent_scan.name)
    assert "Петрова" not in health.consent_scan.name
    assert _stored(help_request).read_bytes() == b"%PDF-1.4 signed consent"
    assert not Path(settings.MEDIA_ROOT, health.consent_scan.name).exists()
    assert help_request.has_health_info
    assert help_request.has_consent_scan
    assert health.text == "Плохо слышит"
    entry = AuditEntry.objects.get(action="helprequest.submit")
    assert entry.data["health_consent_method"] == "paper_scan"
    document = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA)
    assert entry.data["health_consent_version"] == document.version
    assert health.consent_version == document.version


def test_a_png_or_jpeg_photo_of_the_form_is_accepted(coordinator):
    help_request = taken_by_phone(coordinator, scan=consent_scan("foto.png", _png()))
    assert _stored(help_request).suffix == ".png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("soglasie.docx", b"PK\x03\x04 a word document"),
        ("soglasie.txt", b"plain text"),
        ("soglasie.png", b"not a picture"),
        ("soglasie.pdf", b"<html>not a pdf</html>"),
        ("soglasie", b"%PDF-1.4 no extension"),
    ],
)
def test_only_a_pdf_jpeg_or_png_scan_is_accepted(coordinator, name, content):
    with pytest.raises(ValidationError) as refused:
        taken_by_phone(coordinator, scan=consent_scan(name, content))
    assert "consent_scan" in refused.value.message_dict
    assert not HelpRequest.objects.exists()


def test_a_scan_over_the_document_size_limit_is_refused(coordinator, settings):
    settings.DOBRY_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        taken_by_phone(coordinator, scan=consent_scan(content=b"%PDF-1.4 " + b"x" * 2000))
    assert "consent_scan" in refused.value.message_dict
    assert not HelpRequest.objects.exists()


def test_a_scan_without_health_information_is_refused_not_kept(coordinator):
    with pytest.raises(ValidationError) as refused:
        taken_by_phone(coordinator, health_info="")
    assert "health_info" in refused.value.message_dict
    assert not HelpRequest.objects.exists()
    assert not list(Path(settings.DOBRY_PRIVATE_MEDIA_ROOT).rglob("*.pdf"))


def test_a_resident_gives_their_own_consent_online_as_before_and_attaches_no_scan(resident):
    fields = {**TAKEN_BY_PHONE, "relation": HelpRequest.Relation.SELF}
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(requester=resident, fields=fields, health_info="Астма")
    assert "health_consent" in refused.value.message_dict
    written_consent(resident)
    with pytest.raises(ValidationError) as scanned:
        submission.request_submit(
            requester=resident, fields=fields, health_info="Астма", consent_scan=consent_scan()
        )
    assert "consent_scan" in scanned.value.message_dict
    help_request = submission.request_submit(
        requester=resident, fields=fields, health_info="Астма", health_consent=True
    )
    assert help_request.has_health_info
    assert not help_request.has_consent_scan
    assert not HealthInfo.objects.get(help_request=help_request).consent_scan
    assert AuditEntry.objects.get(action="helprequest.submit").data["health_consent_method"] == (
        "paper"
    )


def test_a_coordinators_own_consent_does_not_cover_someone_elses_health_data(coordinator):
    """Before, the coordinator's own signed consent was taken as the caller's."""
    written_consent(coordinator)
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(
            requester=coordinator, fields=TAKEN_BY_PHONE, health_info="Плохо слышит"
        )
    assert "consent_scan" in refused.value.message_dict


# --- the page -------------------------------------------------------------------------------

FORM = {
    "category": "delivery",
    "summary": "Привезти продукты пожилому человеку",
    "details": "Хлеб и молоко",
    "recipient_name": "Мария Ивановна",
    "recipient_phone": "8 913 111 22 33",
    "address": "ул. Ленина, 5",
    "asap": "on",
    "recurrence": "once",
    "volunteers_needed": 1,
    "relation": "phone_call",
    "health_info": "Передвигается на коляске",
}


def test_the_coordinators_form_asks_for_the_scan_instead_of_a_checkbox(coordinator, resident):
    page = login(coordinator).get("/help/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="consent_scan"' in page
    assert 'accept="application/pdf,image/jpeg,image/png"' in page
    assert 'name="health_consent"' not in page
    own = login(resident).get("/help/new/").content.decode()
    assert 'name="consent_scan"' not in own
    assert "/profile/consents/health_data/sign/" in own


def test_the_form_refuses_health_data_without_a_scan_and_keeps_what_was_typed(coordinator):
    response = login(coordinator).post("/help/new/", FORM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Приложите скан" in body
    assert 'value="ул. Ленина, 5"' in body
    assert 'value="Мария Ивановна"' in body
    assert "Передвигается на коляске</textarea>" in body
    assert not HelpRequest.objects.exists()


def test_the_form_stores_the_scan_with_the_request(coordinator):
    response = login(coordinator).post(
        "/help/new/", {**FORM, "consent_scan": consent_scan("scan.jpg", _jpeg())}
    )
    help_request = HelpRequest.objects.get()
    assert response["Location"] == f"/help/{help_request.pk}/"
    assert help_request.has_consent_scan
    assert _stored(help_request).suffix == ".jpg"


def test_the_form_explains_a_wrong_file_next_to_the_field(coordinator):
    response = login(coordinator).post(
        "/help/new/", {**FORM, "consent_scan": consent_scan("scan.docx", b"PK\x03\x04")}
    )
    assert response.status_code == 200
    assert "PDF, JPEG или PNG" in response.content.decode()
    assert not HelpRequest.objects.exists()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return buffer.getvalue()


# --- the API --------------------------------------------------------------------------------


def test_the_api_refuses_health_data_taken_for_someone_without_the_scan(coordinator):
    client = login(coordinator)
    payload = {**TAKEN_BY_PHONE, "health_info": "Плохо слышит", "health_consent": True}
    response = client.post("/api/v1/help-requests", payload, content_type="application/json")
    assert response.status_code == 422
    assert "consent_scan" in response.json()["errors"]
    assert not HelpRequest.objects.exists()
    del payload["health_info"]
    created = client.post("/api/v1/help-requests", payload, content_type="application/json")
    assert created.status_code == 201, created.content


# --- who downloads it -----------------------------------------------------------------------


@pytest.fixture
def assigned(coordinator):
    """A request taken by phone, with the scan, and the volunteer who accepted it."""
    help_request = taken_by_phone(coordinator)
    helper = offerable_volunteer()
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.VERIFIED)
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    accepted_hours_ago(help_request)
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED
    return help_request, helper


def test_anonymous_visitors_are_sent_to_log_in(assigned):
    help_request, _helper = assigned
    for method in ("get", "post"):
        response = getattr(Client(), method)(_url(help_request))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsiders_officials_and_the_matched_volunteer_get_nothing(assigned):
    help_request, helper = assigned
    # The volunteer may read the health information itself, never the signed form.
    assert private_data.health_info_read(user=helper, help_request=help_request) == "Плохо слышит"
    for person in (UserFactory(), UserFactory(is_official=True), helper):
        client = login(person)
        assert client.get(_url(help_request)).status_code == 404, person
        assert client.post(_url(help_request)).status_code == 404, person
    assert not AuditEntry.objects.filter(action="helprequest.consent_scan_read").exists()
    page = login(helper).get(help_request.get_absolute_url()).content.decode()
    assert _url(help_request) not in page


def test_the_programme_staff_get_nothing(coordinator):
    help_request = taken_by_phone(coordinator)
    programme = ProgrammeFactory()
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    editor = MembershipFactory(
        organization=programme.organization, role=Membership.Role.EDITOR
    ).user
    assert login(editor).post(_url(help_request)).status_code == 404


def test_a_coordinator_downloads_it_on_a_post_and_the_download_is_audited(assigned, coordinator):
    help_request, _helper = assigned
    other = UserFactory(is_coordinator=True)
    client = login(other)
    page = client.get(help_request.get_absolute_url()).content.decode()
    assert f'action="{_url(help_request)}"' in page
    confirm = client.get(_url(help_request))
    assert confirm.status_code == 200
    assert not AuditEntry.objects.filter(action="helprequest.consent_scan_read").exists()
    response = client.post(_url(help_request))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed consent"
    assert f"{help_request.pk}.pdf" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="helprequest.consent_scan_read")
    assert (entry.actor, entry.object_id) == (other, str(help_request.pk))


def test_a_request_without_a_scan_shows_no_download(coordinator, resident):
    written_consent(resident)
    help_request = submission.request_submit(
        requester=resident,
        fields={**TAKEN_BY_PHONE, "relation": HelpRequest.Relation.SELF},
        health_info="Астма",
        health_consent=True,
    )
    page = login(coordinator).get(help_request.get_absolute_url()).content.decode()
    assert _url(help_request) not in page
    assert login(coordinator).post(_url(help_request)).status_code == 404


# --- deletion -------------------------------------------------------------------------------


def test_minimising_the_request_deletes_the_scan(coordinator, django_capture_on_commit_callbacks):
    help_request = taken_by_phone(coordinator)
    stored = _stored(help_request)
    with django_capture_on_commit_callbacks(execute=True):
        retention.request_minimise(help_request=help_request)
    help_request.refresh_from_db()
    assert not stored.exists()
    assert not HealthInfo.objects.filter(help_request=help_request).exists()
    assert (help_request.has_health_info, help_request.has_consent_scan) == (False, False)


def test_the_retention_job_deletes_the_scans_of_old_closed_requests(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.DOBRY_HELP_RETENTION_DAYS = 30
    old = taken_by_phone(coordinator)
    recent = taken_by_phone(coordinator, recipient_phone="+79135550078")
    for help_request in (old, recent):
        workflow.request_transition(
            actor=coordinator, help_request=help_request, to=S.CANCELLED, reason="Уже не нужно"
        )
    HelpRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    old_scan, recent_scan = _stored(old), _stored(recent)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.requests_minimise() == 1

    assert not old_scan.exists()
    assert recent_scan.exists()


def test_erasing_the_coordinator_who_registered_it_keeps_the_residents_data_and_scan(
    coordinator, django_capture_on_commit_callbacks
):
    """The request, its health data and the form the resident signed are the resident's,
    not the coordinator's who typed them in: they stay when the coordinator's account goes."""
    help_request = taken_by_phone(coordinator)
    stored = _stored(help_request)
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=coordinator, actor=None)
    help_request.refresh_from_db()
    assert stored.read_bytes() == b"%PDF-1.4 signed consent"
    assert HealthInfo.objects.get(help_request=help_request).text == "Плохо слышит"
    assert (help_request.has_health_info, help_request.has_consent_scan) == (True, True)
    assert (help_request.status, help_request.minimised_at) == (S.NEW, None)


def test_erasing_the_resident_it_was_taken_for_deletes_their_health_data_and_scan(
    coordinator, django_capture_on_commit_callbacks
):
    """The caller later had an account and deleted it: the request a coordinator took for
    them (their phone as the recipient's) keeps no health data about them, nor the form they
    signed. Another woman of the same name, with another phone, keeps hers."""
    person = UserFactory(first_name="Мария", last_name="Петрова", phone="+79135550077")
    help_request = taken_by_phone(coordinator)
    other = taken_by_phone(coordinator, recipient_phone="+79135550099")
    stored, kept = _stored(help_request), _stored(other)

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=person, actor=None)

    help_request.refresh_from_db()
    assert not stored.exists()
    assert not HealthInfo.objects.filter(help_request=help_request).exists()
    assert (help_request.has_health_info, help_request.has_consent_scan) == (False, False)
    assert AuditEntry.objects.filter(
        action="helprequest.health_erase", object_id=str(help_request.pk)
    ).exists()
    assert kept.exists()
    assert HealthInfo.objects.filter(help_request=other).exists()


def test_withdrawing_ones_own_consent_leaves_the_scanned_consents_of_others(coordinator, resident):
    """A coordinator's own health-data consent is not the residents' consent they scanned."""
    record = consent_record_paper(
        actor=UserFactory(is_coordinator=True),
        user=coordinator,
        kind=ConsentDocument.Kind.HEALTH_DATA,
        scan=consent_scan("own.pdf"),
        ip_address=None,
    )
    theirs = taken_by_phone(coordinator)
    own = HelpRequestFactory(requester=coordinator, health_info="Астма")

    consent_withdraw(user=coordinator, record=record)

    assert HealthInfo.objects.filter(help_request=theirs).exists()
    assert _stored(theirs).exists()
    assert not HealthInfo.objects.filter(help_request=own).exists()


def test_a_recurring_requests_next_visit_keeps_its_own_copy_of_the_scan(
    coordinator, django_capture_on_commit_callbacks
):
    helper = offerable_volunteer()
    help_request = taken_by_phone(coordinator, recurrence=HelpRequest.Recurrence.WEEKLY)
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.VERIFIED)
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    accepted_hours_ago(help_request)
    help_request.refresh_from_db()
    completion.help_report(volunteer=helper, help_request=help_request, text="Помог", hours="1")
    help_request.refresh_from_db()
    completion.request_complete(actor=coordinator, help_request=help_request)
    following = HelpRequest.objects.get(parent=help_request)
    assert following.has_consent_scan
    first, second = _stored(help_request), _stored(following)
    assert first != second
    assert second.read_bytes() == first.read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        retention.request_minimise(help_request=help_request)

    assert not first.exists()
    assert second.exists()
    assert HelpOffer.objects.filter(request=following).exists()


def test_help_requests_cannot_be_deleted_in_the_admin(admin_user, coordinator):
    """They are minimised (the statistics stay), never deleted: a deletion would cascade to
    the health row and leave the scan in the storage."""
    help_request = taken_by_phone(coordinator)
    client = login(admin_user)
    response = client.get(f"/admin/helprequests/helprequest/{help_request.pk}/delete/")
    assert response.status_code == 403
    assert HelpRequest.objects.filter(pk=help_request.pk).exists()
