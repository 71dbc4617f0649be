"""Days and moments as a person reads them: «8 марта, 10:00», and «8 марта 2027, 10:00»
once the day is not in the city's current year.

One rule for every page, email and notification: the year is shown whenever it is not the
current year on the city's clock (so «2 января» seen on 31 December reads «2 января 2027»),
and in a range whenever its two ends fall in different years («31 декабря 2026, 22:00 – 8
марта 2027, 12:00»). Moments are shown on the city's clock (``dobry.core.clock``).
Templates use the ``day``/``moment`` filters and the ``time_span`` tag (``{% load dobry %}``).

A status says where something stands on the same clock: «подтверждено» for a booking whose
time has passed reads «прошло» (`status_text`, the ``status`` filter).

Formal documents (certificates, the record book, protocols) keep their full dates, and
tables keep the numeric ``d.m.Y``: both always carry the year.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
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


# A label, or what gives one from the object (None: the status label stays).
Label = Any


@dataclass(frozen=True)
class StatusInTime:
    """How a model's statuses read against the clock, declared on the model as
    ``STATUS_IN_TIME``: once `ends(obj)` has passed, a status named in `past` reads as given
    there (a label, or a function of the object returning one). `first`, when given, is
    asked before anything else — a registration checked in reads «на смене» whatever
    the hour."""

    ends: Callable[[Any], datetime | None]
    past: Mapping[str, Label] = field(default_factory=dict)
    first: Callable[[Any], Label] | None = None


def _label(label: Label, obj: Any) -> Any:
    return label(obj) if callable(label) else label


def status_text(obj: Any, *, label: str | None = None, now: datetime | None = None) -> str:
    """The status of `obj` as a person reads it now: «записан» before the shift, «участие
    отмечено» or «неявка» after it; «опубликовано» before the event, «прошло» after it.
    The rule is the model's `STATUS_IN_TIME`; otherwise the status reads `label` (a
    workflow's public or staff name), else the status field's label.
    The end is a moment, compared with now as such — the same instant on every clock,
    shown to people on the city's (``moment``)."""
    rule: StatusInTime | None = getattr(type(obj), "STATUS_IN_TIME", None)
    if rule is not None:
        if rule.first is not None and (early := rule.first(obj)) is not None:
            return str(early)
        ends = rule.ends(obj)
        if ends is not None and ends <= (now or timezone.now()):
            late = _label(rule.past.get(obj.status), obj)
            if late is not None:
                return str(late)
    return label if label is not None else str(obj.get_status_display())
