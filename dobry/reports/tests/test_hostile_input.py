"""Issue 11 §2 examples in reports: years out of range are a clear 4xx or message."""

import pytest

from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "99999", "²", "٢٠٢٦"])
def test_recomputing_snapshots_of_an_absurd_year_is_a_400(login_as, official, year):
    response = login_as(official).post("/reports/snapshots/", {"year": year})
    assert response.status_code == 400
    assert "Параметр «year»" in response.content.decode()
    assert not AuditEntry.objects.filter(action="report.snapshots_recompute").exists()


@pytest.mark.parametrize("year", ["0", "99999", "٢٠٢٦"])
def test_targets_of_an_absurd_year_are_a_400(login_as, official, year):
    response = login_as(official).get("/reports/targets/", {"year": year})
    assert response.status_code == 400


@pytest.mark.parametrize("year", ["0", "99999", "٢٠٢٦"])
def test_a_report_of_an_absurd_year_falls_back_with_the_field_named(login_as, official, year):
    response = login_as(official).get("/reports/", {"kind": "year", "year": year})
    assert response.status_code == 200
    assert "Неверный период" in response.content.decode()
