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


# A report compares its period with the one before, and the platform's dates start on
# 1 January 1990: a period whose comparison would start earlier is refused with the
# earliest start that works — it was a 500 on every report page and export.
EARLY = "Отчёт сравнивает период с предыдущим такой же длины"


@pytest.mark.parametrize(
    "query",
    [
        {"year": "1990"},
        {"kind": "quarter", "year": "1990", "quarter": "1"},
        {"kind": "month", "year": "1990", "month": "1"},
        {"kind": "custom", "from": "1990-01-01", "to": "1990-01-31"},
    ],
)
def test_a_report_of_the_first_accepted_dates_falls_back_with_the_reason(
    client, login_as, official, query
):
    for response in (
        client.get("/reports/public/", query),
        login_as(official).get("/reports/", query),
    ):
        assert response.status_code == 200
        assert EARLY in response.content.decode()


def test_the_open_data_of_the_year_1990_is_a_400_with_the_reason(client):
    response = client.get("/reports/kpi.csv", {"year": "1990"})
    assert response.status_code == 400
    assert EARLY in response.content.decode()


@pytest.mark.parametrize("path", ["/reports/indicators.xlsx", "/reports/passport.docx"])
def test_a_staff_export_of_the_year_1990_goes_back_with_the_reason(login_as, official, path):
    response = login_as(official).get(path, {"year": "1990"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/reports/")
    assert EARLY in response.content.decode()


def test_the_first_year_with_a_year_before_it_is_reported_without_a_form_error(login_as, official):
    page = login_as(official).get("/reports/", {"year": "1991"}).content.decode()
    assert EARLY not in page
    assert "больше либо равно" not in page
    assert "1991" in page


def test_the_api_refuses_a_period_that_cannot_be_compared_naming_from(client):
    response = client.get("/api/v1/kpi", {"from": "1990-01-01", "to": "1990-12-31"})
    assert response.status_code == 422
    body = response.json()
    assert EARLY in body["message"]
    assert "начинается 1 января 1991 или позже" in body["message"]
    assert "from" in body["errors"]


def test_a_custom_period_whose_comparison_fits_is_reported(client):
    # June 1990 compares with May 1990: both within the accepted dates.
    response = client.get("/api/v1/kpi", {"from": "1990-06-01", "to": "1990-06-30"})
    assert response.status_code == 200
    assert response.json()["previous_from"] == "1990-05-01"
