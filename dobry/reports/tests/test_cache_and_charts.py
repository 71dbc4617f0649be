"""What the reports keep in the cache — per language, a day for a closed period and
DOBRY_REPORTS_CACHE_SECONDS for an open one — and the charts drawn from the trend."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache

from dobry.core.clock import city_zone
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports import cache, charts
from dobry.reports.periods import year

pytestmark = pytest.mark.django_db


def test_each_language_keeps_its_own_figures(client):
    ProgrammeFactory(starts_on=date(2025, 1, 1))
    russian = client.get("/reports/public/?year=2025")
    assert "Мероприятия инфраструктуры проекта" in russian.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/reports/public/?year=2025").content.decode()
    assert "Project infrastructure events" in english
    assert "Мероприятия инфраструктуры проекта" not in english


@pytest.mark.parametrize(("day", "seconds"), [(date(2026, 6, 15), 600), (date(2025, 12, 31), None)])
def test_a_closed_period_is_kept_a_day_and_an_open_one_minutes(
    settings, freeze_now, monkeypatch, day, seconds
):
    settings.DOBRY_REPORTS_CACHE_SECONDS = 600
    freeze_now(datetime(2026, 6, 15, 12, tzinfo=city_zone()))
    kept: list[int] = []
    monkeypatch.setattr(django_cache, "set", lambda key, value, timeout=None: kept.append(timeout))
    period = year(day.year)
    assert cache.cached("part", period, lambda: "figures") == "figures"
    assert kept[-1] == (seconds or cache.CLOSED_PERIOD_SECONDS)


def test_a_kept_value_is_computed_once_until_forgotten():
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    period = year(2025)
    assert cache.cached("part", period, compute) == 1
    assert cache.cached("part", period, compute) == 1
    assert cache.cached("part", period, compute, fresh=True) == 2
    cache.forget()
    assert cache.cached("part", period, compute) == 3
    # what reads no staff entries is kept through their changes, not through a recompute
    assert cache.cached("hours", period, compute, staff_entered=False) == 4
    cache.forget()
    assert cache.cached("hours", period, compute, staff_entered=False) == 4
    cache.forget(records=True)
    assert cache.cached("hours", period, compute, staff_entered=False) == 5


def test_a_chart_names_itself_and_writes_each_value_once_drawn():
    svg = charts.bar_chart(
        [("01.25", Decimal(0)), ("02.25", Decimal("2.50")), ("<03>", Decimal(10))],
        title='Программы "помощи" по месяцам',
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'aria-label="Программы &quot;помощи&quot; по месяцам"' in svg
    assert "<title>&lt;03&gt;: 10</title>" in svg  # labels escaped
    assert svg.count('class="chart-bar"') == 3
    assert svg.count('class="chart-value"') == 2  # no «0» above an empty bar
    assert ">2,5</text>" in svg
    assert 'height="0.0"' in svg


def test_a_chart_without_points_is_an_empty_frame():
    svg = charts.bar_chart([], title="Пусто")
    assert "chart-bar" not in svg
    assert svg.endswith("</svg>")
