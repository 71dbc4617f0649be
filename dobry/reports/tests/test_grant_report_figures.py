"""Accepted grant reports in the passport's indicators: the final reports' participants in
indicator 3 and recipients in indicator 6, added as reported (numbers without names), by
the day each was accepted; an interim report and a returned one count nothing."""

import pytest
from django.utils import timezone

from dobry.core.clock import local_today
from dobry.grants.services import reports
from dobry.grants.tests.agreements import signed_agreement
from dobry.grants.tests.reports import submitted_report
from dobry.reports import indicators
from dobry.reports.periods import year

pytestmark = pytest.mark.django_db


def _figures():
    figures = indicators.passport(year(local_today().year))
    return {figure.key: figure for figure in figures}


def test_the_final_reports_counts_are_added_as_reported(official):
    before = _figures()
    accepted = submitted_report(signed_agreement(official))  # 40 participants, 12 recipients
    reports.report_accept(actor=official, report=accepted, rating="successful")
    returned = submitted_report(signed_agreement(official))
    reports.report_return(actor=official, report=returned, comments={"people": "Уточните"})
    after = _figures()
    involved, helped = after["involved_share"], after["helped_residents"]
    assert involved.parts["grant_participants"] == 40
    assert before["involved_share"].parts["grant_participants"] == 0
    assert helped.parts["grant_recipients"] == 12
    assert helped.value == before["helped_residents"].value + 12
    assert "без имён" in involved.method
    assert "без имён" in helped.method
    assert "grant_participants" in indicators.part_labels()


def test_a_report_accepted_in_another_year_is_not_in_this_one(official):
    report = submitted_report(signed_agreement(official))
    reports.report_accept(actor=official, report=report, rating="successful")
    report.decided_at = timezone.now().replace(year=timezone.now().year - 2)
    report.save(update_fields=["decided_at"])
    assert _figures()["helped_residents"].parts["grant_recipients"] == 0
