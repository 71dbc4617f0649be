"""The Russian production calendar (производственный календарь): which days are working
days, and dates counted in working days («within 15 working days of the project's end»).

A day is a day off when it is a Saturday or a Sunday, or a public holiday of the `holidays`
library (the non-working holidays of ТК РФ ст. 112 with the days off moved by law when a
holiday falls on a weekend, and the transfers the library already knows), unless staff
recorded it otherwise: the government's yearly decree on transfers of days off is kept as
`WorkCalendarDay` rows (the «Производственный календарь» desk page and the admin), and a
row always wins — a weekday made a day off, a Saturday made a working day.

Read a calendar once for the years a rule spans (`work_calendar`: one query), then ask it
as often as needed."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dobry.core.errors import DomainError
from dobry.core.request_values import FIRST_DATE, LAST_DATE
from dobry.grants.models import WorkCalendarDay

COUNTRY = "RU"
# A count of working days above this is a typing slip, not a rule (a year has ~247).
MAX_WORKING_DAYS = 400


def public_holidays(year: int) -> dict[date, str]:
    """The library's days off of `year` (holidays and the days moved by law), by date,
    each with its name in the active language (Russian, else the library's English)."""
    language = "ru" if get_language() == "ru" else "en_US"
    return _public_holidays(year, language)


@lru_cache(maxsize=128)
def _public_holidays(year: int, language: str) -> dict[date, str]:
    # cached: the library's rules do not change while the process runs
    known = holidays.country_holidays(COUNTRY, years=year, language=language)
    return dict(known.items())


@lru_cache(maxsize=64)
def weekend_workdays(year: int) -> frozenset[date]:
    """Saturdays and Sundays the library knows were made working days in `year`."""
    known = holidays.country_holidays(COUNTRY, years=year)
    return frozenset(known.weekend_workdays)


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar of the years `first_year`–`last_year` with staff's rows read in."""

    first_year: int
    last_year: int
    overrides: dict[date, bool]

    def is_working_day(self, day: date) -> bool:
        """A working day: a staff row's word, else Monday to Friday that is not a holiday
        of the library, or a weekend day the library knows was made a working day."""
        if day in self.overrides:
            return self.overrides[day]
        if day in _public_holidays(day.year, "en_US"):
            return False
        return day.weekday() < 5 or day in weekend_workdays(day.year)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself does not count; 0 gives
        `day`). ValueError past the years the calendar was read for, or for a count
        outside 0–`MAX_WORKING_DAYS`."""
        if not 0 <= count <= MAX_WORKING_DAYS:
            raise ValueError(f"working days out of range: {count}")
        while count > 0:
            day += timedelta(days=1)
            if day.year > self.last_year:
                raise ValueError(f"{day} is past the calendar read ({self.last_year})")
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included (0 when `last` < `first`)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


def work_calendar(first: date, last: date | None = None) -> WorkCalendar:
    """The calendar from the year of `first` to the year after `last` (a count of working
    days from the end of a year runs into the next), staff's rows read in one query."""
    last_year = min((last or first).year + 1, LAST_DATE.year)
    first_year = max(first.year, FIRST_DATE.year)
    rows = WorkCalendarDay.objects.filter(day__year__gte=first_year, day__year__lte=last_year)
    return WorkCalendar(first_year, last_year, dict(rows.values_list("day", "working")))


def add_working_days(day: date, count: int) -> date:
    """`day` plus `count` working days, for a single date (see `WorkCalendar`)."""
    return work_calendar(day, day + timedelta(days=count * 2 + 30)).add_working_days(day, count)


def year_days_off(year: int) -> list[tuple[date, str, bool]]:
    """What the calendar makes of the days of `year` that are not a plain weekday at
    work or a plain weekend: (day, where it comes from, working) — holidays and moved
    days of the library, staff's rows — for the desk page."""
    calendar = work_calendar(date(year, 1, 1), date(year, 12, 31))
    days: dict[date, tuple[str, bool]] = {
        day: (name, False) for day, name in public_holidays(year).items()
    }
    for day in weekend_workdays(year):
        days[day] = (_("рабочий выходной по закону"), True)
    for day, working in calendar.overrides.items():
        if day.year == year:
            days[day] = (_("перенос, внесённый сотрудниками"), working)
    return [(day, source, working) for day, (source, working) in sorted(days.items())]


def check_year(year: int) -> int:
    """A year the calendar can speak of; DomainError at `year` otherwise."""
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        message = _("Год — от %(first)s до %(last)s.") % {
            "first": FIRST_DATE.year,
            "last": LAST_DATE.year,
        }
        raise DomainError(message, field_errors={"year": [message]})
    return year
