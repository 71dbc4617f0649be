"""One way to read ids, numbers and dates from a request (issue 11 §2).

Python's `int()` reads Arabic-Indic «٣» as 3 and `str.isdigit()` accepts «²», which `int()`
then refuses; `date.fromisoformat` accepts year 1 and 9999, which overflow time zone
arithmetic and database columns. Everything a request sends is read here (query strings and
bodies outside forms), by the form fields in `dobry.core.form_fields` and by the API's schema
fields in `dobry.api.fields`: digits 0–9 only, ids that fit a 64-bit column, dates between
`FIRST_DATE` and `LAST_DATE`. A bad value raises `InvalidParameter`, which names the
parameter: pages answer 400 with the message (`dobry.core.middleware`), the API 422.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.core.clock import city_zone, local_date
from dobry.core.errors import DomainError
from dobry.core.typography import quoted

# Every date of events, shifts, requests, bookings, periods and reports; birth dates from 1900.
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2100, 12, 31)
FIRST_BIRTH_DATE = date(1900, 1, 1)
MAX_ID = 2**63 - 1  # the largest value of a PostgreSQL bigint / SQLite integer
MAX_PAGE = 1_000_000

T = TypeVar("T")
_INTEGER = re.compile(r"-?[0-9]{1,19}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
# A decimal as people type it: a sign, digits 0–9 with a point or a comma before the fraction.
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_DIGIT_GROUPING = str.maketrans("", "", " \u00a0\u202f")  # «12 500,50»: spaces between thousands
MAX_DECIMAL_LENGTH = 40


class Params(Protocol):
    def get(self, key: str, default: str | None = None, /) -> str | None: ...


class InvalidParameter(DomainError):
    """A request parameter that is not what the page or endpoint reads. `name` is the
    parameter; the message says what was expected."""

    def __init__(self, name: str, message: str):
        super().__init__(
            _("Параметр %(name)s: %(message)s") % {"name": quoted(name), "message": message},
            field_errors={name: [message]},
        )
        self.name = name


def has_only_ascii_digits(text: str) -> bool:
    """True when every digit in `text` is one of 0–9 (no «²», «٣», «𝟙»)."""
    return all(char in "0123456789" for char in text if char.isdigit() or char.isnumeric())


def parse_integer(text: str) -> int:
    """An integer written in ASCII digits with an optional minus, at most 19 digits.
    Raises ValueError otherwise."""
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(text)
    return int(text)


def parse_decimal(text: str) -> Decimal:
    """A number as people type it, the one reading of forms and API alike: «1,5» or «1.5»,
    «12 500,50» with spaces between thousands; digits 0–9 only, no exponent, no «1,234.5».
    Raises ValueError otherwise (the range is the field's to check)."""
    cleaned = str(text).strip().translate(_DIGIT_GROUPING)
    if len(cleaned) > MAX_DECIMAL_LENGTH or not _DECIMAL.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned.replace(",", "."))


def parse_iso_date(text: str) -> date:
    """A date written YYYY-MM-DD in ASCII digits. Raises ValueError otherwise (the range is
    checked by `check_date_range`)."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def date_range_error(
    value: date, *, first: date = FIRST_DATE, last: date = LAST_DATE
) -> str | None:
    """The message for a date outside [first, last], or None when it is inside."""
    if first <= value <= last:
        return None
    return _("Дата должна быть между %(first)s и %(last)s.") % {
        "first": first.strftime("%d.%m.%Y"),
        "last": last.strftime("%d.%m.%Y"),
    }


def moment_range_error(value: datetime) -> str | None:
    """The message for a moment whose city date is outside the accepted range, or None.
    The year is checked first: moving 9999-12-31 23:00 to the city's clock overflows."""
    if not FIRST_DATE.year <= value.year <= LAST_DATE.year:
        return date_range_error(date(value.year, 1, 1))
    aware = value if timezone.is_aware(value) else timezone.make_aware(value, city_zone())
    return date_range_error(local_date(aware))


def validate_date_range(value: date) -> None:
    """Validator for form and model fields: `FIRST_DATE`–`LAST_DATE` (a datetime by its
    date on the city's clock)."""
    is_moment = isinstance(value, datetime)
    message = moment_range_error(value) if is_moment else date_range_error(value)  # type: ignore[arg-type]
    if message:
        raise ValidationError(message, code="date_range")


def validate_birth_date_range(value: date) -> None:
    """Validator for birth dates: from 1900 to `LAST_DATE`."""
    message = date_range_error(value, first=FIRST_BIRTH_DATE)
    if message:
        raise ValidationError(message, code="date_range")


NOT_A_NUMBER = gettext_lazy("Нужно целое число, записанное цифрами 0–9.")


def integer_param(
    params: Params | Mapping[str, str],
    name: str,
    *,
    default: int | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int | None:
    """The integer parameter `name`; `default` when it is absent or empty."""
    text = (params.get(name) or "").strip()
    if not text:
        return default
    try:
        value = parse_integer(text)
    except ValueError:
        raise InvalidParameter(name, str(NOT_A_NUMBER)) from None
    if min_value is not None and value < min_value:
        raise InvalidParameter(name, _("Не меньше %(min)s.") % {"min": min_value})
    if max_value is not None and value > max_value:
        raise InvalidParameter(name, _("Не больше %(max)s.") % {"max": max_value})
    return value


def id_param(params: Params | Mapping[str, str], name: str) -> int | None:
    """The id of an object in parameter `name` (1…2⁶³−1); None when absent or empty."""
    return integer_param(params, name, min_value=1, max_value=MAX_ID)


def id_list_param(params: QueryDict, name: str) -> list[int]:
    """Every id given under `name` (a QueryDict's repeated values), each checked."""
    return [id_param({name: value}, name) or 0 for value in params.getlist(name) if value.strip()]


def choice_param(
    params: Params | Mapping[str, str], name: str, choices: Sequence[str], default: str = ""
) -> str:
    """One of `choices` in parameter `name` (`default` when absent or empty): any other
    value is refused (`InvalidParameter`) rather than read as the default — a link asking
    for `?format=pdf` must not quietly get a page instead."""
    text = (params.get(name) or "").strip()
    if not text:
        return default
    if text not in choices:
        raise InvalidParameter(
            name, _("Возможные значения: %(values)s.") % {"values": ", ".join(choices)}
        )
    return text


def page_param(params: Params | Mapping[str, str], name: str = "page") -> int:
    """A page number for a page list: 1 when absent or not a number in digits 0–9 (as
    Django's `Paginator.get_page` does, but «٣» is not page 3), at most `MAX_PAGE`; the
    paginator shows the last page for any number past it."""
    text = (params.get(name) or "1").strip()
    if re.fullmatch("[0-9]{20,}", text):
        return MAX_PAGE
    try:
        number = parse_integer(text)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(
    params: Params | Mapping[str, str],
    items: Sequence[T] | QuerySet[Any],
    per_page: int,
    *,
    name: str = "page",
) -> Page:
    """The page of `items` that the `name` parameter asks for (`page`; another name for a
    second list on the same page); past the end, the last page."""
    return Paginator(items, per_page).get_page(page_param(params, name))


def query_without(params: QueryDict, *names: str) -> str:
    """The query string without the parameters `names`: what a page list's links keep (the
    filters) when they set their own page number, or drop one filter and the page."""
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def date_param(
    params: Params | Mapping[str, str],
    name: str,
    *,
    default: date | None = None,
    first: date = FIRST_DATE,
    last: date = LAST_DATE,
) -> date | None:
    """The date parameter `name` (YYYY-MM-DD, between `first` and `last`); `default` when
    absent or empty."""
    text = (params.get(name) or "").strip()
    if not text:
        return default
    try:
        value = parse_iso_date(text)
    except ValueError:
        raise InvalidParameter(name, _("Нужна дата в виде ГГГГ-ММ-ДД.")) from None
    message = date_range_error(value, first=first, last=last)
    if message:
        raise InvalidParameter(name, message)
    return value


def reachable_date(day: date, *, first: date = FIRST_DATE, last: date = LAST_DATE) -> date | None:
    """`day` for a navigation link (the previous or next week, month, year) when the page
    it leads to accepts it (`date_param` with the same `first`/`last`), else None: the link
    is not shown rather than lead to a 400 page (issue 11: a room's calendar linked to
    1989-12-25 and 2100-12-27)."""
    return day if first <= day <= last else None


def month_param(
    params: Params | Mapping[str, str], name: str, *, default: date | None = None
) -> date | None:
    """The month parameter `name` (YYYY-MM) as its first day; `default` when absent."""
    text = (params.get(name) or "").strip()
    if not text:
        return default
    if not _ISO_MONTH.fullmatch(text):
        raise InvalidParameter(name, _("Нужен месяц в виде ГГГГ-ММ."))
    return date_param({name: f"{text}-01"}, name)


def year_param(
    params: Params | Mapping[str, str], name: str, *, default: int | None = None
) -> int | None:
    """A year parameter, between the years of `FIRST_DATE` and `LAST_DATE`."""
    return integer_param(
        params, name, default=default, min_value=FIRST_DATE.year, max_value=LAST_DATE.year
    )


class IdConverter:
    """The `<id:pk>` path converter: digits 0–9, at most 19 of them, 1…`MAX_ID`. Django's
    `<int:…>` takes any length, and a 30-digit id compared with a foreign key overflows the
    database driver (500) instead of finding nothing (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # no match: a 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def form_values(form: BaseForm) -> dict[str, Any]:
    """The cleaned values of a form the page does not show again when it is wrong: a list's
    filters in the query string, or the one field of an action button (a priority, a
    role); {} when nothing was sent. A value the form refuses (a district «²», a date in
    year 1, a choice that does not exist) raises `InvalidParameter` naming the first such
    parameter, so the page answers 400 with the reason instead of quietly showing the
    unfiltered list or doing nothing."""
    if not form.is_bound:
        return {}
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        raise InvalidParameter(name, " ".join(str(message) for message in messages))
    return form.cleaned_data
