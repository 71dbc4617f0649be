from datetime import datetime
from typing import Any

from django import template
from django.utils.formats import date_format

from dobry.core.clock import local_date, local_time
from dobry.core.numbers import plain_number
from dobry.core.typography import quoted as quote_name

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def plain(value: Any) -> str:
    """4.50 → «4,5», 12.00 → «12» (see dobry.core.numbers)."""
    return plain_number(value)


@register.filter
def quoted(value: Any) -> str:
    """A name in quotes of the active language, its own quotes made inner ones:
    «КРОО „АРГО“» (see dobry.core.typography)."""
    return quote_name(value)


@register.simple_tag
def time_span(starts_at: datetime, ends_at: datetime, start_format: str = "j E, H:i") -> str:
    """A start and an end on the city's clock: «5 декабря, 10:00–14:00» within one local
    day, «5 декабря, 22:00 – 6 декабря, 07:00» when the end falls on another local day
    (an overnight shift). ``start_format`` is a Django date format for the start; the end
    takes the same format when its date is needed."""
    starts, ends = local_time(starts_at), local_time(ends_at)
    if local_date(starts) == local_date(ends):
        return f"{date_format(starts, start_format)}–{date_format(ends, 'H:i')}"
    return f"{date_format(starts, start_format)} – {date_format(ends, start_format)}"
