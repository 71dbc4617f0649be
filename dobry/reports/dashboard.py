"""The dashboard's rows: each passport indicator for the period with its target, the
previous period and the month-by-month trend."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dobry.core.clock import local_today
from dobry.reports import charts, indicators
from dobry.reports.beyond import BEYOND
from dobry.reports.cache import cached
from dobry.reports.indicators import Figure
from dobry.reports.models import Indicator, Snapshot, Target
from dobry.reports.periods import Period

MAX_TREND_MONTHS = 24


@dataclass
class Row:
    figure: Figure
    previous: Figure
    target: Decimal | None
    target_note: str
    trend: list[tuple[str, Decimal]] = field(default_factory=list)
    chart: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def reached(self) -> bool | None:
        return None if self.target is None else self.figure.value >= self.target


def _targets(period: Period) -> tuple[dict[str, Decimal], str]:
    if period.start.year != period.end.year:
        return {}, ""
    targets = dict(Target.objects.filter(year=period.start.year).values_list("indicator", "value"))
    note = "" if period.kind == "year" else _("цель на %(year)s год") % {"year": period.start.year}
    return targets, note


def _stored(months: list[Period]) -> dict[tuple[str, date], Decimal]:
    """Stored values of closed whole months, in one query."""
    today = local_today()
    closed = [m.start for m in months if m.end < today and m.start.day == 1]
    return {
        (indicator, month): value
        for indicator, month, value in Snapshot.objects.filter(month__in=closed).values_list(
            "indicator", "month", "value"
        )
    }


def _trend(months: list[Period]) -> dict[str, list[tuple[str, Decimal]]]:
    """Each indicator's value month by month: the stored value of a closed month, and the
    months without one computed together (a fixed number of queries however many)."""
    values = _stored(months)
    live = [m for m in months if any((key, m.start) not in values for key in Indicator.values)]
    computed = {
        (figure.key, month.start): figure.value
        for figures in indicators.passport_per_period(live)
        for month, figure in zip(live, figures, strict=True)
    }
    values = computed | values
    return {
        key: [(f"{m.start:%m.%y}", values[(key, m.start)]) for m in months]
        for key in Indicator.values
    }


def build(period: Period, *, trend: bool = True, fresh: bool = False) -> list[Row]:
    """Each passport indicator for the period (cached), with the comparison period
    (`Period.comparison`: the same days of the previous period while this one runs) and,
    with `trend`, month by month."""
    return cached(f"rows-{trend}", period, lambda: _build(period, trend=trend), fresh=fresh)


def helped_value(rows: list[Row]) -> Decimal | None:
    """The residents helped (indicator 6) among the rows, for the economics shown beside
    them (`economics.figures(helped=…)`): one number in one answer."""
    for row in rows:
        if row.figure.key == Indicator.HELPED_RESIDENTS:
            return row.figure.value
    return None


def _build(period: Period, *, trend: bool) -> list[Row]:
    targets, note = _targets(period)
    # Months that have not begun are left out: a chart of zeros ahead reads as a collapse.
    begun = [m for m in period.months() if m.started]
    months = begun if trend and len(period.months()) <= MAX_TREND_MONTHS else []
    trends = _trend(months) if months else {}
    rows = []
    for previous, figure in indicators.passport_per_period([period.comparison(), period]):
        row = Row(
            figure=figure,
            previous=previous,
            target=targets.get(figure.key),
            target_note=note,
        )
        if months:
            row.trend = trends[figure.key]
            row.chart = mark_safe(
                charts.bar_chart(
                    row.trend,
                    title=_("%(indicator)s по месяцам") % {"indicator": figure.label},
                )
            )
        rows.append(row)
    return rows


def beyond(period: Period, *, fresh: bool = False) -> list[Figure]:
    return cached("beyond", period, lambda: [compute(period) for compute in BEYOND], fresh=fresh)
