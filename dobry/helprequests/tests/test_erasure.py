"""Help requests when their requester deletes the account or withdraws the health-data
consent, and the retention job that minimises closed requests (152-ФЗ art. 5 part 7)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_record_paper, consent_withdraw, user_erase
from dobry.accounts.tests.factories import UserFactory, written_consent
from dobry.communications.models import Notification
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest
from dobry.helprequests.services import retention, submission, workflow
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    offerable_volunteer,
    taken_by_phone,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


def test_an_open_request_cancelled_by_erasure_gets_its_closing_date_and_is_minimised(
    resident,
):
    request = HelpRequestFactory(requester=resident, status=S.MATCHING, health_info="Астма")
    offer = HelpOffer.objects.create(
        request=request,
        volunteer=offerable_volunteer(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    before = timezone.now()

    user_erase(user=resident, actor=None)

    request.refresh_from_db()
    assert request.status == S.CANCELLED
    assert request.closed_at is not None
    assert request.closed_at >= before
    assert request.minimised_at is not None
    assert request.requester is None
    assert (request.recipient_name, request.recipient_phone, request.address) == ("—", "", "")
    assert (request.details, request.has_health_info) == ("", False)
    assert not HealthInfo.objects.filter(help_request=request).exists()
    assert request.category == "delivery"
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.WITHDRAWN


def test_erasure_does_not_notify_the_person_being_erased(resident):
    HelpRequestFactory(requester=resident, status=S.NEW)
    user_erase(user=resident, actor=None)
    assert not Notification.objects.filter(user=resident).exists()


def test_a_closed_request_of_the_erased_person_is_minimised_at_once(resident, settings):
    settings.DOBRY_HELP_RETENTION_DAYS = 365
    done = HelpRequestFactory(
        requester=resident, status=S.DONE, closed_at=timezone.now(), feedback="Спасибо, Анна"
    )
    user_erase(user=resident, actor=None)
    done.refresh_from_db()
    assert (done.status, done.feedback, done.recipient_name) == (S.DONE, "", "—")
    assert done.minimised_at is not None


def test_requests_of_others_are_left_alone_by_erasure(resident, outsider):
    other = HelpRequestFactory(requester=outsider, status=S.NEW, recipient_name="Мария Ивановна")
    user_erase(user=resident, actor=None)
    other.refresh_from_db()
    assert (other.status, other.recipient_name, other.minimised_at) == (
        S.NEW,
        "Мария Ивановна",
        None,
    )


def test_the_retention_job_minimises_a_closed_request_that_has_no_closing_date(settings):
    settings.DOBRY_HELP_RETENTION_DAYS = 30
    legacy = HelpRequestFactory(status=S.CANCELLED, closed_at=None)
    fresh = HelpRequestFactory(status=S.CANCELLED, closed_at=None)
    HelpRequest.objects.filter(pk=legacy.pk).update(updated_at=timezone.now() - timedelta(days=31))

    assert retention.requests_minimise() == 1

    legacy.refresh_from_db()
    fresh.refresh_from_db()
    assert legacy.minimised_at is not None
    assert legacy.recipient_name == "—"
    assert fresh.minimised_at is None


def test_the_retention_job_leaves_open_requests_alone_however_old(settings):
    settings.DOBRY_HELP_RETENTION_DAYS = 30
    open_request = HelpRequestFactory(status=S.MATCHING)
    HelpRequest.objects.filter(pk=open_request.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    assert retention.requests_minimise() == 0


def test_withdrawing_the_health_data_consent_erases_health_info_from_own_requests(
    resident, outsider, coordinator
):
    record = consent_record_paper(
        actor=coordinator,
        user=resident,
        kind=ConsentDocument.Kind.HEALTH_DATA,
        scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 form"),
        ip_address=None,
    )
    mine = HelpRequestFactory(requester=resident, health_info="Сахарный диабет")
    theirs = HelpRequestFactory(requester=outsider, health_info="Астма")

    consent_withdraw(user=resident, record=record)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert not mine.has_health_info
    assert not HealthInfo.objects.filter(help_request=mine).exists()
    assert HealthInfo.objects.get(help_request=theirs).text == "Астма"
    assert AuditEntry.objects.filter(action="helprequest.health_erase", object_id=str(mine.pk))
    withdrawal = AuditEntry.objects.get(action="consent.withdraw")
    assert "help_requests" in withdrawal.data["erased"]


# --- who entered a request is not whom it is about -------------------------------------------

RESIDENT = "Мария Ивановна Петрова"


def test_erasing_a_coordinator_leaves_the_requests_they_registered_to_the_residents(
    coordinator, django_capture_on_commit_callbacks
):
    """They took calls: the requests, the residents' details, health data and signed forms
    are the residents'. Only the coordinator goes — from the link, which now leads to the
    anonymous tombstone, and from the texts."""
    coordinator.phone = "+79135550440"
    coordinator.save()
    taken = taken_by_phone(
        coordinator, details=f"Перезвонить координатору {coordinator.first_name} на +79135550440"
    )
    workflow.request_transition(actor=coordinator, help_request=taken, to=S.VERIFIED)
    done = HelpRequestFactory(
        requester=coordinator,
        relation=HelpRequest.Relation.PHONE_CALL,
        recipient_name=RESIDENT,
        status=S.DONE,
        closed_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=coordinator, actor=None)

    taken.refresh_from_db()
    assert (taken.status, taken.minimised_at, taken.closed_at) == (S.VERIFIED, None, None)
    assert (taken.recipient_name, taken.recipient_phone) == (RESIDENT, "+79135550077")
    assert taken.address == "ул. Ленина, 10, кв. 5"
    assert taken.details == "Перезвонить координатору [удалено] на [удалено]"
    assert HealthInfo.objects.get(help_request=taken).text == "Плохо слышит"
    assert taken.has_consent_scan
    # the registering staff member: pseudonymous, as in the audit trail
    assert (taken.requester_id, taken.registered_by_id) == (None, coordinator.pk)
    assert str(taken.registered_by) == "Удалённый пользователь"
    submitted = AuditEntry.objects.filter(action="helprequest.submit", object_id=str(taken.pk))
    assert submitted.get().actor_id == coordinator.pk
    done.refresh_from_db()
    assert (done.recipient_name, done.minimised_at) == (RESIDENT, None)


def test_the_residents_names_are_not_taken_for_the_coordinators(coordinator):
    """Before, the recipients of every request a coordinator registered counted as the
    coordinator's own values: erasing them redacted the residents everywhere."""
    taken_by_phone(coordinator)
    notice = Notification.objects.create(
        user=UserFactory(is_coordinator=True), kind="help_request_new", title=f"{RESIDENT}"
    )
    user_erase(user=coordinator, actor=None)
    notice.refresh_from_db()
    assert notice.title == RESIDENT


def test_a_coordinators_export_holds_what_they_did_not_the_residents_data(coordinator):
    taken_by_phone(coordinator)
    own = HelpRequestFactory(
        requester=coordinator, recipient_name="Ольга Координатор", address="ул. Своя, 1"
    )
    exported = personal_data.export_sections(coordinator)["help_requests"]
    assert [r["recipient_name"] for r in exported["requests"]] == [own.recipient_name]
    [entered] = exported["requests_for_others"]
    assert entered["relation"] == "phone_call"
    assert RESIDENT not in str(entered)
    assert "ул. Ленина" not in str(exported)


def test_a_request_for_a_relative_stays_the_relatives_when_the_asker_leaves(
    resident, django_capture_on_commit_callbacks
):
    """The daughter asked for her mother: the mother is the data subject (152-ФЗ), and her
    request, with her health information, is not erased with the daughter's account — only
    the daughter's own values in it go."""
    written_consent(resident)
    resident.phone = "+79135550550"
    resident.save()
    for_mother = submission.request_submit(
        requester=resident,
        fields={
            "category": "accompaniment",
            "summary": "Проводить в поликлинику",
            "details": "Звонить дочери Анне: +79135550550",
            "recipient_name": "Галина Петровна",
            "recipient_phone": "+79135550551",
            "address": "ул. Мира, 3, кв. 7",
            "asap": True,
            "relation": HelpRequest.Relation.RELATIVE,
        },
        health_info="Плохо ходит; дочь Анна Жителева рядом",
        health_consent=True,
        health_on_behalf=True,
    )
    own = HelpRequestFactory(requester=resident, status=S.NEW)

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=resident, actor=None)

    for_mother.refresh_from_db()
    assert (for_mother.status, for_mother.minimised_at) == (S.NEW, None)
    assert (for_mother.recipient_name, for_mother.address) == (
        "Галина Петровна",
        "ул. Мира, 3, кв. 7",
    )
    assert for_mother.details == "Звонить дочери Анне: [удалено]"
    assert HealthInfo.objects.get(help_request=for_mother).text == (
        "Плохо ходит; дочь [удалено] рядом"
    )
    own.refresh_from_db()
    assert (own.status, own.recipient_name) == (S.CANCELLED, "—")


def test_the_staff_form_starts_with_a_call_taken_not_a_request_of_ones_own(
    coordinator, resident, login_as
):
    """«для себя» left by mistake would make a resident's request the coordinator's own."""
    staff = login_as(coordinator).get("/help/new/").content.decode()
    assert '<option value="phone_call" selected>' in staff
    own = login_as(resident).get("/help/new/").content.decode()
    assert '<option value="self" selected>' in own
