"""The content of an application: what a draft keeps (everything typed, as typed, so an
autosave never loses a word) and what a submission must satisfy (errors at the fields)."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.core.dates import day_text
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
# The cells that hold numbers: a draft keeps them as typed, but only what reads as a number
# (`parse_decimal`: digits 0–9, finite, below `TOO_MUCH`), so «²» or 1e400 is never stored.
NUMBERS: dict[str, tuple[str, ...]] = {
    "indicators": ("target",),
    "budget": ("quantity", "unit_cost", "requested", "cofinancing"),
}
# The cells that hold dates: in `FIRST_DATE`–`LAST_DATE` like every date of the platform.
DATES: dict[str, tuple[str, ...]] = {"calendar": ("starts_on", "ends_on")}
KEYS = frozenset(TEXTS) | frozenset(ROWS)
MAX_ROWS = 100
MAX_TEXT = 20000
MAX_CELL = 1000
TOO_MUCH = Decimal(10) ** 12  # a trillion roubles: not a municipal grant, and past the columns
CONTENT = "content"  # the field of the API's schemas that holds all of the above
# digits only, too many for `parse_decimal`; a number written with an exponent
_LONG_NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]*)?")
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)[eE][-+]?[0-9]{1,6}")


def content_path(*parts: str | int) -> str:
    """Where in an application's content a problem is, as the API's schema names the field:
    `content.summary`, `content.budget`, `content.budget.2`, `content.budget.2.requested`.
    Every content error of a draft and of a submission is keyed so (the title is `title`)."""
    return ".".join([CONTENT, *(str(part) for part in parts)])


def page_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The same errors keyed as the page's form names its fields: `content.summary` →
    `summary`, `content.budget.2.requested` → `budget.2.requested`, `title` as it is."""
    return {key.removeprefix(f"{CONTENT}."): messages for key, messages in errors.items()}


def not_saved() -> str:
    """A draft save refused: the whole save, nothing of it kept (not the title either)."""
    return _("Черновик не сохранён, ничего не изменилось: исправьте поля с ошибками.")


def clean_content(raw: Mapping[str, Any], *, into: Mapping[str, Any] | None = None) -> dict:
    """Merge the sent parts of `raw` into `into`: known texts as strings, known tables as
    lists of rows with known columns as strings (a JSON number as the digits it stands for).
    Anything wrong refuses the whole of it (DomainError, `not_saved`), each problem at its
    `content_path`: a key or a column the application does not have — as the API refuses
    any unknown field, never dropped in silence —, a text over `MAX_TEXT`, a cell over
    `MAX_CELL`, a table over `MAX_ROWS` rows, a value of the wrong type. What is kept is
    kept as typed, never cut or dropped."""
    content = dict(into or {})
    errors: dict[str, list[str]] = {
        content_path(key): [_("Такого поля нет.")] for key in raw if key not in KEYS
    }
    for key in TEXTS:
        if key in raw:
            text = "" if raw[key] is None else raw[key]
            if not isinstance(text, str):
                errors[content_path(key)] = [_("Нужен текст.")]
            elif len(text) > MAX_TEXT:
                errors[content_path(key)] = [too_long(MAX_TEXT)]
            else:
                content[key] = text
    for key, columns in ROWS.items():
        if key in raw:
            rows = _table(key, columns, raw[key], errors)
            if rows is not None:
                content[key] = rows
    if errors:
        raise DomainError(not_saved(), field_errors=errors)
    return content


def _table(
    key: str, columns: tuple[str, ...], rows: object, errors: dict[str, list[str]]
) -> list[dict[str, str]] | None:
    """The rows of a table as texts, or None with `errors` added."""
    rows = [] if rows is None else rows
    if not isinstance(rows, list):
        errors[content_path(key)] = [_("Нужен список строк таблицы.")]
        return None
    if len(rows) > MAX_ROWS:
        errors[content_path(key)] = [
            ngettext("Не больше %(n)s строки.", "Не больше %(n)s строк.", MAX_ROWS)
            % {"n": MAX_ROWS}
        ]
        return None
    cleaned, wrong = [], False
    for number, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors[content_path(key, number)] = [_("Строка таблицы — объект с полями.")]
            wrong = True
            continue
        for column in row:
            if column not in columns:
                errors[content_path(key, number, column)] = [_("Такого поля нет.")]
                wrong = True
        cells = {}
        for column in columns:
            try:
                cells[column] = _cell(row.get(column))
                if cells[column] and column in NUMBERS.get(key, ()):
                    _check_number(cells[column])
                if cells[column] and column in DATES.get(key, ()):
                    _check_date(cells[column])
            except ValueError as problem:
                errors[content_path(key, number, column)], wrong = [str(problem)], True
        cleaned.append(cells)
    return None if wrong else cleaned


def _cell(value: object) -> str:
    """A cell as text: a string as typed, a JSON number as its digits (1e30 is kept as the
    31 digits it stands for, to be refused as too large, not as «not a number»). Raises
    ValueError with the message for anything else or anything longer than `MAX_CELL`."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(_("Нужен текст или число."))
    if isinstance(value, str):
        if len(text := value.strip()) > MAX_CELL:
            raise ValueError(too_long(MAX_CELL))
        return text
    number = Decimal(str(value))
    text = f"{number:f}" if number.is_finite() else str(value)
    if len(text) > MAX_CELL:
        raise ValueError(too_large())
    return text


def _check_number(text: str) -> None:
    """Raises ValueError saying why `text` is not a number a draft may keep: unreadable by
    `parse_decimal`, or `TOO_MUCH` or more. A negative one is the submission's to refuse."""
    try:
        value = parse_decimal(text)
    except ValueError:
        raise ValueError(_unreadable_amount(text)) from None
    if abs(value) >= TOO_MUCH:
        raise ValueError(too_large())


def _check_date(text: str) -> None:
    """Raises ValueError saying why `text` is not a date a draft may keep."""
    if problem := _date_problem(text):
        raise ValueError(problem)


def _date_problem(text: str) -> str | None:
    """Why `text` is not a date of the accepted range (`date_range_error`), or None."""
    try:
        day = parse_iso_date(text)
    except ValueError:
        return _("Нужна дата в виде ГГГГ-ММ-ДД.")
    return date_range_error(day)


def too_large() -> str:
    """The message for a number of `TOO_MUCH` or more, naming the largest one taken."""
    return _("Слишком большое число: не больше %(max)s.") % {
        "max": amount(TOO_MUCH - Decimal("0.01"))
    }


def read_amount(text: str, *, positive: bool = False) -> Decimal:
    """A sum or a measure typed in a table cell, read as forms and the API read numbers
    (`core.request_values.parse_decimal`: «12 500,50», digits 0–9, no exponent). Raises
    ValueError whose message says what is wrong: not a number; a number written with an
    exponent; a number of `TOO_MUCH` or more (a trillion roubles: not a municipal grant);
    below zero — or, `positive`, not above it."""
    try:
        value = parse_decimal(text)
    except ValueError:
        raise ValueError(_unreadable_amount(text)) from None
    if abs(value) >= TOO_MUCH:
        raise ValueError(too_large())
    if positive and value <= 0:
        raise ValueError(_("Введите число больше нуля."))
    if value < 0:
        raise ValueError(_("Введите число не меньше нуля."))
    return value


def _unreadable_amount(text: str) -> str:
    """Why `parse_decimal` refused `text`: too many digits or an exponent of a number too
    large to be a sum, an exponent («1.5e3»: write it out), or no number at all."""
    cleaned = "".join(str(text).split())
    if _LONG_NUMBER.fullmatch(cleaned):
        whole = re.split(r"[.,]", cleaned.lstrip("+-0"))[0]
        too_many = len(whole) >= len(str(TOO_MUCH))  # 13 digits: a trillion or more
        return too_large() if too_many else _("Слишком много цифр после запятой.")
    if _EXPONENT.fullmatch(cleaned):
        if abs(Decimal(cleaned.replace(",", "."))) >= TOO_MUCH:
            return too_large()
        return _("Запишите число полностью, без степени: например, 1500, а не 1.5e3.")
    return _("Введите число цифрами, например 12 500,50.")


def parse_amount(text: str) -> Decimal | None:
    """A sum as people type it: «12 500,50» or 12500.5, negative ones included; None when
    it is not a number or is `TOO_MUCH` or more (`read_amount` says which)."""
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


def _calendar_date(row: dict, column: str, missing: str, where: str, add: Any) -> date | None:
    """The row's date in `column`, or None with the problem added at `where`: `missing`
    when it is empty, else why it is not a date of the accepted range (never «give a date»
    for 0001-01-01, as if it were empty)."""
    text = row.get(column, "")
    if not isinstance(text, str) or not text.strip():
        add(where, missing)
        return None
    if problem := _date_problem(text):
        add(where, problem)
        return None
    return parse_iso_date(text)


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
    """Everything a submission must have, as messages keyed by where each problem is:
    `title`, or a `content_path` (`content.budget.2.requested`)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = _("Обязательное поле.")
    if not title.strip():
        add("title", required)
    for key in required_texts(competition)[1:]:
        if not str(content.get(key, "")).strip():
            add(content_path(key), required)
    if competition.has_section(Section.CALENDAR):
        _check_calendar(competition, content.get("calendar", []), add)
    if competition.has_section(Section.INDICATORS):
        _check_indicators(content.get("indicators", []), add)
    if competition.has_section(Section.BUDGET):
        _check_budget(competition, content.get("budget", []), add)
    return errors


def _check_calendar(competition: Competition, rows: list[dict], add: Any) -> None:
    """Each activity named, with a start and an end in order, within the competition's
    period of projects (`projects_from`–`projects_until`, where set)."""
    if not rows:
        add(content_path("calendar"), _("Добавьте хотя бы одно мероприятие календарного плана."))
    for number, row in enumerate(rows):
        if not row.get("title"):
            add(content_path("calendar", number, "title"), _("Назовите мероприятие."))
        starts = _calendar_date(
            row,
            "starts_on",
            _("Укажите дату начала."),
            content_path("calendar", number, "starts_on"),
            add,
        )
        ends = _calendar_date(
            row,
            "ends_on",
            _("Укажите дату окончания."),
            content_path("calendar", number, "ends_on"),
            add,
        )
        if starts and ends and ends < starts:
            add(content_path("calendar", number, "ends_on"), _("Окончание раньше начала."))
        _check_within_projects(competition, number, starts, ends, add)


def _check_within_projects(
    competition: Competition, number: int, starts: date | None, ends: date | None, add: Any
) -> None:
    first, last = competition.projects_from, competition.projects_until
    if starts and first and starts < first:
        add(
            content_path("calendar", number, "starts_on"),
            _("Проекты конкурса идут с %(day)s.") % {"day": day_text(first)},
        )
    if ends and last and ends > last:
        add(
            content_path("calendar", number, "ends_on"),
            _("Проекты конкурса идут по %(day)s.") % {"day": day_text(last)},
        )


def _check_indicators(rows: list[dict], add: Any) -> None:
    if not rows:
        add(content_path("indicators"), _("Добавьте хотя бы один измеримый результат."))
    for number, row in enumerate(rows):
        if not row.get("name"):
            add(content_path("indicators", number, "name"), _("Назовите показатель."))
        if not row.get("unit"):
            add(content_path("indicators", number, "unit"), _("Укажите единицу измерения."))
        if not row.get("target"):
            add(content_path("indicators", number, "target"), _("Укажите целевое значение."))
            continue
        try:
            read_amount(row["target"], positive=True)
        except ValueError as problem:
            add(content_path("indicators", number, "target"), str(problem))


def _budget_values(row: dict, number: int, add: Any) -> dict[str, Decimal]:
    """The row's numbers that read well; each that does not is said at its cell (an empty
    co-financing is 0; the other three are required)."""
    values: dict[str, Decimal] = {}
    for column in ("quantity", "unit_cost", "requested", "cofinancing"):
        text = row.get(column, "")
        if not text and column == "cofinancing":
            values[column] = Decimal(0)
        elif not text:
            add(content_path("budget", number, column), _("Обязательное поле."))
        else:
            try:
                values[column] = read_amount(text)
            except ValueError as problem:
                add(content_path("budget", number, column), str(problem))
    return values


def _check_budget(competition: Competition, rows: list[dict], add: Any) -> None:
    if not rows:
        add(content_path("budget"), _("Добавьте хотя бы одну статью бюджета."))
    for number, row in enumerate(rows):
        if not row.get("item"):
            add(content_path("budget", number, "item"), _("Назовите статью расходов."))
        values = _budget_values(row, number, add)
        if len(values) < 4:
            continue
        cost = (values["quantity"] * values["unit_cost"]).quantize(Decimal("0.01"))
        if values["requested"] + values["cofinancing"] != cost:
            add(
                content_path("budget", number, "requested"),
                _("Запрошено и софинансирование вместе должны составить %(cost)s ₽.")
                % {"cost": amount(cost)},
            )
        if values["cofinancing"] > 0 and not row.get("cofinancing_source"):
            add(
                content_path("budget", number, "cofinancing_source"),
                _("Укажите источник софинансирования."),
            )
    total = requested_total({"budget": rows})
    if rows and not competition.min_grant <= total <= competition.max_grant:
        add(
            content_path("budget"),
            _("Запрошенная сумма %(total)s ₽ должна быть от %(min)s до %(max)s ₽.")
            % {
                "total": amount(total),
                "min": amount(competition.min_grant),
                "max": amount(competition.max_grant),
            },
        )
