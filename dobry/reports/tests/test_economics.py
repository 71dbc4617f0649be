"""The economic value of volunteer hours and the cost per resident helped are public, in
the report and the open-data API, each with its rate, setting, formula and period."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.core.numbers import roubles
from dobry.helprequests.models import ProgrammeRecord
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import economics
from dobry.reports.periods import year
from dobry.reports.tests.test_indicators import _hours
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def known_year(settings, resident, coordinator):
    """2025: 15 confirmed hours at 350 ₽/h (5 250 ₽); support worth 10 000 ₽ from the
    budget and 5 000 ₽ from an enterprise; 3 residents helped (5 000 ₽ each)."""
    settings.DOBRY_VOLUNTEER_HOUR_RATE = 350
    _hours(resident, date(2025, 3, 1), 12)
    _hours(coordinator, date(2025, 9, 1), 3)
    _hours(resident, date(2024, 12, 31), 100)  # another year
    for giver, value in (("administration", 10000), ("enterprise", 5000)):
        SupportRecord.objects.create(
            organization=OrganizationFactory(),
            kind="financial",
            date=date(2025, 6, 1),
            description="Субсидия",
            giver=giver,
            value_rub=Decimal(value),
        )
    programme = ProgrammeFactory(starts_on=date(2025, 1, 1))
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=programme,
        month=date(2025, 5, 1),
        people=3,
        first_time=3,
    )


def test_roubles_are_written_the_russian_way():
    assert roubles(Decimal("1234567.4")) == f"1{NBSP}234{NBSP}567{NBSP}₽"
    assert roubles(Decimal("5250.00")) == f"5{NBSP}250{NBSP}₽"
    assert roubles(None) == f"0{NBSP}₽"


def test_the_values_are_right_for_known_data(known_year):
    value, cost = economics.figures(year(2025), fresh=True)
    assert value.value == Decimal(5250)
    assert value.inputs == {"hours": Decimal(15), "rate_per_hour": Decimal(350)}
    assert value.setting == "DOBRY_VOLUNTEER_HOUR_RATE"
    assert value.formula == f"15 ч × 350{NBSP}₽/ч = 5{NBSP}250{NBSP}₽"
    assert "DOBRY_VOLUNTEER_HOUR_RATE" in value.method
    assert "с 1 января 2025 по 31 декабря 2025" in value.method
    assert cost.value == Decimal(5000)
    assert cost.formula == f"(10{NBSP}000{NBSP}₽ + 5{NBSP}000{NBSP}₽) / 3 чел. = 5{NBSP}000{NBSP}₽"
    assert "с 1 января 2025 по 31 декабря 2025" in cost.method


def test_no_residents_helped_costs_nothing_per_resident():
    assert economics.cost_per_resident(year(2025)).value == 0


def test_anonymous_visitors_see_both_with_their_method(client, known_year):
    page = client.get("/reports/public/?year=2025")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Экономическая ценность часов волонтёров" in body
    assert f"5{NBSP}250{NBSP}₽" in body
    assert "Затраты на одного получателя помощи" in body
    assert f"(10{NBSP}000{NBSP}₽ + 5{NBSP}000{NBSP}₽) / 3 чел. = 5{NBSP}000{NBSP}₽" in body
    assert "DOBRY_VOLUNTEER_HOUR_RATE" in body
    assert "350" in body


def test_staff_see_them_too(login_as, official, known_year):
    body = login_as(official).get("/reports/?year=2025").content.decode()
    assert "Экономика практики" in body
    assert f"5{NBSP}250{NBSP}₽" in body


def test_the_kpi_api_gives_both_with_method(client, known_year):
    data = client.get("/api/v1/kpi", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    by_key = {item["indicator"]: item for item in data["economics"]}
    value = by_key["volunteer_value"]
    assert Decimal(value["value"]) == 5250
    assert value["text"] == f"5{NBSP}250{NBSP}₽"
    assert value["setting"] == "DOBRY_VOLUNTEER_HOUR_RATE"
    assert Decimal(value["inputs"]["rate_per_hour"]) == 350
    assert Decimal(value["inputs"]["hours"]) == 15
    assert "DOBRY_VOLUNTEER_HOUR_RATE" in value["method"]
    cost = by_key["cost_per_resident"]
    assert Decimal(cost["value"]) == 5000
    assert Decimal(cost["inputs"]["residents_helped"]) == 3
    assert cost["formula"].endswith(f"= 5{NBSP}000{NBSP}₽")


def test_the_openapi_schema_describes_them(client):
    schema = client.get("/api/v1/openapi.json").json()
    kpi = schema["components"]["schemas"]["KpiOut"]["properties"]
    assert "economics" in kpi
    economic = schema["components"]["schemas"]["EconomicOut"]["properties"]
    assert {"value", "text", "formula", "method", "inputs", "setting"} <= set(economic)
