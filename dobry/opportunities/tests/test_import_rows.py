"""The import's reading of a table, row by row: each kind of cell error reported at its
row with the column's name, the header mapping, and files that lie about their type."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.opportunities import imports
from dobry.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

HEADER = "Название;Программа;Организатор;Срок подачи;Сумма от;Грант до;Срок регистрации;Темы;Заявители;Приём с"
DAY = (local_today() + timedelta(days=20)).strftime("%d.%m.%Y")


def _read(*lines, header=HEADER):
    return imports.read("\n".join([header, *lines]).encode(), "calls.csv")


def _line(**cells):
    row = {
        "title": "Конкурс",
        "programme": "Конкурсы края",
        "organiser": "Край",
        "closes_on": DAY,
        "min": "",
        "max": "",
        "months": "",
        "areas": "",
        "kinds": "",
        "opens": "",
    }
    row.update(cells)
    return ";".join(row.values())


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ({"closes_on": "завтра"}, "приём заявок до: Нужна дата в виде ДД.ММ.ГГГГ."),
        ({"closes_on": "31.02.2026"}, "приём заявок до: Нужна дата в виде ДД.ММ.ГГГГ."),
        ({"opens": "2026/01/01"}, "приём заявок с: Нужна дата в виде ДД.ММ.ГГГГ."),
        ({"min": "много"}, "грант от, ₽: Нужна сумма в рублях, например 500000."),
        ({"max": "-5"}, "грант до, ₽: Нужна сумма в рублях, например 500000."),
        ({"max": "1" * 13}, "грант до, ₽: Нужна сумма в рублях, например 500000."),
        ({"max": "1.005"}, "грант до, ₽: Нужна сумма в рублях, например 500000."),
        ({"months": "12.5"}, "зарегистрирована не менее, месяцев: Нужно целое число месяцев."),
        ({"months": "1000"}, "зарегистрирована не менее, месяцев: Нужно целое число месяцев."),
        ({"areas": "Космос"}, "направления: Неизвестное значение «космос»."),
        ({"kinds": "Физлица"}, "кто может подать: Неизвестное значение «физлица»."),
        (
            {"programme": "Фонд президентских грантов, Конкурсы края"},
            "программа: Укажите одну программу.",
        ),
        ({"programme": "Лотерея"}, "программа: Неизвестное значение «лотерея»."),
        ({"title": ""}, "название конкурса: обязательное поле."),
        ({"programme": ""}, "программа: обязательное поле."),
        ({"organiser": "  "}, "организатор: обязательное поле."),
        ({"closes_on": ""}, "приём заявок до: обязательное поле."),
    ],
)
def test_each_kind_of_cell_error_is_reported_at_its_row(cells, error):
    preview = _read(_line(), _line(**cells))
    assert [row.number for row in preview.valid] == [2]
    [bad] = preview.invalid
    assert bad.number == 3
    assert error in bad.errors, bad.errors


def test_cells_are_read_into_values():
    preview = _read(
        _line(
            min="100 000,50 ₽",
            max="3\u00a0000\u00a0000 руб.",
            months="12",
            areas="ecology, Дети и молодёжь, ecology",
            kinds="СО НКО",
            opens="2026-11-01",
            closes_on="2026-12-15 00:00:00",
        )
    )
    values = preview.rows[0].values
    assert values["min_amount"] == Decimal("100000.50")
    assert values["max_amount"] == Decimal(3_000_000)
    assert values["min_registered_months"] == 12
    assert values["areas"] == ["ecology", "children"]
    assert values["eligible_kinds"] == ["sonko"]
    assert values["opens_on"] == date(2026, 11, 1)
    assert values["closes_on"] == date(2026, 12, 15)
    assert values["programme"] == "regional"


def test_empty_optional_cells_are_no_limit():
    values = _read(_line()).rows[0].values
    assert values["min_amount"] is None
    assert values["opens_on"] is None
    assert values["min_registered_months"] == 0
    assert values["areas"] == []


def test_the_first_of_two_columns_for_one_field_is_used_and_headers_are_folded():
    header = "название:;ПРОГРАММА*;Оператор;Дедлайн;Конкурс;Лишний столбец"
    preview = _read(f"Первый;Конкурсы края;Край;{DAY};Второй;x", header=header)
    assert preview.mapping == {0: "title", 1: "programme", 2: "organiser", 3: "closes_on"}
    assert preview.rows[0].values["title"] == "Первый"
    assert imports.label_of(None) == "—"


def test_a_short_row_reads_its_missing_cells_as_empty():
    preview = _read("Один;Конкурсы края")
    assert "организатор: обязательное поле." in preview.rows[0].errors
    assert "приём заявок до: обязательное поле." in preview.rows[0].errors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER.encode(), "В файле нет строк с конкурсами."),
        (b"\n;;;\n", "В файле нет строк с конкурсами."),
        (
            "Название;Организатор\nx;y".encode(),
            "В таблице нет столбцов: программа, приём заявок до.",
        ),
    ],
)
def test_a_table_without_calls_or_columns_is_refused_at_the_file(content, message):
    with pytest.raises(DomainError) as refused:
        imports.read(content, "calls.csv")
    assert refused.value.field_errors == {"file": [message]}


def test_too_many_rows_are_refused_with_the_limit():
    lines = [_line(title=f"К{n}") for n in range(imports.MAX_ROWS + 1)]
    with pytest.raises(DomainError) as refused:
        _read(*lines)
    assert refused.value.message == f"Слишком много строк (предел {imports.MAX_ROWS})."
    assert len(_read(*lines[:-1]).rows) == imports.MAX_ROWS


@override_settings(DOBRY_DOCUMENT_MAX_BYTES=100)
def test_a_file_too_large_is_refused_before_it_is_read():
    with pytest.raises(DomainError) as refused:
        imports.read(b"x" * 101, "calls.csv")
    assert refused.value.message == "Файл слишком большой."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("calls.xlsx", "Название;Программа\nx;y".encode()),  # a CSV calling itself XLSX
        ("calls.csv", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 40),  # a zip calling itself CSV
        ("calls.pdf", b"%PDF-1.4"),
        ("calls", b"Title"),
    ],
)
def test_files_that_lie_about_their_type_are_refused_on_the_page(coordinator, name, content):
    response = login(coordinator).post(
        reverse("opportunities:import"),
        {"file": SimpleUploadedFile(name, content), "action": "import"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "preview" not in response.context
    assert not Opportunity.objects.exists()


def test_the_page_checks_without_adding_and_shows_the_columns(coordinator):
    upload = SimpleUploadedFile("c.csv", "\n".join([HEADER, _line()]).encode())
    response = login(coordinator).post(
        reverse("opportunities:import"), {"file": upload, "action": "check"}
    )
    assert response.status_code == 200
    assert "added" not in response.context
    assert response.context["columns"][3] == ("Срок подачи", "приём заявок до")
    assert not Opportunity.objects.exists()
    assert login(coordinator).get(reverse("opportunities:import")).status_code == 200
