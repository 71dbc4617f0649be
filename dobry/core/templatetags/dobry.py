from datetime import date, datetime
from typing import Any

from django import template
from django.db import models
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dobry.core.dates import day_text, moment_text, span_text, status_text
from dobry.core.numbers import amount as amount_text
from dobry.core.numbers import plain_number
from dobry.core.references import Link
from dobry.core.request_values import parse_iso_date
from dobry.core.typography import quoted as quote_name
from dobry.core.workflow import workflow_of

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


@register.filter
def day(value: date | datetime | None) -> str:
    """A day a person reads: «8 марта», or «8 марта 2027» outside the current year (see
    dobry.core.dates); a datetime gives its day on the city's clock."""
    return day_text(value)


@register.filter
def typed_day(value: Any) -> str:
    """A day typed into a form and kept as ISO text (a row of a calendar plan) as people
    read it, «01.02.2027» like the days beside it; anything else as it is."""
    try:
        return formats.date_format(parse_iso_date(str(value)), "d.m.Y")
    except ValueError:
        return str(value or "")


@register.filter
def moment(value: datetime | None) -> str:
    """A moment a person reads: «8 марта, 10:00», or «8 марта 2027, 10:00» outside the
    current year, on the city's clock (see dobry.core.dates)."""
    return moment_text(value)


@register.simple_tag
def time_span(starts_at: date | datetime | None, ends_at: date | datetime | None) -> str:
    """A start and an end on the city's clock: «5 декабря, 10:00–14:00» within one local
    day, «5 декабря, 22:00 – 6 декабря, 07:00» when the end falls on another local day
    (an overnight shift), years shown by the rule of dobry.core.dates (outside the current
    year, or when the ends differ in year)."""
    return span_text(starts_at, ends_at)


@register.filter
def status_name(obj: models.Model) -> str:
    """The state of the object as staff read it, from its model's workflow
    (`dobry.core.workflow`), and as it reads now (`dobry.core.dates.status_text`)."""
    workflow = workflow_of(obj)
    return status_text(obj, label=workflow.staff_name(getattr(obj, workflow.field)))


@register.filter
def public_status(obj: models.Model) -> str:
    """The state of the object as the person it belongs to reads it (the workflow's
    public name, else the staff name), and as it reads now."""
    workflow = workflow_of(obj)
    return status_text(obj, label=workflow.public_name(getattr(obj, workflow.field)))


@register.simple_tag
def reference_link(link: Link | None) -> SafeString:
    """A resolved reference (`obj.<name>_link` after `references.attach`): its title as a
    link to its page, the title alone when it has none, and «недоступно» when the target
    was deleted or the reader may not see it (nothing of it is shown)."""
    if link is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("недоступно"))
    if not link.url:
        return format_html("{}", link.title)
    return format_html('<a href="{}">{}</a>', link.url, link.title)


@register.filter
def status(value: Any) -> str:
    """`{{ booking|status }}`: the status as it reads now — «прошло» once the time it was
    about has passed (`dobry.core.dates.status_text`), for models with or without a
    workflow."""
    return status_text(value)


@register.filter
def amount(value: Any) -> str:
    """`{{ award.amount|amount }}`: a sum as people write it, «150 000» or «1 234,50»
    (`dobry.core.numbers.amount`), from a number or the text of one kept in JSON."""
    return amount_text(value)
