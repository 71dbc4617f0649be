"""The content of an application: what a draft keeps (everything typed, as typed, so an
autosave never loses a word) and what a submission must satisfy (errors at the fields)."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.core.errors import DomainError
from dobry.core.numbers import amount
from dobry.core.request_values import date_range_error, parse_decimal, parse_iso_date
from dobry.core.text_limits import too_long
from dobry.grants.models import Competition, Section

TEXTS = ("summary", "problem", "target_group", "goals", "tasks", "team", "partners")
REQUIRED_TEXTS = ("summary", "problem", "target_group", "goals", "tasks")
ROWS: dict[str, tuple[str, ...]] = {
    "calendar": ("title", "starts_on", "ends_on"),
    "indicators": ("name", "unit", "target"),
    "budget": ("item", "quantity", "unit_cost", "requested", "cofinancing", "cofinancing_source"),
}
KEYS = frozenset(TEXTS) | frozenset(ROWS)
MAX_ROWS = 100
MAX_TEXT = 20000
MAX_CELL = 1000
TOO_MUCH = Decimal(10) ** 12  # a trillion roubles: not a municipal grant, and past the columns


def clean_content(raw: Mapping[str, Any], *, into: Mapping[str, Any] | None = None) -> dict:
    """Merge the sent parts of `raw` into `into`: known texts as strings, known tables as
    lists of rows with known columns as strings. A key or a column the application does not
    have is refused at `content.<key>` (`content.<table>.<row>.<column>`), as the API refuses
    any unknown field, never dropped in silence. What is kept is kept as typed: a text over `MAX_TEXT`, a cell over `MAX_CELL`, a table over `MAX_ROWS`
    rows or a value of the wrong type is refused naming the field (DomainError), never cut
    or dropped."""
    content = dict(into or {})
    errors: dict[str, list[str]] = {
        f"content.{key}": [_("Такого поля нет.")] for key in raw if key not in KEYS
    }
    for key in TEXTS:
        if key in raw:
            text = "" if raw[key] is None else raw[key]
            if not isinstance(text, str):
                errors[key] = [_("Нужен текст.")]
            elif len(text) > MAX_TEXT:
                errors[key] = [too_long(MAX_TEXT)]
            else:
                content[key] = text
    for key, columns in ROWS.items():
        if key in raw:
            rows = _table(key, columns, raw[key], errors)
            if rows is not None:
                content[key] = rows
    if errors:
        raise DomainError(_("Проверьте заявку: часть полей не сохранена."), field_errors=errors)
    return content


def _table(
    key: str, columns: tuple[str, ...], rows: object, errors: dict[str, list[str]]
) -> list[dict[str, str]] | None:
    """The rows of a table as texts, or None with `errors` added."""
    rows = [] if rows is None else rows
    if not isinstance(rows, list):
        errors[key] = [_("Нужен список строк таблицы.")]
        return None
    if len(rows) > MAX_ROWS:
        errors[key] = [
            ngettext("Не больше %(n)s строки.", "Не больше %(n)s строк.", MAX_ROWS)
            % {"n": MAX_ROWS}
        ]
        return None
    cleaned, wrong = [], False
    for number, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors[f"{key}.{number}"] = [_("Строка таблицы — объект с полями.")]
            wrong = True
            continue
        for column in row:
            if column not in columns:
                errors[f"content.{key}.{number}.{column}"] = [_("Такого поля нет.")]
                wrong = True
        cells = {}
        for column in columns:
            value = "" if row.get(column) is None else row.get(column)
            field = f"{key}.{number}.{column}"
            if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
                errors[field], wrong = [_("Нужен текст или число.")], True
            elif len(text := str(value).strip()) > MAX_CELL:
                errors[field], wrong = [too_long(MAX_CELL)], True
            else:
                cells[column] = text
        cleaned.append(cells)
    return None if wrong else cleaned


def parse_amount(text: str) -> Decimal | None:
    """A sum as people type it: «12 500,50» or 12500.5; None when it is not a number."""
    try:
        value = parse_decimal(text)  # as forms and the API read numbers
    except ValueError:
        return None
    return value if value.is_finite() and abs(value) < TOO_MUCH else None


def requested_total(content: Mapping[str, Any]) -> Decimal:
    total = Decimal(0)
    for row in content.get("budget", []):
        amount = parse_amount(row.get("requested", ""))
        if amount is not None and amount > 0:
            total += amount
    return total.quantize(Decimal("0.01"))


def _parse_date(text: str) -> date | None:
    try:
        day = parse_iso_date(text)
    except (AttributeError, TypeError, ValueError):
        return None
    return None if date_range_error(day) else day


def required_texts(competition: Competition) -> list[str]:
    """The title and the texts a submission needs (the form marks them)."""
    texts = ["title", *REQUIRED_TEXTS]
    if competition.has_section(Section.TEAM):
        texts.append("team")
    return texts


def budget_totals(rows: list[dict]) -> dict[str, Decimal]:
    """Σ quantity × unit cost, Σ requested and Σ co-financing of a budget as typed (what
    is not a non-negative number counts as 0), as static/js/rows.js sums them live."""

    def value(row: dict, column: str) -> Decimal:
        number = parse_amount(row.get(column, "")) if row.get(column) else None
        return number if number is not None and number >= 0 else Decimal(0)

    cent = Decimal("0.01")
    return {
        "cost": sum(
            (value(row, "quantity") * value(row, "unit_cost") for row in rows), Decimal(0)
        ).quantize(cent),
        "requested": sum((value(row, "requested") for row in rows), Decimal(0)).quantize(cent),
        "cofinancing": sum((value(row, "cofinancing") for row in rows), Decimal(0)).quantize(cent),
    }


def submission_errors(
    competition: Competition, title: str, content: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Everything a submission must have, as messages keyed by field (`budget.2.requested`)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = _("Обязательное поле.")
    if not title.strip():
        add("title", required)
    for key in required_texts(competition)[1:]:
        if not str(content.get(key, "")).strip():
            add(key, required)
    if competition.has_section(Section.CALENDAR):
        _check_calendar(content.get("calendar", []), add)
    if competition.has_section(Section.INDICATORS):
        _check_indicators(content.get("indicators", []), add)
    if competition.has_section(Section.BUDGET):
        _check_budget(competition, content.get("budget", []), add)
    return errors


def _check_calendar(rows: list[dict], add: Any) -> None:
    if not rows:
        add("calendar", _("Добавьте хотя бы одно мероприятие календарного плана."))
    for number, row in enumerate(rows):
        prefix = f"calendar.{number}"
        if not row.get("title"):
            add(f"{prefix}.title", _("Назовите мероприятие."))
        starts, ends = _parse_date(row.get("starts_on", "")), _parse_date(row.get("ends_on", ""))
        if starts is None:
            add(f"{prefix}.starts_on", _("Укажите дату начала."))
        if ends is None:
            add(f"{prefix}.ends_on", _("Укажите дату окончания."))
        if starts and ends and ends < starts:
            add(f"{prefix}.ends_on", _("Окончание раньше начала."))


def _check_indicators(rows: list[dict], add: Any) -> None:
    if not rows:
        add("indicators", _("Добавьте хотя бы один измеримый результат."))
    for number, row in enumerate(rows):
        prefix = f"indicators.{number}"
        if not row.get("name"):
            add(f"{prefix}.name", _("Назовите показатель."))
        if not row.get("unit"):
            add(f"{prefix}.unit", _("Укажите единицу измерения."))
        target = parse_amount(row.get("target", ""))
        if target is None or target <= 0:
            add(f"{prefix}.target", _("Целевое значение — положительное число."))


def _check_budget(competition: Competition, rows: list[dict], add: Any) -> None:
    if not rows:
        add("budget", _("Добавьте хотя бы одну статью бюджета."))
    for number, row in enumerate(rows):
        prefix = f"budget.{number}"
        if not row.get("item"):
            add(f"{prefix}.item", _("Назовите статью расходов."))
        values: dict[str, Decimal] = {}
        for column in ("quantity", "unit_cost", "requested", "cofinancing"):
            text = row.get(column, "")
            value = (
                parse_amount(text) if text else (Decimal(0) if column == "cofinancing" else None)
            )
            if value is None or value < 0:
                add(f"{prefix}.{column}", _("Введите число не меньше нуля."))
            else:
                values[column] = value
        if len(values) < 4:
            continue
        cost = (values["quantity"] * values["unit_cost"]).quantize(Decimal("0.01"))
        if values["requested"] + values["cofinancing"] != cost:
            add(
                f"{prefix}.requested",
                _("Запрошено и софинансирование вместе должны составить %(cost)s ₽.")
                % {"cost": amount(cost)},
            )
        if values["cofinancing"] > 0 and not row.get("cofinancing_source"):
            add(f"{prefix}.cofinancing_source", _("Укажите источник софинансирования."))
    total = requested_total({"budget": rows})
    if rows and not competition.min_grant <= total <= competition.max_grant:
        add(
            "budget",
            _("Запрошенная сумма %(total)s ₽ должна быть от %(min)s до %(max)s ₽.")
            % {
                "total": amount(total),
                "min": amount(competition.min_grant),
                "max": amount(competition.max_grant),
            },
        )
