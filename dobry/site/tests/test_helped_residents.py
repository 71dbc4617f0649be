"""«Residents helped this year»: the help desk's dashboard shows the reports' indicator,
one definition (issue 12) — it used to count phones of done requests itself, missing the
programmes' records and counting a chain of repeated requests without a phone many times."""

from datetime import date

import pytest
from django.utils import timezone

from conftest import login
from dobry.core.clock import local_today
from dobry.helprequests.models import HelpRequest, ProgrammeRecord
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.reports import indicators, periods

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_reports_figure_for_this_year(coordinator):
    today = local_today()
    done, now = HelpRequest.Status.DONE, timezone.now()
    root = HelpRequestFactory(status=done, recipient_phone="", closed_at=now)
    HelpRequestFactory(status=done, recipient_phone="", parent=root, closed_at=now)
    HelpRequestFactory(status=done, recipient_phone="+79130000001", closed_at=now)
    programme = ProgrammeFactory(starts_on=date(today.year, 1, 1))
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=programme,
        month=date(today.year, 1, 1),
        people=7,
        first_time=7,
    )
    expected = int(indicators.helped_residents(periods.year(today.year)).value)
    assert expected == 2 + 7  # the chain counts once, the programme's people count too
    page = login(coordinator).get("/help/dashboard/")
    assert page.context["helped_this_year"] == expected
    assert f'<div class="value">{expected}</div>' in page.text


def test_the_dashboard_is_still_for_coordinators_and_officials(resident, official):
    assert login(resident).get("/help/dashboard/").status_code == 403
    assert login(official).get("/help/dashboard/").status_code == 200
