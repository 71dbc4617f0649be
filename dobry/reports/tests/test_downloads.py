"""The report downloads opened and read: the KPI CSV (open data), the XLSX workbook and the
passport DOCX — their values, the partial-period note, targets, bad periods, who may fetch."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from dobry.core.clock import city_zone
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.reports import services
from dobry.reports.models import ReachFigure

pytestmark = pytest.mark.django_db

RUNNING_NOTE = "Неполный период: учтено только то, что уже произошло"


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


def kpi_rows(response) -> dict[str, dict[str, str]]:
    text = response.content.decode("utf-8-sig")
    return {row["indicator"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_kpi_csv_is_open_data_with_value_previous_and_target(client, official):
    ProgrammeFactory(starts_on=date(2024, 6, 1))
    ProgrammeFactory(starts_on=date(2025, 2, 1))
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(3))
    response = client.get("/reports/kpi.csv?kind=year&year=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('kpi-2025-01-01-2025-12-31.csv"')
    rows = kpi_rows(response)
    assert len(rows) == 6
    programmes = rows["programmes"]
    assert (programmes["value"], programmes["previous"], programmes["target"]) == ("2", "1", "3")
    assert (programmes["previous_from"], programmes["previous_to"]) == (
        "01.01.2024",
        "31.12.2024",
    )
    assert rows["helped_residents"]["target"] == ""


def test_the_kpi_csv_writes_every_number_one_way(client, official, settings):
    """A target is kept with two decimals (3.00), a share with one (15.0), a count with none:
    each is written as its shortest exact decimal, never «3.00» beside «2»."""
    settings.DOBRY_POPULATION = 1000
    ProgrammeFactory(starts_on=date(2025, 2, 1))
    ReachFigure.objects.create(
        date=date(2025, 3, 1), channel="media", title="Газета", source="тираж", people=150
    )
    for indicator, value in (("programmes", "3"), ("informed_share", "12.50")):
        services.target_set(actor=official, indicator=indicator, year=2025, value=Decimal(value))
    rows = kpi_rows(client.get("/reports/kpi.csv?kind=year&year=2025"))
    assert [rows["programmes"][c] for c in ("value", "previous", "target")] == ["1", "0", "3"]
    informed = [rows["informed_share"][c] for c in ("value", "previous", "target")]
    assert informed == ["15", "0", "12.5"]  # 150 of 1 000 is 15.0 %
    for row in rows.values():
        for column in ("value", "previous", "target"):
            assert not row[column].endswith((".0", ".00")), (row["indicator"], column)


@pytest.mark.parametrize(
    "query", ["kind=custom", "kind=month&month=13", "from=2025-02-30", "kind=year&year=0"]
)
def test_the_kpi_csv_of_a_bad_period_is_a_plain_400(client, query):
    response = client.get(f"/reports/kpi.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Неверный период" in response.content.decode()


@pytest.mark.parametrize("url", ["/reports/indicators.xlsx", "/reports/passport.docx"])
def test_a_download_of_a_bad_period_goes_back_to_the_dashboard_saying_why(login_as, official, url):
    staff = login_as(official)
    response = staff.get(f"{url}?kind=custom&from=позавчера")
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    page = staff.get(response["Location"])
    assert any("Неверный период" in str(m) for m in page.context["messages"])


@pytest.mark.parametrize("url", ["/reports/indicators.xlsx", "/reports/passport.docx"])
def test_downloads_are_for_staff_only(client, login_as, outsider, coordinator, url):
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 403
    assert login_as(coordinator).get(url).status_code == 200


def test_a_running_year_is_marked_partial_in_the_workbook_and_the_passport(
    login_as, official, freeze_now
):
    freeze_now(local(2026, 5, 10, 12))
    ProgrammeFactory(starts_on=date(2026, 2, 1))
    services.target_set(actor=official, indicator="programmes", year=2026, value=Decimal(4))
    staff = login_as(official)
    workbook = load_workbook(io.BytesIO(staff.get("/reports/indicators.xlsx?year=2026").content))
    summary = list(workbook["Показатели"].iter_rows(values_only=True))
    assert summary[0][:5] == ("Показатель", "Значение", "Единица", "Предыдущий период", "Цель")
    assert len(summary) == 1 + 6 + 1
    assert summary[-1][0].startswith(RUNNING_NOTE)
    assert "10 мая 2026" in summary[-1][0]
    programmes = summary[5]
    assert (programmes[1], programmes[3], programmes[4]) == (1, 0, 4)
    document = Document(io.BytesIO(staff.get("/reports/passport.docx?year=2026").content))
    assert any(p.text.startswith(RUNNING_NOTE) for p in document.paragraphs)
    comment = document.tables[0].rows[5].cells[3].text
    assert comment.startswith("предыдущий период: 0; цель: 4.")


def test_a_closed_year_has_no_partial_note(login_as, official, freeze_now):
    freeze_now(local(2026, 5, 10, 12))
    staff = login_as(official)
    workbook = load_workbook(io.BytesIO(staff.get("/reports/indicators.xlsx?year=2025").content))
    assert len(list(workbook["Показатели"].iter_rows())) == 1 + 6
    document = Document(io.BytesIO(staff.get("/reports/passport.docx?year=2025").content))
    assert not any(p.text.startswith(RUNNING_NOTE) for p in document.paragraphs)


def test_a_programme_named_like_a_formula_stays_text_in_the_workbook(login_as, official):
    ProgrammeFactory(starts_on=date(2025, 1, 1), name='=HYPERLINK("http://evil.example","x")')
    content = login_as(official).get("/reports/indicators.xlsx?year=2025").content
    cell = load_workbook(io.BytesIO(content))["5. Программы помощи"]["A2"]
    assert cell.data_type == "s"
    assert "HYPERLINK" in cell.value


def test_a_period_across_two_years_shows_no_target(login_as, official):
    services.target_set(actor=official, indicator="programmes", year=2025, value=Decimal(3))
    page = login_as(official).get("/reports/?kind=custom&from=2024-12-01&to=2025-01-31")
    assert page.status_code == 200
    assert all(row.target is None for row in page.context["rows"])
    assert all(row.reached is None for row in page.context["rows"])
