"""A report's sections and the checks of what the grantee writes in them.

`content` of a `ReportVersion`:
    {"activities": [{"title", "starts_on", "ends_on", "done": bool, "note"}],   # the calendar
     "indicators": [{"name", "unit", "target", "achieved"}],                   # the targets
     "spending": [{"line": id, "item", "amount", "spent", "note"}],            # budget lines
     "publications": [{"title", "url"}],
     "participants": int | None, "recipients": int | None}
The titles, targets and amounts come from the agreement, never from what is sent: the
grantee fills `done`, `note`, `achieved`, `spent`, the publications and the counts."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.core.numbers import exact_number
from dobry.core.request_values import parse_decimal
from dobry.core.text_limits import too_long
from dobry.grants.models import Agreement

SECTIONS = {
    "activities": gettext_lazy("Мероприятия календарного плана"),
    "indicators": gettext_lazy("Достигнутые показатели"),
    "spending": gettext_lazy("Расходы по статьям бюджета"),
    "publications": gettext_lazy("Публикации и упоминания в СМИ"),
    "photos": gettext_lazy("Фотографии"),
    "people": gettext_lazy("Участники и благополучатели"),
}
NOTE_MAX = 2_000
TITLE_MAX = 300
URL_MAX = 500
PUBLICATIONS_MAX = 50
COUNT_MAX = 10_000_000
FIGURE_MAX = Decimal("1e12")
KOPECK = Decimal("0.01")
_URL = URLValidator(schemes=["http", "https"])

Errors = dict[str, list[str]]


def blank(agreement: Agreement) -> dict[str, Any]:
    """The first version of a report: the agreement's calendar, targets and budget lines
    with nothing filled in."""
    return {
        "activities": [
            {**{k: row.get(k, "") for k in ("title", "starts_on", "ends_on")}, "done": False}
            | {"note": ""}
            for row in agreement.calendar
        ],
        "indicators": [
            {**{k: row.get(k, "") for k in ("name", "unit", "target")}, "achieved": ""}
            for row in agreement.indicators
        ],
        "spending": [
            {"line": line.pk, "item": line.item, "amount": str(line.amount)}
            | {"spent": "", "note": ""}
            for line in agreement.lines.order_by("position")
        ],
        "publications": [],
        "participants": None,
        "recipients": None,
    }


def _text(value: Any, limit: int, key: str, errors: Errors) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[key] = [_("Ожидается текст.")]
    elif len(text) > limit:
        errors[key] = [too_long(limit)]
    elif any(not c.isprintable() and c not in "\n\t" for c in text):
        errors[key] = [_("Текст содержит недопустимые символы.")]
    return text


def _amount(value: Any, key: str, errors: Errors, *, kopecks: bool) -> str:
    """A non-negative number as text ("" when not given)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        number = value if isinstance(value, Decimal) else parse_decimal(str(value))
    except ValueError:
        errors[key] = [_("Введите число цифрами, например 12 500,50.")]
        return ""
    if not number.is_finite() or number < 0 or number >= FIGURE_MAX:
        errors[key] = [_("Число — не меньше нуля и меньше триллиона.")]
        return ""
    if kopecks and number != number.quantize(KOPECK):
        errors[key] = [_("Сумма — до копеек.")]
        return ""
    # never an exponent: Decimal("120").normalize() is «1.2E+2», which the page showed and
    # the next save refused
    return str(number.quantize(KOPECK)) if kopecks else exact_number(number)


def _count(value: Any, key: str, errors: Errors) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[key] = [_("Введите целое число.")]
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > COUNT_MAX:
        errors[key] = [_("Целое число от 0 до %(n)s.") % {"n": f"{COUNT_MAX:,}".replace(",", " ")}]
        return None
    return int(text)


def _rows(data: Mapping[str, Any], name: str) -> list[Any]:
    rows = data.get(name)
    return rows if isinstance(rows, list) else []


def _row(rows: list[Any], n: int) -> Mapping[str, Any]:
    row = rows[n] if n < len(rows) else {}
    return row if isinstance(row, Mapping) else {}


def clean(base: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The grantee's `data` laid over `base` (the version's content, whose titles, targets
    and amounts stay): rows matched by position (activities, indicators) and by the budget
    line's id (spending). Returns the new content and the errors by field
    (`activities.<n>.note`, `spending.<line id>.spent`, `publications.<n>.url`, …)."""
    errors: Errors = {}
    activities = _rows(data, "activities")
    indicators = _rows(data, "indicators")
    spent = {str(_row([r], 0).get("line")): _row([r], 0) for r in _rows(data, "spending")}
    content: dict[str, Any] = {
        "activities": [
            row
            | {
                "done": _row(activities, n).get("done") is True,
                "note": _text(
                    _row(activities, n).get("note"), NOTE_MAX, f"activities.{n}.note", errors
                ),
            }
            for n, row in enumerate(base.get("activities", []))
        ],
        "indicators": [
            row
            | {
                "achieved": _amount(
                    _row(indicators, n).get("achieved"),
                    f"indicators.{n}.achieved",
                    errors,
                    kopecks=False,
                )
            }
            for n, row in enumerate(base.get("indicators", []))
        ],
        "spending": [
            _spending(row, spent.get(str(row["line"]), {}), errors)
            for row in base.get("spending", [])
        ],
        "publications": _publications(_rows(data, "publications"), errors),
        "participants": _count(data.get("participants"), "participants", errors),
        "recipients": _count(data.get("recipients"), "recipients", errors),
    }
    return content, errors


def _spending(row: dict[str, Any], sent: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    key = f"spending.{row['line']}"
    return row | {
        "spent": _amount(sent.get("spent"), f"{key}.spent", errors, kopecks=True),
        "note": _text(sent.get("note"), NOTE_MAX, f"{key}.note", errors),
    }


def _publications(rows: list[Any], errors: Errors) -> list[dict[str, str]]:
    if len(rows) > PUBLICATIONS_MAX:
        errors["publications"] = [
            _("Ссылок слишком много: предел — %(n)s.") % {"n": PUBLICATIONS_MAX}
        ]
        return []
    kept = []
    for n, raw in enumerate(rows):
        row = raw if isinstance(raw, Mapping) else {}
        title = _text(row.get("title"), TITLE_MAX, f"publications.{n}.title", errors)
        url = _text(row.get("url"), URL_MAX, f"publications.{n}.url", errors)
        if not url and not title:
            continue
        try:
            _URL(url)
        except ValidationError:
            errors[f"publications.{n}.url"] = [_("Ссылка вида https://…")]
        kept.append({"title": title, "url": url})
    return kept


def missing(content: Mapping[str, Any]) -> Errors:
    """What a report needs before it is submitted: the counts of people, what was achieved
    of each indicator and what was spent on each budget line."""
    errors: Errors = {}
    for name in ("participants", "recipients"):
        if content.get(name) is None:
            errors[name] = [_("Укажите число людей (0, если их не было).")]
    for n, row in enumerate(content.get("indicators", [])):
        if row.get("achieved") == "":
            errors[f"indicators.{n}.achieved"] = [_("Укажите достигнутое значение.")]
    for row in content.get("spending", []):
        if row.get("spent") == "":
            errors[f"spending.{row['line']}.spent"] = [
                _("Укажите, сколько потрачено (0, если ничего).")
            ]
    return errors
