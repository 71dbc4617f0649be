"""Import of calls from the table the resource centre keeps today (CSV or XLSX): the
columns are recognised by their headers (the preview shows the mapping), each row is
checked on its own and its errors are reported by row; a file that is not a table, too
large or too long is refused with a message, never a 500."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from dobry.core.documents import table_rows
from dobry.core.errors import DomainError
from dobry.core.search import fold_for_search
from dobry.core.typography import quoted
from dobry.opportunities.models import Opportunity
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

MAX_ROWS = 500
# Header words that name a field (folded): the mapping the preview shows.
HEADER_WORDS = {
    "title": ("название", "конкурс", "название конкурса", "title"),
    "programme": ("программа", "programme", "program"),
    "organiser": ("организатор", "оператор", "organiser", "organizer"),
    "summary": ("описание", "о конкурсе", "summary"),
    "areas": ("направления", "темы", "areas"),
    "eligible_kinds": ("кто может подать", "заявители", "eligible_kinds"),
    "min_registered_months": ("срок регистрации", "срок регистрации, мес", "min_registered_months"),
    "region": ("регион", "region"),
    "min_amount": ("грант от", "сумма от", "min_amount"),
    "max_amount": ("грант до", "сумма до", "максимальная сумма", "max_amount"),
    "opens_on": ("приём с", "прием с", "начало приёма", "начало приема", "opens_on"),
    "closes_on": ("приём до", "прием до", "срок подачи", "дедлайн", "closes_on"),
    "url": ("ссылка", "сайт", "url"),
    "documents": ("документы", "documents"),
    "tips": ("советы", "tips"),
}
REQUIRED = ("title", "programme", "organiser", "closes_on")


@dataclass
class Row:
    number: int  # the line of the file (the header is line 1)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    mapping: dict[int, str]  # column → field
    headers: list[str]
    rows: list[Row]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if not row.errors]

    @property
    def invalid(self) -> list[Row]:
        return [row for row in self.rows if row.errors]


def _refuse(message: str) -> DomainError:
    return DomainError(message, field_errors={"file": [message]})


def read(content: bytes, filename: str) -> Preview:
    """The file's columns mapped to fields and every row checked (nothing is saved)."""
    if len(content) > settings.DOBRY_DOCUMENT_MAX_BYTES:
        raise _refuse(_("Файл слишком большой."))
    try:
        rows = table_rows(content, filename, max_rows=MAX_ROWS + 1)
    except (ValueError, UnicodeDecodeError) as error:
        raise _refuse(_("Не удалось прочитать файл: загрузите таблицу CSV или XLSX.")) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise _refuse(_("В файле нет строк с конкурсами."))
    if len(rows) - 1 > MAX_ROWS:
        raise _refuse(_("Слишком много строк (предел %(max)s).") % {"max": MAX_ROWS})
    headers = [cell.strip() for cell in rows[0]]
    mapping = _mapping(headers)
    missing = [name for name in REQUIRED if name not in mapping.values()]
    if missing:
        labels = ", ".join(label_of(name) for name in missing)
        raise _refuse(_("В таблице нет столбцов: %(names)s.") % {"names": labels})
    checked = [_row(number, cells, mapping) for number, cells in enumerate(rows[1:], start=2)]
    return Preview(mapping=mapping, headers=headers, rows=checked)


def _mapping(headers: list[str]) -> dict[int, str]:
    words = {
        fold_for_search(w): name for name, all_words in HEADER_WORDS.items() for w in all_words
    }
    mapping: dict[int, str] = {}
    for column, header in enumerate(headers):
        name = words.get(fold_for_search(header).strip(" :*"))
        if name and name not in mapping.values():
            mapping[column] = name
    return mapping


def _row(number: int, cells: list[str], mapping: dict[int, str]) -> Row:
    row = Row(number)
    for column, name in mapping.items():
        text = cells[column].strip() if column < len(cells) else ""
        try:
            row.values[name] = PARSERS.get(name, _text)(text)
        except ValueError as error:
            label = label_of(name)
            row.errors.append(f"{label}: {error}")
    for name in REQUIRED:
        if name in row.values and row.values[name] in ("", None):
            label = label_of(name)
            row.errors.append(_("%(field)s: обязательное поле.") % {"field": label})
    return row


def _text(text: str) -> str:
    return text


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _date(text: str) -> date | None:
    """A day as ДД.ММ.ГГГГ or ГГГГ-ММ-ДД (an XLSX date cell reads «2026-12-01 00:00:00»)."""
    if not text:
        return None
    text = text.split(" ")[0]
    try:
        if found := _DAY_FIRST.fullmatch(text):
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(_("Нужна дата в виде ДД.ММ.ГГГГ."))


def _amount(text: str) -> Decimal | None:
    if not text:
        return None
    cleaned = re.sub(r"[\s\u00a0₽руб.]+$", "", text).replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,12}([.,]\d{1,2})?", cleaned):
        raise ValueError(_("Нужна сумма в рублях, например 500000."))
    return Decimal(cleaned.replace(",", "."))


def _months(text: str) -> int:
    if not text:
        return 0
    if not re.fullmatch(r"\d{1,3}", text):
        raise ValueError(_("Нужно целое число месяцев."))
    return int(text)


def _choices(choices: list[tuple[str, Any]], text: str) -> list[str]:
    known = {fold_for_search(str(label)): value for value, label in choices}
    known |= {value: value for value, _label in choices}
    values = []
    for part in re.split(r"[;,\n]", text):
        part = fold_for_search(part.strip())
        if not part:
            continue
        if part not in known:
            raise ValueError(_("Неизвестное значение %(value)s.") % {"value": quoted(part[:50])})
        values.append(known[part])
    return list(dict.fromkeys(values))


def _programme(text: str) -> str:
    found = _choices(list(Opportunity.Programme.choices), text)
    if len(found) > 1:
        raise ValueError(_("Укажите одну программу."))
    return found[0] if found else ""


PARSERS = {
    "programme": _programme,
    "areas": lambda text: _choices(list(Area.choices), text),
    "eligible_kinds": lambda text: _choices(list(Organization.Kind.choices), text),
    "min_registered_months": _months,
    "min_amount": _amount,
    "max_amount": _amount,
    "opens_on": _date,
    "closes_on": _date,
}


def label_of(name: str | None) -> str:
    """The field a column fills, as people read it; «—» for a column left out."""
    if name is None:
        return "—"
    return str(getattr(Opportunity._meta.get_field(name), "verbose_name", name))
