"""The city's clock. The database holds aware UTC datetimes; every date a rule or a person
sees — an age on the day of a shift, a qualification's expiry, «today», a period, a cell in
an export — is the date on the city's wall clock (``settings.TIME_ZONE``, e.g.
Asia/Krasnoyarsk, UTC+7). ``moment.date()`` on a UTC datetime is the previous day for
anything before 07:00 local time, so rules take dates only from these helpers.

The city's zone is used even when another time zone is active on the thread: a rule must
not depend on who is looking.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def city_zone() -> ZoneInfo:
    """The city's time zone (``settings.TIME_ZONE``)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_now() -> datetime:
    """Now, aware, on the city's clock."""
    return timezone.now().astimezone(city_zone())


def local_time(moment: datetime) -> datetime:
    """An aware datetime shown on the city's clock (still aware). Raises ValueError for a
    naive datetime: its meaning is unknown."""
    if timezone.is_naive(moment):
        raise ValueError("local_time() needs an aware datetime")
    return moment.astimezone(city_zone())


def local_date(moment: datetime) -> date:
    """The city's calendar date of an aware datetime: 2027-02-28 23:00 UTC is 2027-03-01
    in Krasnoyarsk. Raises ValueError for a naive datetime."""
    return local_time(moment).date()


def local_today() -> date:
    """Today's date on the city's clock."""
    return local_now().date()


def local_naive(moment: datetime) -> datetime:
    """The city's wall-clock time without a zone, for files that cannot hold one (XLSX)."""
    return local_time(moment).replace(tzinfo=None)


def start_of_local_day(day: date) -> datetime:
    """The aware moment the city's day ``day`` begins (00:00 local)."""
    return datetime.combine(day, time.min, tzinfo=city_zone())


def local_moment(day: date, at: time) -> datetime:
    """The aware moment of the wall-clock time ``at`` on the city's day ``day`` (a booking
    from 18:00 on 1 March is 11:00 UTC), whatever time zone is active on the thread."""
    return datetime.combine(day, at, tzinfo=city_zone())


def hours_passed_in_day(day: date, *, since: datetime | None = None) -> Decimal:
    """How many hours of the city's day ``day`` have passed by now (after the aware moment
    ``since`` when given), in hundredths, rounded down: 24 for a whole past day, the hours
    since local midnight today (at 06:00 in the city, 6), 0 for a day still to come or one
    that ended before ``since``. What a person may report for a day cannot be more."""
    begins = start_of_local_day(day)
    ends = start_of_local_day(day + timedelta(days=1))
    if since is not None:
        begins = max(begins, since)
    ends = min(ends, timezone.now())
    if ends <= begins:
        return Decimal("0")
    # in UTC: a wall-clock difference inside one zone would ignore a change of offset
    span = ends.astimezone(UTC) - begins.astimezone(UTC)
    passed = Decimal(span.total_seconds()) / Decimal(3600)
    return passed.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def week_start(day: date) -> date:
    """The Monday of the week (Monday to Sunday) that contains the city's date ``day``: on
    a Sunday that is six days before, never the next day. Take ``day`` from
    ``local_today()`` or ``local_date()``: late on a Sunday in the city it is still Sunday
    there, and early on a Monday in the city it is still Sunday in UTC."""
    return day - timedelta(days=day.weekday())


def local_add(moment: datetime, step: timedelta | relativedelta) -> datetime:
    """``moment`` moved by ``step`` on the city's wall clock (aware result): a repeat of
    06:00 local on 1 March by one month is 06:00 local on 1 April — in UTC the first is
    on 28 February, and a month later in UTC would be 28 March. A day past the end of the
    target month is clamped (31 Jan + 1 month = 28/29 Feb)."""
    return (local_naive(moment) + step).replace(tzinfo=city_zone())


# --- what has happened ---------------------------------------------------------------------
# One rule for every figure the platform shows — reports, the open-data API, totals on
# profiles and registries: a count never includes what has not happened yet. A row dated by
# a moment (a meeting, an event) counts once that moment has come; a row dated by a day
# (hours, support, reach) once that day has begun on the city's clock. December's future
# meetings are not «held» on 15 December, whatever period is asked for.


def happened_by_now(field: str) -> Q:
    """Rows whose moment ``field`` (a DateTimeField) is not after now."""
    return Q(**{f"{field}__lte": timezone.now()})


def happened_by_today(field: str) -> Q:
    """Rows whose day ``field`` (a DateField) is not after the city's today."""
    return Q(**{f"{field}__lte": local_today()})
