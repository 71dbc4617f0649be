"""Statements as tables (CSV or XLSX, as a bank's online office exports them): the columns
are mapped to fields in a preview — guessed from the header words, corrected by a person."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.charity.statements import MAX_LINES, StatementError, StatementLine, check_lengths
from dobry.charity.statements.onec import amount_kopecks
from dobry.core.documents import table_rows
from dobry.core.typography import quoted
from dobry.core.validators import strip_forbidden_characters

FIELDS = {
    "paid_on": gettext_lazy("Дата"),
    "amount": gettext_lazy("Сумма"),
    "payer": gettext_lazy("Плательщик"),
    "purpose": gettext_lazy("Назначение платежа"),
    "number": gettext_lazy("Номер документа"),
    "payer_inn": gettext_lazy("ИНН плательщика"),
}
REQUIRED = ("paid_on", "amount")
# Header words (lower case) that name a field: what the preview starts from.
HEADER_WORDS = {
    "paid_on": ("дата", "дата операции", "дата поступления", "date"),
    "amount": ("сумма", "поступление", "приход", "кредит", "сумма поступления", "amount"),
    "payer": ("плательщик", "контрагент", "отправитель", "payer"),
    "purpose": ("назначение", "назначение платежа", "purpose"),
    "number": ("номер", "номер документа", "№", "№ документа", "number"),
    "payer_inn": ("инн", "инн плательщика", "инн контрагента"),
}
# «10.11.2026», «10/11/2026», «10.11.26» (day first, as Russian banks write) or ISO
# «2026-11-10» (what an XLSX date cell reads as); anything after the date (a time) is ignored.
_DAY_FIRST = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{2}|[0-9]{4})(?![0-9])")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class TableRead:
    """The lines read with a mapping, and the rows refused with why (line → message)."""

    lines: list[StatementLine] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def read_table(content: bytes, filename: str) -> Table:
    """The header and data rows; StatementError for a file that is not a readable table,
    has no rows, or has more than `MAX_LINES`."""
    try:
        rows = table_rows(content, filename, max_rows=MAX_LINES + 1)
    except (ValueError, UnicodeDecodeError):
        raise StatementError(
            _("Не удалось прочитать файл: загрузите выписку 1С, CSV или XLSX.")
        ) from None
    rows = [
        [strip_forbidden_characters(cell) for cell in row]
        for row in rows
        if any(str(c).strip() for c in row)
    ]
    if len(rows) < 2:
        raise StatementError(_("В таблице нет строк с платежами."))
    if len(rows) - 1 > MAX_LINES:
        raise StatementError(
            _("В выписке слишком много строк (предел — %(max)s): разделите её.")
            % {"max": MAX_LINES}
        )
    return Table(headers=[cell.strip() for cell in rows[0]], rows=rows[1:])


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """field → column index from the header words; None where no column fits."""
    lowered = [header.strip().lower() for header in headers]
    return {
        name: next((i for i, header in enumerate(lowered) if header in words), None)
        for name, words in HEADER_WORDS.items()
    }


def check_mapping(table: Table, mapping: Mapping[str, object]) -> dict[str, int | None]:
    """The mapping as field → column, checked: each column in the table, none chosen for
    two fields, the required ones chosen; StatementError naming what is wrong."""
    width = len(table.headers)
    checked: dict[str, int | None] = {}
    for name in FIELDS:
        column = mapping.get(name)
        if column in (None, ""):
            checked[name] = None
            continue
        if not isinstance(column, int) or isinstance(column, bool) or not 0 <= column < width:
            raise StatementError(
                _("Неверно выбран столбец для поля %(field)s.") % {"field": quoted(FIELDS[name])}
            )
        taken = next((other for other, chosen in checked.items() if chosen == column), None)
        if taken is not None:
            # One column read as two fields (a date read as a sum) is a slip of the mapping.
            raise StatementError(
                _("Один столбец выбран для двух полей: %(first)s и %(second)s.")
                % {"first": quoted(FIELDS[taken]), "second": quoted(FIELDS[name])}
            )
        checked[name] = column
    missing = [str(FIELDS[name]) for name in REQUIRED if checked[name] is None]
    if missing:
        raise StatementError(_("Выберите столбцы: %(fields)s.") % {"fields": ", ".join(missing)})
    return checked


def _day(value: str) -> date:
    """ValueError for anything else (a text, 31.02)."""
    text = value.strip()
    if found := _ISO.match(text):
        year, month, day = (int(part) for part in found.groups())
    elif found := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in found.groups())
        # «26» is this century; «0026» and «0001» are what they say (refused: too early).
        year += 2000 if len(found.group(3)) == 2 else 0
    else:
        raise ValueError(value)
    return date(year, month, day)


def _row_line(row: list[str], number: int, mapping: Mapping[str, int | None]) -> StatementLine:
    def cell(name: str) -> str:
        column = mapping.get(name)
        return row[column].strip() if column is not None and column < len(row) else ""

    try:
        paid_on = _day(cell("paid_on"))
    except ValueError:
        raise StatementError(
            _("Строка %(line)s: не читается дата: %(value)s.")
            % {"line": number, "value": quoted(cell("paid_on"))},
            line=number,
        ) from None
    return StatementLine(
        line=number,
        paid_on=paid_on,
        amount_kopecks=amount_kopecks(cell("amount"), number),
        payer=cell("payer"),
        purpose=cell("purpose"),
        number=cell("number"),
        payer_inn=cell("payer_inn"),
    )


def read_lines(table: Table, mapping: Mapping[str, int | None]) -> TableRead:
    """Each data row as a line (the header is line 1); a row with an unreadable date or
    sum — an outgoing payment or a total written as text — goes to `errors` instead."""
    result = TableRead()
    for index, row in enumerate(table.rows, start=2):
        try:
            result.lines.append(check_lengths(_row_line(row, index, mapping)))
        except StatementError as error:
            result.errors[index] = error.message
    return result
