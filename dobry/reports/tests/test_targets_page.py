"""The targets page: each year shows its own saved targets, only changed values are written,
and the year defaults to this one on the city's clock."""

from datetime import datetime
from decimal import Decimal

import pytest

from dobry.core.clock import city_zone
from dobry.core.models import AuditEntry
from dobry.reports import services

pytestmark = pytest.mark.django_db


def test_each_year_shows_its_own_targets(login_as, official):
    services.target_set(actor=official, indicator="programmes", year=2024, value=Decimal(9))
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(12))
    staff = login_as(official)
    assert staff.get("/reports/targets/?year=2024").context["form"]["programmes"].initial == 9
    assert staff.get("/reports/targets/?year=2025").context["form"]["programmes"].initial == 12
    assert staff.get("/reports/targets/?year=2023").context["form"]["programmes"].initial is None


def test_the_year_defaults_to_this_one_in_the_city(login_as, official, freeze_now):
    freeze_now(datetime(2026, 12, 31, 23, 30, tzinfo=city_zone()))
    assert login_as(official).get("/reports/targets/").context["year"] == 2026
    freeze_now(datetime(2027, 1, 1, 0, 30, tzinfo=city_zone()))  # still 2026 in UTC
    assert login_as(official).get("/reports/targets/").context["year"] == 2027


def test_saving_the_form_writes_only_what_changed(login_as, official):
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(12))
    before = AuditEntry.objects.filter(action="report.target").count()
    answer = login_as(official).post(
        "/reports/targets/", {"year": "2025", "programmes": "12", "helped_residents": "5000"}
    )
    assert answer.status_code == 302
    assert AuditEntry.objects.filter(action="report.target").count() == before + 1
