"""Reporting periods: a year, a quarter, a month or any span of days, inclusive, in the
municipality's time zone; each knows the period of the same length just before it.

A period that has not ended (this year, say) is partial: figures count only what has
happened by now (`dobry.core.clock.happened_by_now`/`happened_by_today`), so pages say
«с 1 января по 15 декабря» and compare with the same days of the previous period, not with
a whole one — which made a year in progress look like a collapse. Reports open on the last
full calendar year."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import formats
from django.utils.translation import gettext as _

from dobry.core.clock import local_today, start_of_local_day
from dobry.core.dates import DAY, DAY_YEAR
from dobry.core.errors import DomainError
from dobry.core.request_values import (
    FIRST_DATE,
    LAST_DATE,
    InvalidParameter,
    date_param,
    integer_param,
    year_param,
)

KINDS = ("year", "quarter", "month", "custom")
FIRST_YEAR, LAST_YEAR = FIRST_DATE.year, LAST_DATE.year
# The first year a report can show: the year it is compared with is the platform's first.
FIRST_REPORT_YEAR = FIRST_YEAR + 1


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
        return start_of_local_day(self.start)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (for `< ends_before` filters)."""
        return start_of_local_day(self.end + timedelta(days=1))

    @property
    def partial(self) -> bool:
        """The period has not ended: its last day is today or later on the city's clock."""
        return self.end >= local_today()

    @property
    def started(self) -> bool:
        return self.start <= local_today()

    @property
    def counted_until(self) -> date:
        """The last day figures can include: the period's end, or today while it runs."""
        return min(self.end, local_today())

    @property
    def partial_note(self) -> str:
        """What a partial period's figures cover, in words («с 1 января по 15 декабря
        2026 года»); empty for a period that has ended."""
        if not self.partial:
            return ""
        if not self.started:
            return _("Период ещё не начался: за него пока нечего считать.")
        return _(
            "Неполный период: учтено только то, что уже произошло, — с %(start)s по %(today)s."
        ) % {
            # The end always with its year (a report names its period in full), the start
            # with its own when the two differ (the rule of dobry.core.dates).
            "start": formats.date_format(
                self.start, DAY if self.start.year == self.counted_until.year else DAY_YEAR
            ),
            "today": formats.date_format(self.counted_until, DAY_YEAR),
        }

    def comparison(self) -> "Period":
        """The period to compare with: the previous one, or — while this one runs — the
        same number of its first days (1 January – 15 December of last year for this year
        on 15 December)."""
        previous = self.previous()
        if not self.partial or not self.started:
            return previous
        end = min(previous.end, previous.start + (self.counted_until - self.start))
        return previous if end == previous.end else Period(previous.start, end)

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


def last_full_year(today: date | None = None) -> int:
    """The last calendar year that has ended on the city's clock: reports open on it."""
    return (today or local_today()).year - 1


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
    `from`/`to` dates (read by `dobry.core.request_values`). Defaults to the last full
    calendar year (this year is only partial).
    Raises DomainError naming the parameter that is wrong."""
    today = today or local_today()
    try:
        period = _period(params, today)
    except InvalidParameter as error:
        raise DomainError(
            _("Неверный период: укажите год, квартал, месяц или даты «с» и «по»."),
            field_errors=error.field_errors,
        ) from None
    return reportable(period, field="from" if period.kind == "custom" else "year", today=today)


def reportable(period: Period, *, field: str = "from", today: date | None = None) -> Period:
    """The period, when a report can show it: it has begun on the city's clock (a period
    not begun has nothing to count — the KPI of 2100 showed figures and «с 1 января 2100 по
    30 ноября 2026»; one that runs is counted up to today, `Period.counted_until`); it is
    compared with the period of the same length just before it, and both lie within the
    dates the platform accepts (`FIRST_DATE`–`LAST_DATE`, `dobry.core.request_values`) — so
    the year 1990 itself cannot be reported, 1991 can. Raises DomainError naming `field`
    otherwise. The pages, their exports and GET /api/v1/kpi alike."""
    today = today or local_today()
    if period.start > today:
        raise DomainError(
            _(
                "Период ещё не начался: за него пока нечего считать. Выберите период, "
                "который начинается не позже %(today)s."
            )
            % {"today": formats.date_format(today, DAY_YEAR)},
            field_errors={field: [_("Период ещё не начался.")]},
        )
    try:
        period.previous()
    except DomainError:
        earliest = FIRST_DATE + timedelta(days=period.days)
        if period.kind == "year":
            earliest = date(FIRST_REPORT_YEAR, 1, 1)
        raise DomainError(
            _(
                "Отчёт сравнивает период с предыдущим такой же длины, а даты на платформе — "
                "не раньше %(first)s. Выберите период, который начинается %(earliest)s "
                "или позже."
            )
            % {
                "first": formats.date_format(FIRST_DATE, DAY_YEAR),
                "earliest": formats.date_format(earliest, DAY_YEAR),
            },
            field_errors={field: [_("Слишком ранний период.")]},
        ) from None
    return period


def _period(params: dict[str, str], today: date) -> Period:
    kind = params.get("kind") or ("custom" if params.get("from") else "year")
    if kind == "year":
        return year(year_param(params, "year") or last_full_year(today))
    number = year_param(params, "year", default=today.year) or today.year
    if kind == "quarter":
        default_quarter = (today.month - 1) // 3 + 1
        number_in_year = integer_param(
            params, "quarter", default=default_quarter, min_value=1, max_value=4
        )
        return quarter(number, number_in_year or default_quarter)
    if kind == "month":
        month_number = integer_param(
            params, "month", default=today.month, min_value=1, max_value=12
        )
        return month(number, month_number or today.month)
    if kind == "custom":
        start = date_param(params, "from")
        if start is None:
            raise InvalidParameter("from", _("Укажите дату «с»."))
        return span(start, date_param(params, "to", default=today) or today)
    return year(last_full_year(today))
