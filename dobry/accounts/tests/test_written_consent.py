"""Written consent for health data (152-ФЗ art. 9 part 4, art. 10): a simple electronic
signature — a one-time code sent to the confirmed email and typed back (63-ФЗ art. 6
part 2) — or a paper form whose scan a coordinator attaches. A checkbox is not enough."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.models import ConsentCode, ConsentDocument, ConsentRecord
from dobry.accounts.services import (
    TooManyCodes,
    consent_accept,
    consent_code_send,
    consent_record_paper,
    consent_sign_with_code,
    user_erase,
    user_has_written_consent,
)
from dobry.communications.models import OutboundEmail
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
HEALTH = ConsentDocument.Kind.HEALTH_DATA
VOLUNTEER_HEALTH = ConsentDocument.Kind.VOLUNTEER_HEALTH


def _sent_code(user) -> str:
    email = OutboundEmail.objects.filter(to=user.email, key__startswith="consent-code:").first()
    return re.search(r"\b(\d{6})\b", email.body_text).group(1)


def _scan(name="blank.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed form", content_type="application/pdf")


def test_a_checkbox_cannot_give_a_written_consent(resident):
    with pytest.raises(DomainError):
        consent_accept(user=resident, kind=HEALTH, ip_address=None)
    assert not user_has_written_consent(resident, HEALTH)


def test_the_code_from_the_email_signs_the_consent_and_only_its_hash_is_kept(resident):
    consent_code_send(user=resident, kind=VOLUNTEER_HEALTH)
    code = _sent_code(resident)

    record = consent_sign_with_code(
        user=resident, kind=VOLUNTEER_HEALTH, code=f" {code[:3]} {code[3:]} ", ip_address="10.1.1.1"
    )

    assert record.method == ConsentRecord.Method.SES_CODE
    assert record.document.kind == VOLUNTEER_HEALTH
    assert record.document.version == ConsentDocument.current(VOLUNTEER_HEALTH).version
    assert len(record.signature_hash) == 64
    assert code not in record.signature_hash
    assert user_has_written_consent(resident, VOLUNTEER_HEALTH)
    stored = ConsentCode.objects.get(user=resident)
    assert code not in stored.code_hash
    assert stored.used_at is not None
    # the outbox keeps no copy of a used code
    email = OutboundEmail.objects.get(key=f"consent-code:{stored.pk}")
    assert code not in email.body_text
    assert code not in email.subject
    assert AuditEntry.objects.filter(action="consent.sign", data__method="ses_code").exists()


def test_a_used_code_cannot_sign_again(resident):
    consent_code_send(user=resident, kind=HEALTH)
    code = _sent_code(resident)
    consent_sign_with_code(user=resident, kind=HEALTH, code=code, ip_address=None)
    with pytest.raises(DomainError, match="использован"):
        consent_sign_with_code(user=resident, kind=HEALTH, code=code, ip_address=None)
    assert ConsentRecord.objects.filter(user=resident, document__kind=HEALTH).count() == 1


def test_an_expired_code_is_refused(resident, settings):
    consent_code_send(user=resident, kind=HEALTH)
    code = _sent_code(resident)
    ConsentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="устарел"):
        consent_sign_with_code(user=resident, kind=HEALTH, code=code, ip_address=None)
    assert not user_has_written_consent(resident, HEALTH)


def test_a_wrong_code_counts_an_attempt_and_too_many_lock_the_code(resident, settings):
    settings.DOBRY_CONSENT_CODE_ATTEMPTS = 3
    consent_code_send(user=resident, kind=HEALTH)
    code = _sent_code(resident)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(3):
        with pytest.raises(DomainError, match="Неверный код"):
            consent_sign_with_code(user=resident, kind=HEALTH, code=wrong, ip_address=None)
    assert ConsentCode.objects.get().attempts == 3
    with pytest.raises(DomainError, match="неверных попыток"):
        consent_sign_with_code(user=resident, kind=HEALTH, code=code, ip_address=None)
    assert not user_has_written_consent(resident, HEALTH)


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "١٢٣٤٥٦", "abcdef", "²²²²²²"])
def test_codes_that_are_not_six_ascii_digits_are_wrong(resident, typed):
    consent_code_send(user=resident, kind=HEALTH)
    with pytest.raises(DomainError, match="Неверный код"):
        consent_sign_with_code(user=resident, kind=HEALTH, code=typed, ip_address=None)


def test_a_new_code_replaces_the_previous_one(resident):
    consent_code_send(user=resident, kind=HEALTH)
    first = _sent_code(resident)
    OutboundEmail.objects.all().delete()
    consent_code_send(user=resident, kind=HEALTH)
    second = _sent_code(resident)
    if first != second:
        with pytest.raises(DomainError):
            consent_sign_with_code(user=resident, kind=HEALTH, code=first, ip_address=None)
    assert consent_sign_with_code(user=resident, kind=HEALTH, code=second, ip_address=None)


def test_codes_are_rate_limited_per_hour(resident, settings):
    settings.DOBRY_CONSENT_CODES_PER_HOUR = 2
    consent_code_send(user=resident, kind=HEALTH)
    consent_code_send(user=resident, kind=VOLUNTEER_HEALTH)
    with pytest.raises(TooManyCodes):
        consent_code_send(user=resident, kind=HEALTH)
    ConsentCode.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert consent_code_send(user=resident, kind=HEALTH)


def test_a_code_goes_only_to_a_confirmed_email(resident):
    EmailAddress.objects.filter(user=resident).update(verified=False)
    with pytest.raises(DomainError, match="подтвердите"):
        consent_code_send(user=resident, kind=HEALTH)
    assert not ConsentCode.objects.exists()


def test_a_code_is_only_for_written_kinds(resident):
    with pytest.raises(DomainError):
        consent_code_send(user=resident, kind=ConsentDocument.Kind.NEWSLETTER)


def test_a_code_of_another_person_does_not_sign(resident, outsider):
    consent_code_send(user=outsider, kind=HEALTH)
    code = _sent_code(outsider)
    consent_code_send(user=resident, kind=HEALTH)
    mine = _sent_code(resident)
    if code != mine:
        with pytest.raises(DomainError):
            consent_sign_with_code(user=resident, kind=HEALTH, code=code, ip_address=None)


def test_a_coordinator_records_a_paper_consent_with_its_scan(resident, coordinator, settings):
    record = consent_record_paper(
        actor=coordinator, user=resident, kind=HEALTH, scan=_scan("Жителева.pdf"), ip_address=None
    )
    assert record.method == ConsentRecord.Method.PAPER
    assert record.recorded_by == coordinator
    assert "Жителева" not in record.scan.name
    assert record.scan.name.startswith("consents/")
    assert record.scan.path.startswith(str(settings.DOBRY_PRIVATE_MEDIA_ROOT))
    assert user_has_written_consent(resident, HEALTH)


def test_only_coordinators_record_paper_consents(resident, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        consent_record_paper(
            actor=outsider, user=resident, kind=HEALTH, scan=_scan(), ip_address=None
        )


def test_a_paper_consent_needs_a_document_file(resident, coordinator):
    with pytest.raises(DomainError):
        consent_record_paper(
            actor=coordinator,
            user=resident,
            kind=HEALTH,
            scan=SimpleUploadedFile("x.exe", b"MZ"),
            ip_address=None,
        )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("soglasie.docx", b"PK\x03\x04 a Word document"),
        ("soglasie.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an Excel book"),
        ("soglasie.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_the_paper_consent_is_a_scan_pdf_jpeg_or_png_checked_by_content(
    resident, coordinator, name, content
):
    """The scan of the signed form, as for the health-data consents a coordinator attaches
    to a request (`core.uploads.validate_scan`): an office document is not a signed form."""
    with pytest.raises(DomainError) as refused:
        consent_record_paper(
            actor=coordinator,
            user=resident,
            kind=HEALTH,
            scan=SimpleUploadedFile(name, content),
            ip_address=None,
        )
    assert "PDF, JPEG или PNG" in refused.value.field_errors["scan"][0]
    assert not ConsentRecord.objects.filter(method="paper").exists()


def test_erasure_deletes_codes_and_scans_and_keeps_the_record_of_the_consent(
    resident, coordinator, django_capture_on_commit_callbacks
):
    record = consent_record_paper(
        actor=coordinator, user=resident, kind=HEALTH, scan=_scan(), ip_address=None
    )
    consent_code_send(user=resident, kind=VOLUNTEER_HEALTH)
    stored = record.scan.path

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=resident, actor=None)

    record.refresh_from_db()
    assert (record.scan.name, record.method) == ("", "paper")
    assert not ConsentCode.objects.exists()
    import os

    assert not os.path.exists(stored)


# Pages: anonymous, outsider, right role.


def test_the_sign_page_needs_login(client):
    assert client.get("/profile/consents/health_data/sign/").status_code == 302


def test_the_sign_page_is_only_for_written_kinds(login_as, resident):
    assert login_as(resident).get("/profile/consents/newsletter/sign/").status_code == 404


def test_signing_on_the_page_with_the_emailed_code(login_as, resident):
    client = login_as(resident)
    page = client.get("/profile/consents/volunteer_health/sign/")
    assert "простой электронной подписью" in page.content.decode()
    client.post("/profile/consents/volunteer_health/sign/", {"send": "1"})
    code = _sent_code(resident)

    wrong = client.post("/profile/consents/volunteer_health/sign/", {"code": "000000x"})
    assert wrong.status_code == 422
    assert "Неверный код" in wrong.content.decode()

    response = client.post("/profile/consents/volunteer_health/sign/", {"code": code})
    assert response.status_code == 302
    assert user_has_written_consent(resident, VOLUNTEER_HEALTH)
    consents = client.get("/profile/consents/").content.decode()
    assert "простая электронная подпись" in consents


def test_the_checkbox_button_is_not_offered_for_written_consents(login_as, resident):
    page = login_as(resident).get("/profile/consents/").content.decode()
    assert "/profile/consents/health_data/sign/" in page
    assert "/profile/consents/health_data/give/" not in page
    response = login_as(resident).post("/profile/consents/health_data/give/")
    assert response.status_code == 302
    assert not user_has_written_consent(resident, HEALTH)


def test_the_paper_consent_page_is_for_coordinators(client, login_as, resident, coordinator):
    assert client.get("/profile/consents/paper/new/").status_code == 302
    assert login_as(resident).get("/profile/consents/paper/new/").status_code == 403
    assert login_as(coordinator).get("/profile/consents/paper/new/").status_code == 200


def test_a_coordinator_attaches_a_scan_on_the_page(login_as, resident, coordinator):
    response = login_as(coordinator).post(
        "/profile/consents/paper/new/",
        {"email": resident.email.upper(), "kind": HEALTH, "scan": _scan()},
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.get(user=resident, method="paper").recorded_by == coordinator


def test_an_unknown_person_or_bad_file_is_a_form_error(login_as, resident, coordinator):
    client = login_as(coordinator)
    unknown = client.post(
        "/profile/consents/paper/new/",
        {"email": "nobody@example.org", "kind": HEALTH, "scan": _scan()},
    )
    assert unknown.status_code == 422
    assert "не найден" in unknown.content.decode()
    bad = client.post(
        "/profile/consents/paper/new/",
        {"email": resident.email, "kind": HEALTH, "scan": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert bad.status_code == 422
    assert not ConsentRecord.objects.filter(method="paper").exists()


def test_the_scan_is_served_to_its_person_and_coordinators_only(
    client, login_as, resident, outsider, coordinator
):
    record = consent_record_paper(
        actor=coordinator, user=resident, kind=HEALTH, scan=_scan(), ip_address=None
    )
    url = record.scan.url
    assert url == f"/files/accounts.consentrecord.scan/{record.pk}/"
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 404
    assert login_as(outsider).post(url).status_code == 404
    for viewer in (resident, coordinator):
        assert b"signed form" not in login_as(viewer).get(url).content  # a confirmation page
        response = login_as(viewer).post(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 signed form"
    assert AuditEntry.objects.filter(action="consent.scan_read").count() == 2
