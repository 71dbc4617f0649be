"""Help requests when their requester deletes the account or withdraws the health-data
consent, and the retention job that minimises closed requests (152-ФЗ art. 5 part 7)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_record_paper, consent_withdraw, user_erase
from dobry.communications.models import Notification
from dobry.core.models import AuditEntry
from dobry.helprequests import services
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

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

    assert services.requests_minimise() == 1

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
    assert services.requests_minimise() == 0


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
