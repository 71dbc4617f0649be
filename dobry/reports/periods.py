"""Reporting periods: a year, a quarter, a month or any span of days, inclusive, in the
municipality's time zone; each knows the period of the same length just before it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.core.clock import local_today
from dobry.core.errors import DomainError

KINDS = ("year", "quarter", "month", "custom")
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "custom"

    def __post_init__(self) -> None:
        if not (self.start.year >= FIRST_YEAR and self.end.year <= LAST_YEAR):
            raise DomainError(
                _("Период — между %(first)s и %(last)s годами.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                field_errors={"from": [_("Проверьте даты.")]},
            )
        if self.end < self.start:
            raise DomainError(
                _("Конец периода раньше начала."), field_errors={"to": [_("Проверьте даты.")]}
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (for `< ends_before` filters)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "quarter":
            start = self.start - relativedelta(months=3)
            return Period(start, self.start - timedelta(days=1), "quarter")
        if self.kind == "month":
            start = self.start - relativedelta(months=1)
            return Period(start, self.start - timedelta(days=1), "month")
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list["Period"]:
        """The calendar months the period covers, clipped to it (for trend charts)."""
        result = []
        cursor = self.start.replace(day=1)
        while cursor <= self.end:
            last = cursor + relativedelta(months=1) - timedelta(days=1)
            result.append(Period(max(cursor, self.start), min(last, self.end), "month"))
            cursor += relativedelta(months=1)
        return result

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("%(quarter)s квартал %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "month":
            return f"{self.start:%m.%Y}"
        return f"{self.start:%d.%m.%Y} — {self.end:%d.%m.%Y}"


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def quarter(number: int, quarter_number: int) -> Period:
    start = date(number, 3 * (quarter_number - 1) + 1, 1)
    return Period(start, start + relativedelta(months=3) - timedelta(days=1), "quarter")


def month(number: int, month_number: int) -> Period:
    start = date(number, month_number, 1)
    return Period(start, start + relativedelta(months=1) - timedelta(days=1), "month")


def span(start: date, end: date) -> Period:
    """A period between two dates, recognised as a calendar year, quarter or month when it
    is one (so that its previous period is the calendar one too)."""
    for candidate in (year(start.year), month(start.year, start.month)):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    if start.month % 3 == 1:
        candidate = quarter(start.year, (start.month - 1) // 3 + 1)
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end)


def from_query(params: dict[str, str], *, today: date | None = None) -> Period:
    """The period asked for in a query string: `kind` with `year`, `quarter`, `month`, or
    `from`/`to` dates. Defaults to the current year."""
    today = today or local_today()
    kind = params.get("kind") or ("custom" if params.get("from") else "year")
    try:
        number = int(params.get("year") or today.year)
        if kind == "quarter":
            return quarter(number, int(params.get("quarter") or (today.month - 1) // 3 + 1))
        if kind == "month":
            return month(number, int(params.get("month") or today.month))
        if kind == "custom":
            return span(
                date.fromisoformat(params.get("from", "")),
                date.fromisoformat(params.get("to") or today.isoformat()),
            )
        return year(number)
    except ValueError:
        raise DomainError(
            _("Неверный период: укажите год, квартал, месяц или даты «с» и «по»."),
            field_errors={"period": [_("Проверьте период.")]},
        ) from None
