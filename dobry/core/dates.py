"""Days and moments as a person reads them: «8 марта, 10:00», and «8 марта 2027, 10:00»
once the day is not in the city's current year.

One rule for every page, email and notification: the year is shown whenever it is not the
current year on the city's clock (so «2 января» seen on 31 December reads «2 января 2027»),
and in a range whenever its two ends fall in different years («31 декабря 2026, 22:00 – 8
марта 2027, 12:00»). Moments are shown on the city's clock (``dobry.core.clock``).
Templates use the ``day``/``moment`` filters and the ``time_span`` tag (``{% load dobry %}``).

Formal documents (certificates, the record book, protocols) keep their full dates, and
tables keep the numeric ``d.m.Y``: both always carry the year.
"""

from datetime import date, datetime

from django.utils.formats import date_format

from dobry.core.clock import local_date, local_time, local_today

DAY = "j E"
DAY_YEAR = "j E Y"
MOMENT = "j E, H:i"
MOMENT_YEAR = "j E Y, H:i"
TIME = "H:i"


def _day_of(value: date | datetime) -> date:
    return local_date(value) if isinstance(value, datetime) else value


def _needs_year(value: date | datetime, *, other: date | datetime | None = None) -> bool:
    year = _day_of(value).year
    if other is not None and _day_of(other).year != year:
        return True
    return year != local_today().year


def day_text(value: date | datetime | None) -> str:
    """«8 марта» this year, «8 марта 2027» in any other; a datetime gives its city day."""
    if value is None:
        return ""
    day = _day_of(value)
    return date_format(day, DAY_YEAR if _needs_year(day) else DAY)


def moment_text(value: datetime | None) -> str:
    """«8 марта, 10:00» this year, «8 марта 2027, 10:00» in any other (city clock)."""
    if value is None:
        return ""
    return date_format(local_time(value), MOMENT_YEAR if _needs_year(value) else MOMENT)


def span_text(starts: date | datetime | None, ends: date | datetime | None) -> str:
    """A range: «5 декабря, 10:00–14:00» within one city day; «5 декабря, 22:00 – 6
    декабря, 07:00» across days; each end with its year when that is not the current year
    or the two ends differ in year. Two dates give «1 марта – 8 марта» by the same rule.
    A missing end shows the start alone."""
    if starts is None:
        return ""
    if ends is None:
        return _single(starts)
    if isinstance(starts, datetime) and isinstance(ends, datetime):
        start, end = local_time(starts), local_time(ends)
        start_format = MOMENT_YEAR if _needs_year(start, other=end) else MOMENT
        if local_date(start) == local_date(end):
            return f"{date_format(start, start_format)}–{date_format(end, TIME)}"
        end_format = MOMENT_YEAR if _needs_year(end, other=start) else MOMENT
        return f"{date_format(start, start_format)} – {date_format(end, end_format)}"
    first, last = _day_of(starts), _day_of(ends)
    if first == last:
        return day_text(first)
    first_format = DAY_YEAR if _needs_year(first, other=last) else DAY
    last_format = DAY_YEAR if _needs_year(last, other=first) else DAY
    return f"{date_format(first, first_format)} – {date_format(last, last_format)}"


def _single(value: date | datetime) -> str:
    return moment_text(value) if isinstance(value, datetime) else day_text(value)
