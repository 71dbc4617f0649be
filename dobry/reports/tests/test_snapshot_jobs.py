"""The periodic jobs: storing closed months' values (never an open month), keeping stored
values until a recompute, and warming the open periods' figures."""

from datetime import date, datetime

import pytest

from dobry.core.clock import city_zone
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports import services, tasks
from dobry.reports.models import Indicator, Snapshot
from dobry.reports.periods import month

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


def stored_programmes() -> dict[date, int]:
    return {
        snapshot.month: int(snapshot.value)
        for snapshot in Snapshot.objects.filter(indicator=Indicator.PROGRAMMES)
    }


def test_the_job_stores_last_year_and_the_closed_months_of_this_one(freeze_now):
    freeze_now(local(2026, 3, 15, 12))
    ProgrammeFactory(starts_on=date(2025, 6, 1))
    result = tasks.store_kpi_snapshots.enqueue()
    months = sorted(stored_programmes())
    assert months[0] == date(2025, 1, 1)
    assert months[-1] == date(2026, 2, 1)  # March 2026 is open: computed live
    assert len(months) == 14
    assert result.return_value == 14 * len(Indicator.values)
    assert stored_programmes()[date(2025, 5, 1)] == 0
    assert stored_programmes()[date(2025, 6, 1)] == 1
    assert services.snapshots_due() == 0  # a second run writes nothing


def test_a_month_closes_at_midnight_in_the_city(freeze_now):
    freeze_now(local(2026, 3, 31, 23, 59))
    assert services.snapshots_store(months=[month(2026, 3)]) == 0
    freeze_now(local(2026, 4, 1, 0, 1))
    assert services.snapshots_store(months=[month(2026, 3)]) == len(Indicator.values)


def test_stored_values_stay_unless_recomputed(official, freeze_now):
    freeze_now(local(2026, 3, 15, 12))
    services.snapshots_store(months=[month(2025, 6)])
    ProgrammeFactory(starts_on=date(2025, 6, 1))  # entered late
    services.snapshots_store(months=[month(2025, 6)])
    assert stored_programmes() == {date(2025, 6, 1): 0}
    written = services.snapshots_recompute(actor=official, year_number=2025)
    assert written == 12 * len(Indicator.values)
    assert stored_programmes()[date(2025, 6, 1)] == 1


def test_recomputing_the_running_year_leaves_its_open_months_live(official, freeze_now):
    freeze_now(local(2026, 3, 15, 12))
    written = services.snapshots_recompute(actor=official, year_number=2026)
    assert written == 2 * len(Indicator.values)
    assert sorted(stored_programmes()) == [date(2026, 1, 1), date(2026, 2, 1)]


def test_the_warming_job_names_the_periods_it_computed(freeze_now):
    freeze_now(local(2026, 5, 10, 12))
    result = tasks.warm_reports.enqueue()
    assert result.return_value == ["2026", "2 квартал 2026", "05.2026", "2025"]
    assert services.reports_warm(today=date(2025, 1, 1)) == [
        "2025",
        "1 квартал 2025",
        "01.2025",
        "2024",
    ]
