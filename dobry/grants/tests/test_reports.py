"""The grantee's reports: opened on a signed agreement, filled, submitted (late after the due
day), returned with comments per section — the reply is the next version, the submitted one
kept — accepted; the accepted final report closes the project with a rating."""

from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.clock import local_moment, local_today
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants import notifications as kinds
from dobry.grants.models import Agreement, GrantReport, ReportDue, ReportFile, ReportVersion
from dobry.grants.reporting.deadlines import is_late
from dobry.grants.services import reports
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.grants.tests.reports import filled, receipt, submitted_report
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
FINAL = ReportDue.Kind.FINAL


def _opened(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    return reports.report_open(actor=grantee, agreement=agreement, kind=FINAL), grantee


def test_a_report_starts_from_the_agreements_calendar_targets_and_budget(official):
    report, grantee = _opened(official)
    agreement = report.agreement
    content = reports.current_version(report).content
    assert [row["title"] for row in content["activities"]] == [
        row["title"] for row in agreement.calendar
    ]
    assert [row["target"] for row in content["indicators"]] == ["40"]
    assert [row["line"] for row in content["spending"]] == [
        line.pk for line in agreement.lines.all()
    ]
    assert (report.status, report.version) == (GrantReport.Status.DRAFT, 1)
    # opening again gives the same report
    assert reports.report_open(actor=grantee, agreement=agreement, kind=FINAL) == report


def test_only_the_grantee_opens_a_report_and_only_on_a_signed_agreement(official):
    agreement = signed_agreement(official)
    for stranger in (UserFactory(), official):
        with pytest.raises(PermissionDenied):
            reports.report_open(actor=stranger, agreement=agreement, kind=FINAL)
    draft = draft_agreement(official)
    with pytest.raises(InvalidTransition):
        reports.report_open(actor=grantee_of(draft.application), agreement=draft, kind=FINAL)
    with pytest.raises(DomainError):  # a short project has no interim report
        reports.report_open(
            actor=grantee_of(agreement.application),
            agreement=agreement,
            kind=ReportDue.Kind.INTERIM,
        )


def test_titles_targets_and_amounts_stay_the_agreements_whatever_is_sent(official):
    report, grantee = _opened(official)
    data = filled(report)
    data["indicators"][0] |= {"target": "1", "name": "Подменено"}
    data["spending"][0] |= {"amount": "1", "item": "Подменено"}
    version = reports.report_save(actor=grantee, report=report, data=data)
    assert version.content["indicators"][0]["target"] == "40"
    assert version.content["indicators"][0]["achieved"] == "42"
    line = report.agreement.lines.first()
    assert version.content["spending"][0]["amount"] == str(line.amount)
    assert version.content["spending"][0]["item"] == line.item


@pytest.mark.parametrize(
    ("part", "field"),
    [
        ({"participants": -1}, "participants"),
        ({"participants": "٣"}, "participants"),
        ({"recipients": 10**12}, "recipients"),
        ({"recipients": True}, "recipients"),
        ({"indicators": [{"achieved": "много"}]}, "indicators.0.achieved"),
        ({"indicators": [{"achieved": "NaN"}]}, "indicators.0.achieved"),
        ({"publications": [{"title": "x", "url": "javascript:alert(1)"}]}, "publications.0.url"),
        ({"publications": [{"title": "x" * 301, "url": "https://a.ru"}]}, "publications.0.title"),
        ({"activities": [{"note": "\x00"}]}, "activities.0.note"),
        ({"activities": [{"note": "я" * 2001}]}, "activities.0.note"),
    ],
)
def test_hostile_values_are_refused_at_their_field(official, part, field):
    report, grantee = _opened(official)
    with pytest.raises(DomainError) as refused:
        reports.report_save(actor=grantee, report=report, data=part)
    assert field in refused.value.field_errors


def test_spending_is_refused_below_zero_or_past_the_kopeck(official):
    report, grantee = _opened(official)
    line = report.agreement.lines.first()
    for spent in ("-1", "10.001", "1e400"):
        with pytest.raises(DomainError) as refused:
            reports.report_save(
                actor=grantee, report=report, data={"spending": [{"line": line.pk, "spent": spent}]}
            )
        assert f"spending.{line.pk}.spent" in refused.value.field_errors


def test_a_report_is_submitted_only_when_complete(official):
    report, grantee = _opened(official)
    with pytest.raises(DomainError) as refused:
        reports.report_submit(actor=grantee, report=report)
    assert {"participants", "recipients", "indicators.0.achieved"} <= set(
        refused.value.field_errors
    )
    reports.report_save(actor=grantee, report=report, data=filled(report))
    submitted = reports.report_submit(actor=grantee, report=report)
    assert submitted.status == GrantReport.Status.SUBMITTED
    assert not submitted.submitted_late
    with pytest.raises(InvalidTransition):
        reports.report_save(actor=grantee, report=submitted, data=filled(submitted))
    with pytest.raises(InvalidTransition):
        reports.report_submit(actor=grantee, report=submitted)


def test_a_report_submitted_after_the_due_day_is_late(official):
    report, grantee = _opened(official)
    due = report.agreement.reports_due.get()
    reports.report_save(actor=grantee, report=report, data=filled(report))
    assert not is_late(report, due, due.due_on)
    assert is_late(report, due, due.due_on + timedelta(days=1))  # not submitted by it
    late = local_moment(due.due_on + timedelta(days=1), time(0, 5))
    submitted = reports.report_submit(actor=grantee, report=report, now=late)
    assert submitted.submitted_late
    assert is_late(submitted, due, due.due_on)


def test_on_the_due_day_late_in_the_evening_is_still_on_time(official):
    report, grantee = _opened(official)
    due = report.agreement.reports_due.get()
    reports.report_save(actor=grantee, report=report, data=filled(report))
    evening = local_moment(due.due_on, time(23, 55))
    assert not reports.report_submit(actor=grantee, report=report, now=evening).submitted_late


def test_return_keeps_the_submitted_version_and_the_reply_is_the_next(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    report = submitted_report(agreement)
    with pytest.raises(DomainError):  # a return says what to change
        reports.report_return(actor=official, report=report, comments={"spending": " "})
    returned = reports.report_return(
        actor=official, report=report, comments={"spending": "Нет чека за аренду"}
    )
    assert (returned.status, returned.version) == (GrantReport.Status.RETURNED, 2)
    first = ReportVersion.objects.get(report=report, version=1)
    assert first.decision == ReportVersion.Decision.RETURNED
    assert first.comments == {"spending": "Нет чека за аренду"}
    data = filled(returned) | {"participants": 41}
    reports.report_save(actor=grantee, report=returned, data=data)
    first.refresh_from_db()
    assert first.content["participants"] == 40  # the submitted version is kept as it was
    resubmitted = reports.report_submit(actor=grantee, report=returned)
    assert resubmitted.status == GrantReport.Status.SUBMITTED
    notes = Notification.objects.filter(kind=kinds.REPORT_RETURNED)
    assert [n.user for n in notes] == [grantee]
    assert notes.get().url == report.get_absolute_url()


def test_an_unknown_section_or_a_long_comment_is_refused(official):
    report = submitted_report(signed_agreement(official))
    for comments in ({"nonsense": "x"}, {"spending": "я" * 5001}, {"spending": 5}):
        with pytest.raises(DomainError):
            reports.report_return(actor=official, report=report, comments=comments)


def test_the_accepted_final_report_closes_the_project_with_a_rating(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    with pytest.raises(DomainError) as refused:
        reports.report_accept(actor=official, report=report)
    assert "rating" in refused.value.field_errors
    accepted = reports.report_accept(
        actor=official,
        report=report,
        comments={"people": "Спасибо"},
        rating=GrantReport.Rating.SUCCESSFUL,
    )
    assert (accepted.status, accepted.rating) == (GrantReport.Status.ACCEPTED, "successful")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CLOSED
    assert Notification.objects.get(kind=kinds.REPORT_ACCEPTED).user == grantee_of(
        agreement.application
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"report.open", "report.save", "report.submit", "report.accept"} <= actions
    with pytest.raises(InvalidTransition):
        reports.report_accept(actor=official, report=accepted, rating="successful")


def test_only_those_who_run_the_competition_decide(official):
    agreement = signed_agreement(official)
    report = submitted_report(agreement)
    grantee = grantee_of(agreement.application)
    other = MembershipFactory(role=Membership.Role.OWNER).user
    for person in (grantee, other, UserFactory()):
        with pytest.raises(PermissionDenied):
            reports.report_accept(actor=person, report=report, rating="successful")
        with pytest.raises(PermissionDenied):
            reports.report_return(actor=person, report=report, comments={"people": "x"})
    with pytest.raises(PermissionDenied):
        reports.report_save(actor=other, report=report, data={})


def test_receipts_attach_to_a_budget_line_and_photos_must_be_pictures(official):
    report, grantee = _opened(official)
    line = report.agreement.lines.first()
    attached = reports.report_attach(
        actor=grantee, report=report, kind="receipt", upload=receipt(), line_id=line.pk
    )
    assert (attached.line, attached.version, attached.file_name) == (line, 1, "chek.pdf")
    with pytest.raises(DomainError):
        reports.report_attach(actor=grantee, report=report, kind="photo", upload=receipt())
    with pytest.raises(DomainError):
        reports.report_attach(
            actor=grantee, report=report, kind="receipt", upload=receipt(), line_id=10**9
        )
    disguised = SimpleUploadedFile("chek.pdf", b"<html><script>", content_type="application/pdf")
    with pytest.raises(DomainError):
        reports.report_attach(actor=grantee, report=report, kind="receipt", upload=disguised)
    reports.report_detach(actor=grantee, attached=attached)
    assert not ReportFile.objects.exists()


def test_files_of_a_submitted_version_stay(official):
    report, grantee = _opened(official)
    attached = reports.report_attach(actor=grantee, report=report, kind="receipt", upload=receipt())
    reports.report_save(actor=grantee, report=report, data=filled(report))
    reports.report_submit(actor=grantee, report=report)
    report.refresh_from_db()
    reports.report_return(actor=official, report=report, comments={"spending": "Чек нечитаем"})
    report.refresh_from_db()
    attached.refresh_from_db()
    with pytest.raises(InvalidTransition):
        reports.report_detach(actor=grantee, attached=attached)


def test_the_interim_report_takes_no_rating_and_leaves_the_project_running(official):
    long_project = [{"title": "Проект", "starts_on": "2027-02-01", "ends_on": "2027-11-30"}]
    from dobry.grants.tests.factories import complete_content

    agreement = signed_agreement(official, content={**complete_content(), "calendar": long_project})
    assert agreement.reports_due.filter(kind=ReportDue.Kind.INTERIM).exists()
    report = submitted_report(agreement, ReportDue.Kind.INTERIM)
    with pytest.raises(DomainError):
        reports.report_accept(actor=official, report=report, rating="successful")
    reports.report_accept(actor=official, report=report)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_a_report_not_submitted_by_the_due_day_is_late(official):
    agreement = signed_agreement(official)
    due = agreement.reports_due.get()
    assert is_late(None, due, due.due_on + timedelta(days=1))
    assert not is_late(None, due, min(due.due_on, local_today()))
