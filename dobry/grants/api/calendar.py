"""The production calendar: a year's days off and working weekends, and the transfers of
the government's decree that staff keep (the desk page «Производственный календарь»)."""

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from dobry.accounts.auth import api_user
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Day
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.grants import permissions
from dobry.grants.agreements import calendar
from dobry.grants.api.access import require
from dobry.grants.models import WorkCalendarDay
from dobry.grants.services import calendar as calendar_services

router = Router()


class CalendarDayOut(Schema):
    day: date
    working: bool
    source: str = Field(description="Where the day comes from: a holiday's name, or a transfer")
    transfer: bool = Field(description="A transfer staff recorded (it wins over the library)")
    note: str


class CalendarDayIn(InputSchema):
    working: bool
    note: str = Field("", max_length=text_limit(WorkCalendarDay, "note"))


class CalendarTransferOut(Schema):
    day: date
    working: bool
    note: str


@router.get(
    "/work-calendar/{int:year}",
    response=list[CalendarDayOut],
    auth=OPTIONAL_AUTH,
    summary="A year's days off and working weekends of the production calendar",
)
def work_calendar_year(request: HttpRequest, year: int) -> list[dict[str, object]]:
    calendar.check_year(year)
    rows = {row.day: row.note for row in WorkCalendarDay.objects.filter(day__year=year)}
    return [
        {
            "day": day,
            "working": working,
            "source": source,
            "transfer": day in rows,
            "note": rows.get(day, ""),
        }
        for day, source, working in calendar.year_days_off(year)
    ]


@router.put(
    "/work-calendar/days/{day}",
    response=CalendarTransferOut,
    summary="Record a transfer of the government's decree: the day is working or a day off",
)
def work_calendar_day_save(
    request: HttpRequest, day: Day, payload: CalendarDayIn
) -> WorkCalendarDay:
    require(permissions.can_keep_work_calendar(api_user(request)))
    return calendar_services.calendar_day_save(
        actor=api_user(request), day=day, working=payload.working, note=payload.note
    )


@router.delete(
    "/work-calendar/days/{day}",
    response={204: None},
    summary="Take a day back to what the holiday library says of it",
)
def work_calendar_day_delete(request: HttpRequest, day: Day) -> Status[None]:
    require(permissions.can_keep_work_calendar(api_user(request)))
    row = get_object_or_404(WorkCalendarDay, day=day)
    calendar_services.calendar_day_delete(actor=api_user(request), row=row)
    return Status(204, None)
