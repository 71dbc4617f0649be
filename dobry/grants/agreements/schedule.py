"""What an agreement is made of, computed from the winning application: the project's
period, the budget lines, the reporting schedule in working days and the tranches.

The rules (settings, docs/grants.md «После итогов»):
- the project runs from the first start to the last end of its calendar plan; without a
  plan, from the agreement's date to the end of that year (or a year on, when the year
  ends within a month);
- the final report is due `DOBRY_GRANT_FINAL_REPORT_WORKING_DAYS` working days after the
  project's end; a project longer than `DOBRY_GRANT_INTERIM_AFTER_DAYS` days also reports
  on its first half, `DOBRY_GRANT_INTERIM_REPORT_WORKING_DAYS` working days after its
  middle;
- with an interim report the grant is paid in two tranches: the first
  (`DOBRY_GRANT_FIRST_TRANCHE_PERCENT` of it) `DOBRY_GRANT_TRANCHE_WORKING_DAYS` working
  days after the agreement's date, the rest as many working days after the interim
  report is due; otherwise in one tranche;
- the budget lines are the application's lines with grant money requested; when the
  commission awarded less than requested (partial funding) each line is cut in proportion,
  to the kopeck, the kopecks left over going to the largest line."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings

from dobry.core.request_values import LAST_DATE, parse_decimal, parse_iso_date
from dobry.grants.agreements.calendar import WorkCalendar, work_calendar
from dobry.grants.models import ReportDue

KOPECK = Decimal("0.01")
SHORT_YEAR_END = timedelta(days=31)
# A project ends a year before the last date the platform accepts, so that its reports,
# due in working days after it, fall within the production calendar (the attacker's
# project moved to 2100-12-31 made its approval a 500).
LAST_PROJECT_DAY = date(LAST_DATE.year - 1, 12, 31)


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class PlannedReport:
    kind: str
    period_ends_on: date
    working_days: int
    due_on: date


@dataclass(frozen=True)
class PlannedTranche:
    planned_on: date
    amount: Decimal


def _day(text: Any) -> date | None:
    try:
        return parse_iso_date(str(text or ""))
    except ValueError:
        return None


def project_period(calendar_rows: list[dict[str, Any]], concluded_on: date) -> Period:
    """The project's first and last day from its calendar plan (see the module); an end
    past `LAST_PROJECT_DAY` is not taken."""
    starts = [d for row in calendar_rows if (d := _day(row.get("starts_on")))]
    ends = [d for row in calendar_rows if (d := _day(row.get("ends_on"))) and d <= LAST_PROJECT_DAY]
    if starts and ends and min(starts) <= max(ends):
        return Period(min(starts), max(ends))
    year_end = date(concluded_on.year, 12, 31)
    if year_end - concluded_on < SHORT_YEAR_END:
        year_end = concluded_on + timedelta(days=365)
    return Period(concluded_on, year_end)


def report_schedule(period: Period, days: WorkCalendar) -> list[PlannedReport]:
    """The reports of a project of `period`: the interim one for a long project, the final."""
    reports = []
    if (period.ends_on - period.starts_on).days > settings.DOBRY_GRANT_INTERIM_AFTER_DAYS:
        middle = period.starts_on + (period.ends_on - period.starts_on) // 2
        wait = settings.DOBRY_GRANT_INTERIM_REPORT_WORKING_DAYS
        reports.append(
            PlannedReport(ReportDue.Kind.INTERIM, middle, wait, days.add_working_days(middle, wait))
        )
    wait = settings.DOBRY_GRANT_FINAL_REPORT_WORKING_DAYS
    reports.append(
        PlannedReport(
            ReportDue.Kind.FINAL, period.ends_on, wait, days.add_working_days(period.ends_on, wait)
        )
    )
    return reports


def tranche_schedule(
    amount: Decimal, concluded_on: date, reports: list[PlannedReport], days: WorkCalendar
) -> list[PlannedTranche]:
    """The payments of `amount` (see the module): one, or two around the interim report."""
    wait = settings.DOBRY_GRANT_TRANCHE_WORKING_DAYS
    first_on = days.add_working_days(concluded_on, wait)
    interim = [r for r in reports if r.kind == ReportDue.Kind.INTERIM]
    share = Decimal(settings.DOBRY_GRANT_FIRST_TRANCHE_PERCENT) / 100
    if not interim or share >= 1:
        return [PlannedTranche(first_on, amount)]
    first = (amount * share).quantize(KOPECK, rounding=ROUND_DOWN)
    second_on = max(days.add_working_days(interim[0].due_on, wait), first_on)
    return [PlannedTranche(first_on, first), PlannedTranche(second_on, amount - first)]


def budget_lines(
    rows: list[dict[str, Any]], amount: Decimal, fallback: str
) -> list[tuple[str, Decimal]]:
    """(item, roubles) of each budget row with grant money requested, cut in proportion to
    `amount` when the rows ask for more (or less); one line named `fallback` without rows."""
    asked = []
    for row in rows:
        try:
            requested = parse_decimal(str(row.get("requested") or "0"))
        except ValueError:
            continue
        if requested > 0:
            asked.append((str(row.get("item") or fallback), requested))
    total = sum((requested for _item, requested in asked), Decimal(0))
    if not asked or amount <= 0:
        return [(fallback, amount)]
    if total == amount:
        return asked
    lines = [
        (item, (requested * amount / total).quantize(KOPECK, rounding=ROUND_DOWN))
        for item, requested in asked
    ]
    left = amount - sum((line for _item, line in lines), Decimal(0))
    largest = max(range(len(lines)), key=lambda index: lines[index][1])
    item, line = lines[largest]
    lines[largest] = (item, line + left)
    return lines


def calendar_for(period: Period, concluded_on: date) -> WorkCalendar:
    """The production calendar read once for every date of an agreement's schedule."""
    return work_calendar(
        min(concluded_on, period.starts_on), max(period.ends_on, concluded_on) + timedelta(days=365)
    )
