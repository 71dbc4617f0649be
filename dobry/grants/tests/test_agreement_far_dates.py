"""A project's end far ahead (attacker's finding): moving a project's end to 2100-12-31 was
accepted as a proposal and its approval was a 500 (the final report, due in working days
after it, fell past the production calendar). A project ends by `LAST_PROJECT_DAY`, a year
before the last date the platform takes: the proposal is refused at `ends_on`, and an
application's calendar plan reaching further does not set the project's end."""

from datetime import date

import pytest

from dobry.core.errors import DomainError
from dobry.grants.agreements import schedule
from dobry.grants.models import Amendment, ReportDue
from dobry.grants.services import agreements
from dobry.grants.tests.agreements import draft_agreement, grantee_of, signed_agreement
from dobry.grants.tests.factories import complete_content

pytestmark = pytest.mark.django_db


def test_the_last_project_day_is_a_year_before_the_last_date_taken():
    assert date(2099, 12, 31) == schedule.LAST_PROJECT_DAY


def test_an_end_past_the_last_project_day_is_refused_at_the_field(official):
    agreement = signed_agreement(official)
    with pytest.raises(DomainError) as refused:
        agreements.amendment_propose(
            actor=grantee_of(agreement.application),
            agreement=agreement,
            kind=Amendment.Kind.DATES,
            reason="r",
            ends_on=date(2100, 12, 31),
        )
    assert set(refused.value.field_errors) == {"ends_on"}
    assert not Amendment.objects.filter(agreement=agreement).exists()


def test_the_last_project_day_itself_is_approved_with_its_reports_scheduled(official):
    agreement = signed_agreement(official)
    amendment = agreements.amendment_propose(
        actor=grantee_of(agreement.application),
        agreement=agreement,
        kind=Amendment.Kind.DATES,
        reason="Долгий проект",
        ends_on=schedule.LAST_PROJECT_DAY,
    )
    agreements.amendment_approve(actor=official, amendment=amendment)
    agreement.refresh_from_db()
    assert agreement.ends_on == schedule.LAST_PROJECT_DAY
    final = agreement.reports_due.get(kind=ReportDue.Kind.FINAL)
    assert final.due_on.year == 2100


def test_a_calendar_plan_reaching_past_it_does_not_set_the_projects_end(official):
    calendar = [
        {"title": "Начало", "starts_on": "2026-09-01", "ends_on": "2026-12-25"},
        {"title": "Вечность", "starts_on": "2027-01-10", "ends_on": "2100-12-31"},
    ]
    agreement = draft_agreement(official, content={**complete_content(), "calendar": calendar})
    assert agreement.ends_on == date(2026, 12, 25)
