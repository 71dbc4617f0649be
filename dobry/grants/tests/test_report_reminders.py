"""Reminders of the reports due under an agreement: 14 and 3 days before, each exactly once
whatever how often the scheduler runs, only under a signed agreement, to the grantee."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import translation

from dobry.communications.models import Notification
from dobry.communications.rendering import render_params
from dobry.core.clock import local_moment
from dobry.grants import notifications as kinds
from dobry.grants.models import GrantReport, ReportDue
from dobry.grants.services import agreements
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.site.schedule import JOBS

pytestmark = pytest.mark.django_db


def _days_before(report: ReportDue, days: int) -> datetime:
    """Noon of the city's day `days` before the report is due."""
    return local_moment(report.due_on - timedelta(days=days), time(12, 0))


def _reminders() -> list[Notification]:
    return list(Notification.objects.filter(kind=kinds.REPORT_DUE).order_by("pk"))


def test_the_grantee_is_reminded_fourteen_and_three_days_before_each_once(official):
    agreement = signed_agreement(official)
    report = agreement.reports_due.get()
    grantee = grantee_of(agreement.application)
    assert agreements.remind_report_deadlines(now=_days_before(report, 15)) == 0
    assert agreements.remind_report_deadlines(now=_days_before(report, 14)) == 1
    for days in (14, 13, 10, 4):  # the scheduler runs again and again
        assert agreements.remind_report_deadlines(now=_days_before(report, days)) == 0
    assert agreements.remind_report_deadlines(now=_days_before(report, 3)) == 1
    for days in (3, 2, 1, 0):
        assert agreements.remind_report_deadlines(now=_days_before(report, days)) == 0
    sent = _reminders()
    assert [n.user for n in sent] == [grantee, grantee]
    assert all(n.url == agreement.get_absolute_url() for n in sent)
    report.refresh_from_db()
    assert report.reminded_14_at is not None
    assert report.reminded_3_at is not None


def test_a_report_already_near_gets_only_the_nearer_reminder(official):
    agreement = signed_agreement(official)
    report = agreement.reports_due.get()
    assert agreements.remind_report_deadlines(now=_days_before(report, 2)) == 1
    assert agreements.remind_report_deadlines(now=_days_before(report, 1)) == 0
    report.refresh_from_db()
    assert report.reminded_14_at is None
    assert len(_reminders()) == 1


def test_no_reminder_after_the_due_day(official):
    agreement = signed_agreement(official)
    report = agreement.reports_due.get()
    assert agreements.remind_report_deadlines(now=_days_before(report, -1)) == 0
    assert _reminders() == []


def test_no_reminder_under_a_draft_or_a_terminated_agreement(official):
    draft = draft_agreement(official)
    report = draft.reports_due.get()
    assert agreements.remind_report_deadlines(now=_days_before(report, 3)) == 0
    ended = agreements.agreement_terminate(
        actor=official, agreement=signed_agreement(official), reason="Отказ"
    )
    assert agreements.remind_report_deadlines(now=_days_before(ended.reports_due.get(), 3)) == 0
    assert _reminders() == []


def test_the_organisations_editors_are_reminded_too_and_members_not(official):
    agreement = signed_agreement(official)
    organization = agreement.application.organization
    editor = MembershipFactory(organization=organization, role=Membership.Role.EDITOR).user
    member = MembershipFactory(organization=organization, role=Membership.Role.MEMBER).user
    report = agreement.reports_due.get()
    agreements.remind_report_deadlines(now=_days_before(report, 3))
    people = {n.user for n in _reminders()}
    assert editor in people
    assert member not in people
    assert grantee_of(agreement.application) in people


def test_the_reminder_says_which_report_and_when(official):
    agreement = signed_agreement(official)
    report = agreement.reports_due.get()
    agreements.remind_report_deadlines(now=_days_before(report, 3))
    [notification] = _reminders()
    with translation.override("ru"):
        subject, body = render_params(notification.kind, notification.params)
    assert subject == "Напоминание: скоро срок отчёта по гранту"
    assert body == (
        f"Итоговый отчёт по соглашению № {agreement.number} нужно сдать до "
        f"{report.due_on:%d.%m.%Y}: осталось 3 дня."
    )


def test_the_reminders_run_on_the_sites_schedule():
    assert "remind_grant_reports" in {job.name for job in JOBS}


def test_no_reminder_for_a_report_already_handed_in(official):
    # A grantee who handed the report in early was still told it was due.
    agreement = signed_agreement(official)
    due = agreement.reports_due.get()
    handed = GrantReport.objects.create(
        agreement=agreement, kind=due.kind, status=GrantReport.Status.SUBMITTED
    )
    assert agreements.remind_report_deadlines(now=_days_before(due, 14)) == 0
    GrantReport.objects.filter(pk=handed.pk).update(status=GrantReport.Status.ACCEPTED)
    assert agreements.remind_report_deadlines(now=_days_before(due, 13)) == 0
    # Returned to the grantee, it is due again: the nearer reminder goes (negative control).
    GrantReport.objects.filter(pk=handed.pk).update(status=GrantReport.Status.RETURNED)
    assert agreements.remind_report_deadlines(now=_days_before(due, 3)) == 1
