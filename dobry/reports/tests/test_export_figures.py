"""The figures in the downloads, exact for a known year (`test_economics.known_year`: 15
confirmed hours at 350 ₽/h, support of 10 000 ₽ from the budget and 5 000 ₽ from an
enterprise, 3 residents helped by a programme's records): the same numbers as the pages,
numbers as number cells in XLSX and in the passport's own writing in DOCX."""

import csv
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from dobry.reports import services
from dobry.reports.tests.test_economics import NBSP, known_year  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(login_as, official, known_year):  # noqa: F811
    services.target_set(actor=official, indicator="helped_residents", year=2025, value=Decimal(5))
    content = login_as(official).get("/reports/indicators.xlsx?year=2025").content
    return load_workbook(io.BytesIO(content))


def sheet_rows(workbook, title: str) -> list[tuple]:
    return list(workbook[title].iter_rows(min_row=2, values_only=True))


def test_the_economics_sheet_gives_both_figures_in_whole_roubles(workbook):
    rows = sheet_rows(workbook, "Экономика практики")
    assert [row[:2] for row in rows] == [
        ("Экономическая ценность часов волонтёров", 5250),
        ("Затраты на одного получателя помощи", 5000),
    ]
    assert rows[0][2] == f"15 ч × 350{NBSP}₽/ч = 5{NBSP}250{NBSP}₽"
    assert rows[1][2] == f"(10{NBSP}000{NBSP}₽ + 5{NBSP}000{NBSP}₽) / 3 чел. = 5{NBSP}000{NBSP}₽"
    assert "DOBRY_VOLUNTEER_HOUR_RATE" in rows[0][3]
    assert workbook["Экономика практики"]["B2"].data_type == "n"


def test_the_money_sheet_splits_budget_and_extra_budgetary_sources(workbook):
    assert sheet_rows(workbook, "Средства практики") == [
        ("бюджет (администрация, муниципальные учреждения)", 10000),
        ("внебюджетные средства (предприятия, ресурсный центр)", 5000),
        ("всего", 15000),
        ("на одного получателя помощи", 5000),
    ]
    assert all(cell.data_type == "n" for cell in workbook["Средства практики"]["B"][1:])


def test_the_support_sheet_lists_each_sum(workbook):
    rows = sheet_rows(workbook, "4. Поддержка организаций")
    assert sorted(row[4] for row in rows) == [5000, 10000]
    assert {(row[2], row[3]) for row in rows} == {("финансовая", "Субсидия")}


def test_the_summary_has_values_previous_and_targets_as_numbers(workbook):
    summary = {row[0]: row for row in sheet_rows(workbook, "Показатели")}
    helped = summary["Жители, получившие помощь"]
    assert helped[1:5] == (3, "человек", 0, 5)
    supported = summary["Организации, получившие поддержку"]
    assert (supported[1], supported[4]) == (2, None)  # no target: an empty cell
    assert all(isinstance(row[1], int | float) for row in summary.values())


def test_the_hours_breakdowns_add_up_to_the_year(workbook):
    ages = sheet_rows(workbook, "Волонтёры по возрасту")
    assert ages[-1] == ("возраст не указан", 2, 15)
    assert sum(row[2] for row in ages) == 15
    kinds = sheet_rows(workbook, "По видам организаций")
    assert kinds == [("СО НКО", 15, 2)]  # hours of two volunteers; two organisations supported
    helped = dict(sheet_rows(workbook, "6. Получившие помощь"))
    assert helped["уникальных получателей"] == 3
    assert helped["получатели помощи по просьбам"] == 0


def test_the_passport_docx_writes_the_values_as_the_passport_does(login_as, official, known_year):  # noqa: F811
    services.target_set(
        actor=official, indicator="informed_share", year=2025, value=Decimal("12.50")
    )
    content = login_as(official).get("/reports/passport.docx?year=2025").content
    table = Document(io.BytesIO(content)).tables[0]
    values = [row.cells[2].text for row in table.rows[1:]]
    assert values == ["0", "0", "0", "2", "1", "3"]
    informed = table.rows[2].cells[3].text
    assert informed.startswith("предыдущий период: 0; цель: 12,5.")


def test_the_kpi_csv_has_the_values_of_the_workbook(client, known_year, workbook):  # noqa: F811
    text = client.get("/reports/kpi.csv?year=2025").content.decode("utf-8-sig")
    values = [row["value"] for row in csv.DictReader(io.StringIO(text))]
    summary = [row[1] for row in sheet_rows(workbook, "Показатели")]
    assert values == [str(value) for value in summary] == ["0", "0", "0", "2", "1", "3"]


def test_the_workbook_in_english_names_its_economics(login_as, official, known_year):  # noqa: F811
    staff = login_as(official)
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    workbook = load_workbook(io.BytesIO(staff.get("/reports/indicators.xlsx?year=2025").content))
    assert workbook.sheetnames[-1] == "The practice's economics"
    assert workbook["The practice's economics"]["B1"].value == "Value, ₽"
