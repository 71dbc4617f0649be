"""The public report: aggregate figures only, for anyone, in a fixed number of queries; the
staff dashboard adds the breakdowns and what lies beyond the passport."""

from datetime import date

import pytest

from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports.periods import year
from dobry.reports.services import snapshots_store

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "outsider", "official"])
def test_everyone_reads_the_same_public_figures(client, login_as, outsider, official, who):
    ProgrammeFactory(starts_on=date(2024, 3, 1))
    ProgrammeFactory(starts_on=date(2025, 3, 1))
    reader = {"anonymous": client, "outsider": login_as(outsider), "official": login_as(official)}
    page = reader[who].get("/reports/public/?kind=year&year=2025")
    assert page.status_code == 200
    rows = {row.figure.key: row for row in page.context["rows"]}
    assert rows["programmes"].figure.value == 2
    assert rows["programmes"].previous.value == 1
    assert page.context["public"] is True
    assert "breakdowns" not in page.context
    assert "beyond" not in page.context


def test_the_staff_dashboard_adds_breakdowns_and_beyond(login_as, coordinator):
    page = login_as(coordinator).get("/reports/?kind=quarter&year=2025&quarter=2")
    assert page.status_code == 200
    assert page.context["public"] is False
    assert page.context["period"].label == "2 квартал 2025"
    assert page.context["previous"].label == "1 квартал 2025"
    assert "breakdowns" in page.context
    assert "beyond" in page.context


@pytest.mark.parametrize("count", [1, 8])
def test_the_public_report_keeps_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for number in range(count):
        ProgrammeFactory(starts_on=date(2025, 1 + number, 1))
    snapshots_store(months=year(2025).months())  # what the daily job does
    with django_assert_max_num_queries(22):  # trend months are stored: none computed
        assert client.get("/reports/public/?kind=year&year=2025").status_code == 200
