"""A grantee's report at its edges: each decision refused from each wrong state (409) and
by whom (403), the version after a return and after a second return, the late flag at the
due day's local midnight, refusals of files with their field, and who may read a receipt."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_moment
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.files import private_file_url
from dobry.core.models import AuditEntry
from dobry.grants.models import Agreement, GrantReport, ReportDue, ReportFile
from dobry.grants.services import reports
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.grants.tests.reports import filled, receipt, submitted_report
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
FINAL, INTERIM = ReportDue.Kind.FINAL, ReportDue.Kind.INTERIM


def _opened(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    return reports.report_open(actor=grantee, agreement=agreement, kind=FINAL), grantee


def _accept(official, report):
    return reports.report_accept(actor=official, report=report, rating="successful")


def _return(official, report):
    return reports.report_return(actor=official, report=report, comments={"people": "Уточните"})


@pytest.mark.parametrize("state", ["draft", "returned", "accepted"])
def test_accept_and_return_are_refused_from_each_wrong_state(official, state):
    report, grantee = _opened(official)
    if state != "draft":
        reports.report_save(actor=grantee, report=report, data=filled(report))
        reports.report_submit(actor=grantee, report=report)
        report.refresh_from_db()
        (_return if state == "returned" else _accept)(official, report)
        report.refresh_from_db()
    before = (report.status, report.version, report.rating)
    with pytest.raises(InvalidTransition):
        _accept(official, report)
    with pytest.raises(InvalidTransition):
        _return(official, report)
    report.refresh_from_db()
    assert (report.status, report.version, report.rating) == before


def test_a_submitted_report_is_not_submitted_or_changed_again(official):
    report, grantee = _opened(official)
    reports.report_save(actor=grantee, report=report, data=filled(report))
    reports.report_submit(actor=grantee, report=report)
    report.refresh_from_db()
    with pytest.raises(InvalidTransition):
        reports.report_submit(actor=grantee, report=report)
    with pytest.raises(InvalidTransition):
        reports.report_save(actor=grantee, report=report, data=filled(report))
    with pytest.raises(InvalidTransition):
        reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    assert not ReportFile.objects.exists()


def test_each_return_starts_the_next_version_a_copy_of_the_returned(official):
    report, grantee = _opened(official)
    reports.report_save(actor=grantee, report=report, data=filled(report))
    reports.report_submit(actor=grantee, report=report)
    for expected in (2, 3):
        report.refresh_from_db()
        _return(official, report)
        report.refresh_from_db()
        assert report.status == GrantReport.Status.RETURNED
        assert report.version == expected
        versions = list(report.versions.order_by("version"))
        assert [v.version for v in versions] == list(range(1, expected + 1))
        assert versions[-1].content == versions[-2].content
        assert versions[-1].submitted_at is None
        assert versions[-2].decision == "returned"
        assert versions[-2].comments == {"people": "Уточните"}
        reports.report_submit(actor=grantee, report=report)
    report.refresh_from_db()
    _accept(official, report)
    report.refresh_from_db()
    assert (report.status, report.version) == (GrantReport.Status.ACCEPTED, 3)
    assert report.participants == 40
    assert report.recipients == 12


def test_comments_only_of_spaces_are_not_a_return_and_are_dropped_on_accept(official):
    report = submitted_report(signed_agreement(official))
    with pytest.raises(DomainError):
        reports.report_return(actor=official, report=report, comments={"people": "   "})
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED
    with pytest.raises(DomainError) as refused:
        reports.report_return(actor=official, report=report, comments={"people": 5})
    assert "comments.people" in refused.value.field_errors
    accepted = reports.report_accept(
        actor=official, report=report, rating="successful", comments={"people": " Хорошо "}
    )
    assert accepted.versions.get(version=1).comments == {"people": "Хорошо"}


@pytest.mark.parametrize("rating", ["", "excellent", "SUCCESSFUL", "successful\x00"])
def test_a_final_report_needs_one_of_the_three_ratings(official, rating):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    with pytest.raises(DomainError) as refused:
        reports.report_accept(actor=official, report=report, rating=rating)
    assert refused.value.field_errors == {
        "rating": ["Оцените проект: успешный, удовлетворительный или неудовлетворительный."]
    }
    report.refresh_from_db()
    assert report.status == GrantReport.Status.SUBMITTED
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


# --- the late flag at the city's midnight (Asia/Krasnoyarsk, UTC+7) ----------------------


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (lambda due: local_moment(due, time(23, 59, 59)), False),
        (lambda due: local_moment(due + timedelta(days=1), time(0, 0)), True),
        (lambda due: datetime.combine(due, time(16, 59, 59), tzinfo=UTC), False),
        (lambda due: datetime.combine(due, time(17, 0)), True),
    ],
)
def test_late_begins_at_the_local_midnight_after_the_due_day(official, moment, late):
    report, grantee = _opened(official)
    due = report.agreement.reports_due.get().due_on
    reports.report_save(actor=grantee, report=report, data=filled(report))
    at = moment(due)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    submitted = reports.report_submit(actor=grantee, report=report, now=at)
    assert submitted.submitted_late is late
    entry = AuditEntry.objects.get(action="report.submit")
    assert entry.data["submitted_late"] is late


# --- opening ---------------------------------------------------------------------------


def test_opening_twice_gives_the_same_report_and_one_audit_entry(official):
    report, grantee = _opened(official)
    again = reports.report_open(actor=grantee, agreement=report.agreement, kind=FINAL)
    assert again.pk == report.pk
    assert report.versions.count() == 1
    assert AuditEntry.objects.filter(action="report.open").count() == 1


def test_a_report_the_agreement_does_not_ask_for_is_refused(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    ReportDue.objects.filter(agreement=agreement, kind=INTERIM).delete()
    with pytest.raises(DomainError) as refused:
        reports.report_open(actor=grantee, agreement=agreement, kind=INTERIM)
    assert refused.value.message == "Соглашение не предусматривает такого отчёта."
    assert not GrantReport.objects.exists()


def test_opening_is_the_grantees_and_on_a_signed_agreement_only(official):
    agreement = draft_agreement(official)
    grantee = grantee_of(agreement.application)
    with pytest.raises(InvalidTransition):
        reports.report_open(actor=grantee, agreement=agreement, kind=FINAL)
    signed = signed_agreement(official)
    for person in (official, UserFactory(), MembershipFactory(role="owner").user):
        with pytest.raises(PermissionDenied):
            reports.report_open(actor=person, agreement=signed, kind=FINAL)
    assert not GrantReport.objects.exists()


# --- files -----------------------------------------------------------------------------


def test_an_unknown_file_kind_or_another_agreements_line_is_refused_at_its_field(official):
    report, grantee = _opened(official)
    with pytest.raises(DomainError) as refused:
        reports.report_attach(actor=grantee, report=report, kind="selfie", upload=receipt())
    assert refused.value.field_errors == {"kind": ["Выберите."]}
    other_line = signed_agreement(official).lines.first()
    with pytest.raises(DomainError) as refused:
        reports.report_attach(
            actor=grantee, report=report, kind="receipt", upload=receipt(), line_id=other_line.pk
        )
    assert refused.value.field_errors == {"line": ["Такой статьи в соглашении нет."]}
    assert not ReportFile.objects.exists()


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("photo", "foto.jpg", b"%PDF-1.4 not a picture"),
        ("photo", "foto.png", b"MZ\x90\x00 an executable"),
        ("receipt", "chek.pdf", b"MZ\x90\x00 an executable"),
        ("receipt", "chek.exe", b"%PDF-1.4"),
    ],
)
def test_files_that_lie_about_their_type_are_refused_at_the_file(official, kind, name, content):
    report, grantee = _opened(official)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(DomainError) as refused:
        reports.report_attach(actor=grantee, report=report, kind=kind, upload=upload)
    assert "file" in refused.value.field_errors
    assert not ReportFile.objects.exists()


def test_a_report_holds_at_most_its_limit_of_files(official, monkeypatch):
    monkeypatch.setattr(reports, "FILES_MAX", 1)
    report, grantee = _opened(official)
    reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    with pytest.raises(DomainError) as refused:
        reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    assert refused.value.message == "К отчёту приложено слишком много файлов."
    assert ReportFile.objects.count() == 1


def test_only_the_grantee_removes_a_file(official):
    report, grantee = _opened(official)
    attached = reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    for person in (official, UserFactory()):
        with pytest.raises(PermissionDenied):
            reports.report_detach(actor=person, attached=attached)
    assert ReportFile.objects.count() == 1


def test_a_receipt_is_read_only_by_the_grantee_and_the_organisers(official):
    report, grantee = _opened(official)
    attached = reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    url = private_file_url(attached, "file")
    colleague = MembershipFactory(
        organization=report.agreement.application.organization, role=Membership.Role.MEMBER
    ).user
    readers = {"grantee": grantee, "organiser": official}
    strangers = {
        "outsider": UserFactory(),
        "another organisation": MembershipFactory(role=Membership.Role.OWNER).user,
        "coordinator": UserFactory(is_coordinator=True),
    }
    for who, person in readers.items():
        response = login(person).get(url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == b"%PDF-1.4 receipt", who
    for who, person in strangers.items():
        assert login(person).get(url).status_code in (403, 404), who
    assert Client().get(url).status_code in (302, 403, 404)
    # a plain member of the grantee organisation: as the report page decides
    page = login(colleague).get(report.get_absolute_url()).status_code
    assert (login(colleague).get(url).status_code == 200) == (page == 200)
