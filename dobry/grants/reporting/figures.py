"""The figures a report is pre-filled with from the platform's own records within the
report's period — «подтверждено платформой», as opposed to what the grantee types:
registrations, attendance and confirmed volunteer hours at the project's events, help
requests done by its help programmes, and (registered by the charity app, which sits
above grants) donations to its campaigns.

The period: from the project's start to the end of the report's period (an interim report
covers the project so far, the final one the whole project), the city's dates."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_moment
from dobry.events.models import Registration
from dobry.grants.models import Agreement, ReportDue
from dobry.helprequests.models import HelpRequest
from dobry.volunteering.models import HoursEntry

# A provider: (agreement, first day, last day) → {figure key: value as text}.
Provider = Callable[[Agreement, date, date], dict[str, str]]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise


FIGURES: dict[str, Figure] = {}
_PROVIDERS: list[Provider] = []


def register(figures: list[Figure], provider: Provider) -> None:
    """Add figures and the function that counts them (called once per app at start-up)."""
    for figure in figures:
        FIGURES[figure.key] = figure
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def period(agreement: Agreement, due: ReportDue) -> tuple[date, date]:
    return agreement.starts_on, due.period_ends_on


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The moments of the city's days `first` … `last`: [start, end)."""
    return local_moment(first, time(0)), local_moment(last + timedelta(days=1), time(0))


def _events(agreement: Agreement, first: date, last: date) -> dict[str, str]:
    start, end = bounds(first, last)
    events = agreement.events.values("pk")
    shifts = Q(shift__event__in=events, shift__starts_at__gte=start, shift__starts_at__lt=end)
    registrations = Registration.objects.filter(shifts)
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
        n=Count("pk"), people=Count("user", distinct=True)
    )
    attended = registrations.filter(checked_in_at__isnull=False).aggregate(
        people=Count("user", distinct=True)
    )
    hours = HoursEntry.objects.confirmed().filter(
        registration__shift__event__in=events, date__gte=first, date__lte=last
    )
    totals = hours.aggregate(hours=Sum("hours"), people=Count("user", distinct=True))
    return {
        "registrations": str(confirmed["n"]),
        "attendees": str(attended["people"]),
        "volunteer_hours": str((totals["hours"] or Decimal(0)).quantize(Decimal("0.01"))),
        "volunteers": str(totals["people"]),
    }


def _help(agreement: Agreement, first: date, last: date) -> dict[str, str]:
    start, end = bounds(first, last)
    done = HelpRequest.objects.filter(
        programme__in=agreement.programmes.values("pk"),
        status=HelpRequest.Status.DONE,
        closed_at__gte=start,
        closed_at__lt=end,
    )
    return {"help_requests_done": str(done.count())}


register(
    [
        Figure("registrations", _("записи на мероприятия проекта")),
        Figure("attendees", _("пришли на мероприятия проекта (отметка прихода), человек")),
        Figure("volunteer_hours", _("подтверждённые часы волонтёров на мероприятиях проекта")),
        Figure("volunteers", _("волонтёры с подтверждёнными часами, человек")),
    ],
    _events,
)
register(
    [Figure("help_requests_done", _("выполненные просьбы о помощи по программам проекта"))], _help
)


def count(agreement: Agreement, due: ReportDue) -> dict[str, Any]:
    """The figures of the report for `due`: {"from", "to" (ISO), "values": {key: text}}."""
    first, last = period(agreement, due)
    values: dict[str, str] = {}
    for provider in _PROVIDERS:
        values |= provider(agreement, first, last)
    return {"from": first.isoformat(), "to": last.isoformat(), "values": values}


def rows(figures: dict[str, Any]) -> list[tuple[str | Promise, str]]:
    """The figures for people: (label, value), in the registered order."""
    values = figures.get("values", {})
    return [(figure.label, values[key]) for key, figure in FIGURES.items() if key in values]
