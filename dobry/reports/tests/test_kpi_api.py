"""The open-data KPI endpoint: which period each combination of dates asks for, the figures
from known records, bad dates, and how many queries one call costs."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.core.clock import city_zone
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports import services

pytestmark = pytest.mark.django_db


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


def figures(data) -> dict[str, dict]:
    return {item["indicator"]: item for item in data["indicators"]}


def test_only_an_end_date_counts_from_the_first_of_january_of_its_year(client, freeze_now):
    freeze_now(local(2026, 5, 10, 12))
    data = client.get("/api/v1/kpi", {"to": "2025-03-31"}).json()
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-03-31")
    assert data["partial"] is False
    # a calendar quarter: compared with the previous quarter
    assert (data["previous_from"], data["previous_to"]) == ("2024-10-01", "2024-12-31")


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-06-01"},
        {"from": "2100-01-01"},  # the attacker's: «informed_share 10.1», «с 1 января 2100 по …»
        {"from": "2100-01-01", "to": "2100-12-31"},
        {"from": "2026-05-11", "to": "2026-05-31"},  # tomorrow in the city
    ],
)
def test_a_period_not_begun_is_refused_naming_the_start(client, freeze_now, params):
    freeze_now(local(2026, 5, 10, 12))
    response = client.get("/api/v1/kpi", params)
    assert response.status_code == 422
    assert response.json() == {
        "message": "Период ещё не начался: за него пока нечего считать. Выберите период, "
        "который начинается не позже 10 мая 2026.",
        "errors": {"from": ["Период ещё не начался."]},
    }


def test_a_period_begun_today_in_the_city_is_counted_to_today(client, freeze_now):
    freeze_now(local(2026, 5, 10, 0, 30))  # 17:30 UTC on 9 May: already the 10th in the city
    data = client.get("/api/v1/kpi", {"from": "2026-05-10", "to": "2026-05-31"}).json()
    assert (data["from"], data["to"], data["counted_to"]) == (
        "2026-05-10",
        "2026-05-31",
        "2026-05-10",
    )
    assert data["partial"] is True
    hours = [e for e in data["economics"] if "10 мая 2026" in e["method"]]
    assert hours, "the method names the days counted, ending today"
    assert all("2100" not in e["method"] for e in data["economics"])


def test_the_figures_come_from_the_records_with_the_target(client, official):
    ProgrammeFactory(starts_on=date(2024, 3, 1))
    ProgrammeFactory(starts_on=date(2025, 3, 1))
    ProgrammeFactory(starts_on=date(2025, 4, 1))
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(2))
    data = client.get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    programmes = figures(data)["programmes"]
    assert Decimal(programmes["value"]) == 3
    assert Decimal(programmes["previous"]) == 1
    assert Decimal(programmes["target"]) == 2
    assert figures(data)["helped_residents"]["target"] is None
    assert len(data["indicators"]) == 6
    assert {item["indicator"] for item in data["economics"]}


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-02-30"},
        {"from": "вчера"},
        {"to": "2025-13-01"},
        {"from": "2025-03-01", "to": "2025-02-01"},
    ],
)
def test_bad_dates_are_a_client_error_not_a_crash(client, params):
    response = client.get("/api/v1/kpi", params)
    assert 400 <= response.status_code < 500


def test_a_signed_in_outsider_reads_the_same_open_data(client, login_as, outsider):
    ProgrammeFactory(starts_on=date(2025, 3, 1))
    anonymous = client.get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    signed_in = (
        login_as(outsider).get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    )
    assert figures(anonymous)["programmes"]["value"] == figures(signed_in)["programmes"]["value"]


def test_one_call_has_a_query_budget(client, django_assert_max_num_queries):
    for month in range(1, 6):
        ProgrammeFactory(starts_on=date(2025, month, 1))
    # six figures for two periods, economics, charity (2), grant money per area (3)
    with django_assert_max_num_queries(26):
        response = client.get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
