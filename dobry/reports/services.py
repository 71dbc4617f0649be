"""What staff enter for the reports: targets, reach figures, infrastructure tags."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.validators import require_fact_date
from dobry.events.models import Event
from dobry.reports import breakdowns, cache, dashboard, economics, hours, indicators, periods
from dobry.reports.models import Indicator, ReachFigure, Snapshot, Target
from dobry.reports.periods import Period, year


def target_set(*, actor: User, indicator: str, year: int, value: Decimal | None) -> Target | None:
    """Set (or, with no value, remove) the target of an indicator for a year."""
    if indicator not in Indicator.values:
        raise DomainError(_("Неизвестный показатель."))
    if not periods.FIRST_REPORT_YEAR <= year <= periods.LAST_YEAR:
        raise DomainError(
            _("Год — от %(first)s до %(last)s.")
            % {"first": periods.FIRST_REPORT_YEAR, "last": periods.LAST_YEAR},
            field_errors={"year": [_("Проверьте год.")]},
        )
    if value is not None and value < 0:
        raise DomainError(
            _("Цель не может быть отрицательной."),
            field_errors={indicator: [_("Не может быть отрицательной.")]},
        )
    with transaction.atomic():
        if value is None:
            existing = Target.objects.filter(indicator=indicator, year=year).first()
            if existing is not None:
                log_action(actor=actor, action="report.target_remove", obj=existing)
                existing.delete()
            cache.forget()
            return None
        target, _created = Target.objects.update_or_create(
            indicator=indicator, year=year, defaults={"value": value, "updated_by": actor}
        )
        log_action(
            actor=actor,
            action="report.target",
            obj=target,
            data={"indicator": indicator, "year": year, "value": str(value)},
        )
    cache.forget()
    return target


def reach_add(
    *, actor: User, day: date, channel: str, title: str, source: str, people: int
) -> ReachFigure:
    errors: dict[str, list[str]] = {}
    if channel not in ReachFigure.Channel.values:
        errors["channel"] = [_("Выберите канал.")]
    if not title.strip():
        errors["title"] = [_("Обязательное поле.")]
    if not source.strip():
        errors["source"] = [_("Укажите, откуда цифра: без источника охват не учитывается.")]
    if people <= 0:
        errors["people"] = [_("Охват — положительное число.")]
    elif people > settings.DOBRY_POPULATION:
        # indicator 2 is a share of the city's residents: one publication's reach counted
        # in residents cannot be more of them than live there (issue 11: 999,999,999)
        errors["people"] = [
            _("Охват одной публикации не может быть больше населения города (%(population)s).")
            % {"population": settings.DOBRY_POPULATION}
        ]
    if errors:
        raise DomainError(_("Проверьте охват."), field_errors=errors)
    require_fact_date(day, field="date")  # reach is a fact: not in the future
    with transaction.atomic():
        figure = ReachFigure.objects.create(
            date=day,
            channel=channel,
            title=title.strip(),
            source=source.strip(),
            people=people,
            created_by=actor,
        )
        log_action(actor=actor, action="report.reach_add", obj=figure, data={"people": people})
    cache.forget()
    return figure


def reach_delete(*, actor: User, figure: ReachFigure) -> None:
    with transaction.atomic():
        log_action(actor=actor, action="report.reach_delete", obj=figure)
        figure.delete()
    cache.forget()


def event_set_infrastructure(*, actor: User, event: Event, infrastructure: bool) -> Event:
    """Count (or stop counting) an event as one of the project's infrastructure events."""
    with transaction.atomic():
        event.infrastructure = infrastructure
        event.save(update_fields=["infrastructure"])
        log_action(
            actor=actor,
            action="event.infrastructure",
            obj=event,
            data={"infrastructure": infrastructure},
        )
    cache.forget()
    return event


def _jsonable(parts: dict[str, Any]) -> dict[str, Any]:
    return {
        key: str(value) if isinstance(value, Decimal) else value for key, value in parts.items()
    }


def snapshots_store(*, months: list[Period], recompute: bool = False) -> int:
    """Store each indicator's value for each closed month given; months already stored
    stay as they are unless `recompute`. The months are computed together and written in
    one statement. Returns how many values were written."""
    today = local_today()
    closed = [month for month in months if month.end < today]  # an open month is live
    stored = set(
        Snapshot.objects.filter(month__in=[month.start for month in closed]).values_list(
            "indicator", "month"
        )
    )
    due = [
        month
        for month in closed
        if recompute or any((key, month.start) not in stored for key in Indicator.values)
    ]
    values = [
        Snapshot(
            indicator=figure.key,
            month=month.start,
            value=figure.value,
            parts=_jsonable(figure.parts),
        )
        for figures in indicators.passport_per_period(due)
        for month, figure in zip(due, figures, strict=True)
        if recompute or (figure.key, month.start) not in stored
    ]
    Snapshot.objects.bulk_create(
        values,
        update_conflicts=True,
        unique_fields=["indicator", "month"],
        update_fields=["value", "parts", "computed_at"],
    )
    return len(values)


def snapshots_recompute(*, actor: User, year_number: int) -> int:
    """Staff recompute a year's stored months (after correcting records), with an audit
    entry."""
    with transaction.atomic():
        written = snapshots_store(months=year(year_number).months(), recompute=True)
        log_action(
            actor=actor,
            action="report.snapshots_recompute",
            obj=actor,
            data={"year": year_number, "values": written},
        )
    cache.forget(records=True)
    return written


def snapshots_due() -> int:
    """The periodic job: store the closed months of this year and the last that lack values."""
    today = local_today()
    months = year(today.year - 1).months() + year(today.year).months()
    return snapshots_store(months=months)


def reports_warm(*, today: date | None = None) -> list[str]:
    """Compute the open periods' figures — this year, quarter and month — ahead of the
    visitors, and last year's when not kept, in the default language: at region scale a
    first computation takes seconds (docs/benchmarks.md)."""
    today = today or local_today()
    due = (
        (year(today.year), True),
        (periods.quarter(today.year, (today.month - 1) // 3 + 1), True),
        (periods.month(today.year, today.month), True),
        (year(today.year - 1), False),
    )
    warmed = []
    with translation.override(settings.LANGUAGE_CODE):
        for period, fresh in due:
            hours.tally(period, fresh=fresh)  # read by the figures below
            dashboard.build(period, fresh=fresh)
            dashboard.beyond(period, fresh=fresh)
            breakdowns.tables(period, fresh=fresh)
            economics.figures(period, fresh=fresh)
            warmed.append(period.label)
    return warmed
