"""Every uploaded file in the project is either public on purpose or served only through the
access-checked view (dobry/core/files.py).

The sweep enumerates the file fields of every installed model: a new field fails here until
it is declared public or private, and a private one until it has a case below that shows who
may read it. Each case builds the owning object in a state that is not public, with a file,
and names the person who may read it and the page that links to it."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import Http404
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.static import serve

from conftest import login
from dobry.accounts.models import ConsentDocument, User
from dobry.accounts.services import consent_record_paper
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_date
from dobry.core.documents import docx_letter
from dobry.core.errors import DomainError
from dobry.core.files import (
    PrivateFileField,
    delete_private_files,
    file_key,
    private_files,
    private_storage,
    public_files,
)
from dobry.core.models import AuditEntry
from dobry.core.uploads import DOCUMENT, SCAN
from dobry.events.models import Event, EventMaterial
from dobry.events.services import events as event_services
from dobry.events.tests.factories import EventFactory
from dobry.grants.models import ApplicationAttachment, Competition, Meeting
from dobry.grants.services import applications, competitions, decisions
from dobry.grants.tests.factories import applicant_organization, open_competition
from dobry.helprequests.models import HealthInfo
from dobry.helprequests.services import offering, triage
from dobry.helprequests.tests.factories import ProgrammeFactory, offerable_volunteer, taken_by_phone
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import library, services
from dobry.resources.models import ConsultationMessage, LibraryFile

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 private content"


def pdf(name: str = "smeta.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, CONTENT, content_type="application/pdf")


@dataclass
class Case:
    instance: models.Model
    field: str
    reader: User
    page: str  # a page the reader opens that links to the file
    original_name: str
    # Other people the owner's rule lets read the file (e.g. a coordinator besides the person).
    other_readers: tuple[User, ...] = ()
    # The audit action each permitted read records (special-category data, 152-ФЗ art. 10).
    audit_action: str = ""
    refused: tuple[User, ...] = ()  # besides anonymous and an outsider


def _official() -> User:
    return UserFactory(is_official=True)


def rules_of_a_draft_competition(upload: SimpleUploadedFile | None = None) -> Case:
    official = _official()
    competition = competitions.competition_create(
        actor=official,
        kind=Competition.Kind.SONKO,
        title="Черновик конкурса",
        budget=Decimal(100_000),
        max_grant=Decimal(50_000),
        applications_open=timezone.now() + timedelta(days=1),
        applications_close=timezone.now() + timedelta(days=10),
        review_deadline=timezone.now() + timedelta(days=20),
        results_on=(timezone.now() + timedelta(days=30)).date(),
    )
    competitions.competition_rules_document(
        actor=official, competition=competition, upload=upload or pdf("polozhenie.pdf")
    )
    return Case(
        competition, "rules_document", official, competition.get_absolute_url(), "polozhenie.pdf"
    )


def attachment_of_a_draft_application(upload: SimpleUploadedFile | None = None) -> Case:
    competition = open_competition(_official())
    organization, leader = applicant_organization()
    application = applications.application_create(
        user=leader, competition=competition, organization=organization
    )
    attachment = applications.application_attach(
        user=leader, application=application, title="Смета", upload=upload or pdf("smeta.pdf")
    )
    return Case(
        attachment, "file", leader, f"/grants/applications/{application.pk}/edit/", "smeta.pdf"
    )


def signed_protocol(upload: SimpleUploadedFile | None = None) -> Case:
    official = _official()
    competition = open_competition(official)
    meeting = Meeting.objects.create(
        competition=competition,
        held_at=timezone.now(),
        quorum=3,
        decision=Meeting.Decision.ADOPTED,
    )
    decisions.meeting_attach_protocol(
        actor=official, meeting=meeting, upload=upload or pdf("protokol-podpisan.pdf")
    )
    return Case(
        meeting,
        "signed_protocol",
        official,
        f"/grants/{competition.pk}/commission/",
        "protokol-podpisan.pdf",
    )


def material_of_a_draft_event(upload: SimpleUploadedFile | None = None) -> Case:
    event = EventFactory(status=Event.Status.DRAFT, kind=Event.Kind.SEMINAR)
    editor = MembershipFactory(organization=event.organization, role=Membership.Role.EDITOR).user
    material = event_services.event_material_add(
        actor=editor,
        event=event,
        kind="material",
        title="Раздатка",
        file=upload or pdf("razdatka.pdf"),
    )
    return Case(material, "file", editor, event.get_absolute_url(), "razdatka.pdf")


def consultation_attachment(upload: SimpleUploadedFile | None = None) -> Case:
    asker = UserFactory()
    consultation = services.consultation_ask(
        user=asker,
        topic="grants",
        subject="Смета",
        text="Проверьте смету",
        attachment=upload or pdf("moya-smeta.pdf"),
    )
    message = consultation.messages.get()
    return Case(message, "attachment", asker, consultation.get_absolute_url(), "moya-smeta.pdf")


def members_only_library_file(upload: SimpleUploadedFile | None = None) -> Case:
    coordinator = UserFactory(is_coordinator=True)
    item = library.library_item_create(
        actor=coordinator,
        title="Шаблон устава",
        kind="template",
        members_only=True,
        file=upload or pdf("ustav.pdf"),
    )
    member = MembershipFactory(organization__status=Organization.Status.VERIFIED).user
    return Case(item.files.get(), "file", member, item.get_absolute_url(), "ustav.pdf")


def scan_of_a_paper_consent(upload: SimpleUploadedFile | None = None) -> Case:
    """The person who signed, and any coordinator (not only the one who attached it)."""
    person = UserFactory()
    record = consent_record_paper(
        actor=UserFactory(is_coordinator=True),
        user=person,
        kind=ConsentDocument.Kind.HEALTH_DATA,
        scan=upload or pdf("soglasie.pdf"),
        ip_address=None,
    )
    # No name column: the uploaded name may hold the person's name, so a download is named
    # by the consent's kind and date, never by the random stored name.
    return Case(
        record,
        "scan",
        person,
        "/profile/consents/",
        f"согласие-health_data-{local_date(record.accepted_at).isoformat()}.pdf",
        other_readers=(UserFactory(is_coordinator=True),),
        audit_action="consent.scan_read",
        # Staff of other kinds and another person who gave a paper consent read nothing.
        refused=(UserFactory(is_official=True), _another_paper_signer()),
    )


def _another_paper_signer() -> User:
    other = UserFactory()
    consent_record_paper(
        actor=UserFactory(is_coordinator=True),
        user=other,
        kind=ConsentDocument.Kind.HEALTH_DATA,
        scan=pdf("drugoe.pdf"),
        ip_address=None,
    )
    return other


def scan_of_a_health_data_consent_taken_by_phone(
    upload: SimpleUploadedFile | None = None,
) -> Case:
    """Any coordinator; not the volunteer who took the task (they read the health information
    itself, not the signed form), nor the staff of the programme it was routed to."""
    coordinator = UserFactory(is_coordinator=True)
    help_request = taken_by_phone(coordinator, scan=upload or pdf("soglasie Petrovoi.pdf"))
    programme = ProgrammeFactory()
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR)
    helper = offerable_volunteer()
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    return Case(
        HealthInfo.objects.get(help_request=help_request),
        "consent_scan",
        coordinator,
        help_request.get_absolute_url(),
        f"согласие-о-здоровье-просьба-{help_request.pk}.pdf",
        other_readers=(UserFactory(is_coordinator=True),),
        audit_action="helprequest.consent_scan_read",
        refused=(helper, staff.user, UserFactory(is_official=True)),
    )


def signed_agreement_scan(upload: SimpleUploadedFile | None = None) -> Case:
    from dobry.grants.services import agreements
    from dobry.grants.tests.agreements import draft_agreement, grantee_of

    official = _official()
    agreement = draft_agreement(official)
    agreements.agreement_sign(
        actor=official,
        agreement=agreement,
        signed_on=agreement.concluded_on,
        upload=upload or pdf("soglashenie-podpisano.pdf"),
    )
    agreement.refresh_from_db()
    return Case(
        agreement,
        "signed_scan",
        grantee_of(agreement.application),
        agreement.get_absolute_url(),
        "soglashenie-podpisano.pdf",
        other_readers=(official,),
        refused=(UserFactory(is_coordinator=True),),
    )


def receipt_of_a_grant_report(upload: SimpleUploadedFile | None = None) -> Case:
    """A receipt attached to a grantee's report: the grantee and the competition's
    organisers; not another organisation's owner nor a coordinator."""
    from dobry.grants.models import ReportDue
    from dobry.grants.services import reports
    from dobry.grants.tests.agreements import grantee_of, signed_agreement

    official = _official()
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = reports.report_open(actor=grantee, agreement=agreement, kind=ReportDue.Kind.FINAL)
    attached = reports.report_attach(
        actor=grantee, report=report, kind="receipt", upload=upload or pdf("chek-arenda.pdf")
    )
    other = MembershipFactory(role=Membership.Role.OWNER).user
    return Case(
        attached,
        "file",
        grantee,
        report.get_absolute_url(),
        "chek-arenda.pdf",
        other_readers=(official,),
        refused=(other, UserFactory(is_coordinator=True)),
    )


def receipt_of_a_spending_item(upload: SimpleUploadedFile | None = None) -> Case:
    """A receipt the organisation has not published: its editors only (not a plain member,
    nor a coordinator)."""
    from dobry.charity.services.spending import spending_create
    from dobry.charity.tests.factories import charity_ready, editor_of

    campaign, editor = charity_ready()
    item = spending_create(
        actor=editor,
        organization=campaign.organization,
        campaign=campaign,
        spent_on=local_date(timezone.now()),
        amount=Decimal("1500"),
        description="Вертикализатор",
        receipt=upload or pdf("chek.pdf"),
    )
    member = editor_of(campaign.organization, Membership.Role.MEMBER)
    return Case(
        item,
        "receipt",
        editor,
        f"/donate/organization/{campaign.organization_id}/spending/",
        "chek.pdf",
        refused=(member, UserFactory(is_coordinator=True)),
    )


def resolution_of_a_civic_forum_section(upload: SimpleUploadedFile | None = None) -> Case:
    """A section's resolution not yet published (taken back): its organisers only."""
    from datetime import timedelta

    from django.utils import timezone

    from dobry.festivals.services import programme as festival_services
    from dobry.festivals.tests.factories import festival

    forum = festival(kind=Event.Kind.FORUM, civic_forum=True, days_ahead=-1)
    assert forum.event.starts_at < timezone.now() + timedelta(hours=1)
    resolution = festival_services.resolution_publish(
        actor=forum.organiser,
        track=forum.tracks[0],
        summary="Итоги",
        file=upload or pdf("rezolyuciya.pdf"),
    )
    type(resolution).objects.filter(pk=resolution.pk).update(published_at=None)
    resolution.refresh_from_db()
    return Case(
        resolution,
        "file",
        forum.organiser,
        f"/programme/{forum.programme.pk}/manage/",
        "rezolyuciya.pdf",
        refused=(UserFactory(),),
    )


CASES: dict[str, Callable[..., Case]] = {
    "accounts.consentrecord.scan": scan_of_a_paper_consent,
    "grants.competition.rules_document": rules_of_a_draft_competition,
    "grants.applicationattachment.file": attachment_of_a_draft_application,
    "grants.meeting.signed_protocol": signed_protocol,
    "grants.agreement.signed_scan": signed_agreement_scan,
    "grants.reportfile.file": receipt_of_a_grant_report,
    "events.eventmaterial.file": material_of_a_draft_event,
    "resources.consultationmessage.attachment": consultation_attachment,
    "resources.libraryfile.file": members_only_library_file,
    "helprequests.healthinfo.consent_scan": scan_of_a_health_data_consent_taken_by_phone,
    "charity.spendingitem.receipt": receipt_of_a_spending_item,
    "festivals.resolution.file": resolution_of_a_civic_forum_section,
}

PUBLIC = {
    "organizations.organization.logo",
    "events.event.cover",
    "communications.newsitem.cover",
    "charity.campaign.cover",
    "charity.campaignupdate.photo",
    "civic.timelineentry.photo",
    "grants.projectphoto.photo",
}


def every_file_field() -> list[str]:
    return sorted(
        file_key(model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    )


def test_every_file_field_is_classified_public_or_private():
    fields = every_file_field()
    assert fields, "the project has file fields"
    assert set(fields) == set(private_files()) | set(public_files())
    assert not set(private_files()) & set(public_files())
    assert set(public_files()) == PUBLIC


def test_every_private_field_has_a_case_here_and_the_private_storage():
    assert set(private_files()) == set(CASES)
    for key, entry in private_files().items():
        assert isinstance(entry.field, PrivateFileField), key
        # the field names the private storage (the instance is made again whenever a test
        # changes settings.STORAGES, so the field's own copy need not be today's)
        assert getattr(entry.field, "_storage_callable", None) is private_storage, key
        assert isinstance(entry.field.storage, type(storages["private"])), key


@pytest.mark.parametrize("key", sorted(CASES))
def test_private_files_open_only_to_those_the_owner_allows(key):
    case = CASES[key]()
    file = getattr(case.instance, case.field)
    url = f"/files/{key}/{case.instance.pk}/"
    assert file.url == url

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    # An id that names nothing answers the same, so anonymous visitors cannot count rows.
    missing = Client().get(f"/files/{key}/{case.instance.pk + 10_000}/")
    assert (missing.status_code, missing["Location"].split("?")[0]) == (302, "/accounts/login/")

    outsider = UserFactory()
    MembershipFactory(user=outsider, organization__status=Organization.Status.PENDING)
    for refused in (outsider, *case.refused):
        assert login(refused).get(url).status_code == 404, refused

    readers = (case.reader, *case.other_readers)
    for reader in readers:
        response = _download(login(reader), key, url)
        assert response.status_code == 200, reader
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Content-Disposition"] == content_disposition_header(
            True, case.original_name
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]

    if case.audit_action:
        reads = AuditEntry.objects.filter(action=case.audit_action).order_by("pk")
        assert [entry.actor for entry in reads] == list(readers)


def test_every_private_file_downloads_under_a_meaningful_name():
    """The uploaded name (`name_field`) or a `download_name`: never the random stored one."""
    unnamed = [
        key
        for key, entry in private_files().items()
        if not entry.field.name_field and entry.download_name is None
    ]
    assert unnamed == []


# What each private file holds decides how its upload is checked (core.uploads): a document
# by its kind's first bytes, the scan of a signed form as a PDF, JPEG or PNG only.
SCANS = {
    "accounts.consentrecord.scan",
    "helprequests.healthinfo.consent_scan",
    "grants.agreement.signed_scan",
}
DISGUISED = {
    "a web page named .pdf": ("smeta.pdf", b"<html><script>alert(1)</script></html>"),
    "a program named .docx": ("smeta.docx", b"MZ\x90\x00\x03 program"),
    "a program named .txt": ("smeta.txt", b"MZ\x90\x00\x03\x00\x00 program"),
    "a zip named .doc": ("smeta.doc", b"PK\x03\x04 zip"),
    "a program": ("smeta.exe", b"MZ\x90\x00\x03 program"),
}


def _word_document() -> SimpleUploadedFile:
    return SimpleUploadedFile("soglasie.docx", docx_letter("Согласие", ["Текст"], "Подпись"))


def test_scans_of_signed_forms_are_declared_as_such():
    assert {key for key, entry in private_files().items() if entry.holds == SCAN} == SCANS
    assert {entry.holds for entry in private_files().values()} == {DOCUMENT, SCAN}


def _stored_under(prefix: str) -> list[Path]:
    return [p for p in Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, prefix).rglob("*") if p.is_file()]


@pytest.mark.parametrize("disguise", sorted(DISGUISED))
@pytest.mark.parametrize("key", sorted(CASES))
def test_every_private_upload_is_checked_by_its_content(key, disguise):
    name, content = DISGUISED[disguise]
    with pytest.raises((ValidationError, DomainError)):
        CASES[key](SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert _stored_under(private_files()[key].field.prefix) == []


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_word_document_is_a_document_but_not_a_scan(key):
    if key in SCANS:
        with pytest.raises((ValidationError, DomainError)):
            CASES[key](_word_document())
        assert _stored_under(private_files()[key].field.prefix) == []
    else:
        case = CASES[key](_word_document())
        assert getattr(case.instance, case.field).name.endswith(".docx")


def _download(client: Client, key: str, url: str):
    """An audited read (on_read) is a POST with CSRF; other private files are plain links."""
    if private_files()[key].on_read is None:
        return client.get(url)
    return client.post(url)


def test_audited_files_are_sent_only_on_a_post_with_csrf():
    """A link checker or prefetching browser following the link would otherwise write a read
    nobody made into the audit log (the rule of dobry/core/confirm.py)."""
    audited = sorted(key for key, entry in private_files().items() if entry.on_read)
    assert audited == ["accounts.consentrecord.scan", "helprequests.healthinfo.consent_scan"]
    for key in audited:
        case = CASES[key]()
        url = f"/files/{key}/{case.instance.pk}/"
        confirm = login(case.reader).get(url)
        assert confirm.status_code == 200
        assert confirm["Content-Type"].startswith("text/html")
        assert f'<form method="post" action="{url}"' in confirm.content.decode()
        forged = Client(enforce_csrf_checks=True)
        forged.force_login(case.reader)
        assert forged.post(url).status_code == 403
        assert not AuditEntry.objects.filter(action=case.audit_action).exists()
        response = login(case.reader).post(url)
        assert b"".join(response.streaming_content) == CONTENT
        assert AuditEntry.objects.filter(action=case.audit_action).count() == 1


@pytest.mark.parametrize("key", sorted(CASES))
def test_private_files_are_not_under_media_and_have_unguessable_names(key):
    case = CASES[key]()
    name = getattr(case.instance, case.field).name
    prefix = private_files()[key].field.prefix
    assert re.fullmatch(rf"{re.escape(prefix)}/[0-9a-f]{{32}}\.pdf", name), name
    assert Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, name).read_bytes() == CONTENT
    assert not Path(settings.MEDIA_ROOT, name).exists()
    with pytest.raises(Http404):  # what `/media/` serves in development
        serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)
    assert Client().get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize("key", sorted(CASES))
def test_pages_link_private_files_through_the_view(key):
    case = CASES[key]()
    name = getattr(case.instance, case.field).name
    page = login(case.reader).get(case.page)
    assert page.status_code == 200
    html = page.content.decode()
    link = "action" if private_files()[key].on_read else "href"
    assert f'{link}="/files/{key}/{case.instance.pk}/"' in html
    assert name not in html
    assert settings.MEDIA_URL not in html


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_missing_private_file_is_a_404(key):
    case = CASES[key]()
    # The row names a file the storage no longer has (lost, or deleted by hand).
    storages["private"].delete(getattr(case.instance, case.field).name)
    url = f"/files/{key}/{case.instance.pk}/"
    assert _download(login(case.reader), key, url).status_code == 404


def test_in_production_nginx_sends_the_file(settings):
    settings.DOBRY_PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    case = attachment_of_a_draft_application()
    response = login(case.reader).get(case.instance.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{case.instance.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="smeta.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    outsider = login(UserFactory()).get(case.instance.file.url)
    assert outsider.status_code == 404
    assert not outsider.has_header("X-Accel-Redirect")


def test_unknown_fields_objects_and_methods_are_refused(login_as, admin_user):
    case = attachment_of_a_draft_application()
    client = login_as(admin_user)
    assert (
        client.get(f"/files/grants.applicationattachment.nope/{case.instance.pk}/").status_code
        == 404
    )
    assert client.get("/files/accounts.user.password/1/").status_code == 404
    assert client.get("/files/grants.applicationattachment.file/999999/").status_code == 404
    assert login(case.reader).post(case.instance.file.url).status_code == 405


def test_a_non_ascii_original_name_is_the_download_name():
    case = attachment_of_a_draft_application()
    attachment = applications.application_attach(
        user=case.reader,
        application=case.instance.application,
        title="Устав",
        upload=pdf("Устав организации.pdf"),
    )
    assert "Устав" not in attachment.file.name
    response = login(case.reader).get(attachment.file.url)
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%A3%D1%81%D1%82%D0%B0%D0%B2%20"
        "%D0%BE%D1%80%D0%B3%D0%B0%D0%BD%D0%B8%D0%B7%D0%B0%D1%86%D0%B8%D0%B8.pdf"
    )


def test_the_private_storage_has_no_url():
    with pytest.raises(ValueError, match="no storage URL"):
        storages["private"].url("grants/applications/x.pdf")


# --- public files ----------------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("Логотип Ивановых.png", buffer.getvalue(), "image/png")


def test_public_pictures_stay_under_media_with_random_names(client):
    organization = OrganizationFactory(logo=_png())
    event = EventFactory(cover=_png())
    for file, prefix in ((organization.logo, "logos"), (event.cover, "covers")):
        assert re.fullmatch(rf"{prefix}/[0-9a-f]{{16}}\.png", file.name), file.name
        assert file.url == f"{settings.MEDIA_URL}{file.name}"
        assert Path(settings.MEDIA_ROOT, file.name).exists()
        served = serve(RequestFactory().get(file.url), file.name, document_root=settings.MEDIA_ROOT)
        assert b"".join(served.streaming_content).startswith(b"\x89PNG")
        served.file_to_stream.close()  # close() would also end the test's database connection
    page = client.get(organization.get_absolute_url()).content.decode()
    assert organization.logo.url in page


def test_public_owners_files_open_to_everyone(client):
    """The rules of a published competition, a published event's material and a public
    library item's file are read by anyone — still through the view."""
    official = _official()
    competition = open_competition(official)
    competitions.competition_rules_document(
        actor=official, competition=competition, upload=pdf("polozhenie.pdf")
    )
    event = EventFactory(kind=Event.Kind.SEMINAR)
    material = event_services.event_material_add(
        actor=official, event=event, kind="material", title="Слайды", file=pdf("slides.pdf")
    )
    item = library.library_item_create(
        actor=UserFactory(is_coordinator=True), title="Памятка", kind="guide", file=pdf()
    )
    for file in (competition.rules_document, material.file, item.files.get().file):
        response = client.get(file.url)
        assert response.status_code == 200, file.url
        assert b"".join(response.streaming_content) == CONTENT


# --- existing installations: the data migrations ---------------------------------------------


def test_the_migration_moves_old_public_uploads_to_private_names(
    settings, django_capture_on_commit_callbacks
):
    from importlib import import_module

    case = attachment_of_a_draft_application()
    attachment = case.instance
    old = f"grants/applications/{timezone.now().year}/smeta.pdf"
    Path(settings.MEDIA_ROOT, old).parent.mkdir(parents=True)
    Path(settings.MEDIA_ROOT, old).write_bytes(b"old upload")
    ApplicationAttachment.objects.filter(pk=attachment.pk).update(file=old, original_name="")
    application = attachment.application
    version = application.versions.create(
        version=1,
        title="Проект",
        requested_amount=Decimal(1),
        submitted_at=timezone.now(),
        attachments=[{"title": "Смета", "file": old}],
    )
    lost = ConsultationMessage.objects.filter(pk=consultation_attachment().instance.pk)
    lost.update(attachment="consultations/9/lost.pdf")

    with django_capture_on_commit_callbacks(execute=True):  # the migration's transaction
        import_module("dobry.grants.migrations.0003_move_files_private").forwards(apps, None)
        import_module("dobry.resources.migrations.0003_move_files_private").forwards(apps, None)

    attachment.refresh_from_db()
    assert re.fullmatch(r"grants/applications/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert attachment.original_name == "smeta.pdf"
    assert not Path(settings.MEDIA_ROOT, old).exists()
    assert Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, attachment.file.name).read_bytes() == (
        b"old upload"
    )
    version.refresh_from_db()
    assert version.attachments == [{"title": "Смета", "file": attachment.file.name}]
    assert lost.get().attachment.name == "consultations/9/lost.pdf"  # nothing to move
    response = login(case.reader).get(attachment.file.url)
    assert b"".join(response.streaming_content) == b"old upload"


def test_the_migration_moves_old_consent_scans_out_of_the_media_folder(
    settings, django_capture_on_commit_callbacks
):
    """Before, scans lay under MEDIA_ROOT as `private/consents/<random>.pdf`, which the
    development server's `/media/` route served to anyone with the link."""
    from importlib import import_module

    case = scan_of_a_paper_consent()
    record = case.instance
    old = "private/consents/Zq3kR8vH2mXw1aB4cD5eFg.pdf"
    Path(settings.MEDIA_ROOT, old).parent.mkdir(parents=True)
    Path(settings.MEDIA_ROOT, old).write_bytes(b"old scan")
    type(record).objects.filter(pk=record.pk).update(scan=old)
    # The leak being closed: what the development server's `/media/` route serves.
    leaked = serve(RequestFactory().get(f"/media/{old}"), old, document_root=settings.MEDIA_ROOT)
    assert b"".join(leaked.streaming_content) == b"old scan"
    leaked.file_to_stream.close()  # close() would also end the test's database connection

    migration = import_module("dobry.accounts.migrations.0004_move_consent_scans_private")
    with django_capture_on_commit_callbacks(execute=True):  # the migration's transaction
        migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice is harmless

    record.refresh_from_db()
    assert re.fullmatch(r"consents/[0-9a-f]{32}\.pdf", record.scan.name), record.scan.name
    assert not Path(settings.MEDIA_ROOT, old).exists()
    for name in (old, record.scan.name):
        with pytest.raises(Http404):
            serve(RequestFactory().get(f"/media/{name}"), name, document_root=settings.MEDIA_ROOT)
    assert Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, record.scan.name).read_bytes() == b"old scan"
    assert login(UserFactory()).get(record.scan.url).status_code == 404
    response = login(case.reader).post(record.scan.url)
    assert b"".join(response.streaming_content) == b"old scan"


def test_erasure_can_delete_an_objects_private_files(django_capture_on_commit_callbacks):
    case = members_only_library_file()
    library_file = LibraryFile.objects.get(pk=case.instance.pk)
    path = Path(settings.DOBRY_PRIVATE_MEDIA_ROOT, library_file.file.name)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_private_files(library_file) == 1
        assert path.exists()  # until the transaction commits
    assert not path.exists()
    assert delete_private_files(EventMaterial(title="без файла")) == 0


@pytest.mark.parametrize(
    ("key", "admin_page"),
    [
        ("grants.competition.rules_document", "/admin/grants/competition/{pk}/change/"),
        ("grants.meeting.signed_protocol", "/admin/grants/meeting/{pk}/change/"),
        (
            "resources.consultationmessage.attachment",
            "/admin/resources/consultation/{consultation}/change/",
        ),
    ],
)
def test_admin_pages_link_private_files_through_the_view(login_as, admin_user, key, admin_page):
    case = CASES[key]()
    url = admin_page.format(
        pk=case.instance.pk, consultation=getattr(case.instance, "consultation_id", None)
    )
    html = login_as(admin_user).get(url).content.decode()
    assert f'href="/files/{key}/{case.instance.pk}/"' in html
    assert settings.MEDIA_URL not in html
