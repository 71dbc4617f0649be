"""Open data: the passport's indicators as aggregate figures for any period."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Day, Money
from dobry.core.clock import local_today
from dobry.reports import beyond, dashboard, economics, grant_money, periods
from dobry.reports.cache import cached

router = Router(tags=["reports"])


class KpiQuery(Schema):
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None


class FigureOut(Schema):
    indicator: str
    label: str
    value: Decimal
    unit: str
    previous: Decimal
    target: Decimal | None
    definition: str
    method: str


class EconomicOut(Schema):
    indicator: str
    label: str
    value: Money = Field(description="Roubles, counted whole: «5250.00».")
    unit: str = "₽"
    text: str = Field(description="The value as the report shows it: «5 250 ₽».")
    definition: str
    formula: str = Field(description="The formula with the period's own numbers.")
    method: str = Field(description="Sources, rate and its setting, the period counted.")
    inputs: dict[str, Decimal] = Field(
        description="The numbers the value is computed from (hours and rate per hour; "
        "budget, extra-budgetary roubles and residents helped)."
    )
    setting: str = Field(
        description="The setting that holds the rate, when the figure uses one "
        "(DOBRY_VOLUNTEER_HOUR_RATE)."
    )


class CharityOut(Schema):
    received: Money = Field(description="Donations received in the period, roubles.")
    donors: int = Field(description="Distinct donors (by account, else by payer).")
    campaigns: int = Field(description="Campaigns that received donations.")
    in_kind: Money = Field(description="Help in kind received, by the organisations' estimate.")
    in_kind_givers: int
    method: str


class GrantMoneyRowOut(Schema):
    area: str = Field(
        description="The competition kind (sonko, individuals, "
        "initiative_groups); empty for the total."
    )
    label: str
    granted: Money = Field(description="Agreements signed in the period, roubles.")
    paid: Money = Field(description="Tranches paid in the period, roubles.")
    spent: Money = Field(description="What reports accepted in the period add, roubles.")


class GrantMoneyOut(Schema):
    areas: list[GrantMoneyRowOut]
    total: GrantMoneyRowOut
    method: str


class KpiOut(Schema):
    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    partial: bool = Field(
        description="The period has not ended: figures count only what has happened by now."
    )
    counted_to: date = Field(
        description="The last day the figures include: `to`, or today while the period runs."
    )
    note: str = Field(description="What a partial period covers, in words; empty otherwise.")
    previous_from: date = Field(
        description="The comparison period: the previous one, or its same days while this runs."
    )
    previous_to: date
    indicators: list[FigureOut]
    economics: list[EconomicOut] = Field(
        description="The economic value of volunteer hours and the cost per resident "
        "helped, each with its method."
    )
    charity: CharityOut = Field(description="Money and help in kind received (issue 14).")
    grant_money: GrantMoneyOut = Field(
        description="Municipal grant money per area: granted, paid, spent (issue 15)."
    )


def _period(start: date | None, end: date | None) -> periods.Period:
    if start is None and end is None:
        return periods.year(periods.last_full_year())
    if start is None:
        start = date(end.year, 1, 1)  # type: ignore[union-attr]
    return periods.reportable(periods.span(start, end or max(start, local_today())))


@router.get(
    "/kpi",
    response=KpiOut,
    auth=OPTIONAL_AUTH,
    by_alias=True,
    summary="The passport's six indicators for a period (default: the last full year)",
    description=(
        "Without dates: the last full calendar year. With `from` only: up to today. "
        "Nothing that has not happened yet is counted (future meetings, events, support, "
        "hours); a period that has not ended is marked `partial`."
    ),
)
def kpi(request: HttpRequest, filters: Query[KpiQuery]) -> dict[str, Any]:
    period = _period(filters.from_, filters.to)
    rows = dashboard.build(period, trend=False)
    previous = period.comparison()
    return {
        "from": period.start,
        "to": period.end,
        "partial": period.partial,
        "counted_to": period.counted_until,
        "note": period.partial_note,
        "previous_from": previous.start,
        "previous_to": previous.end,
        "indicators": [
            {
                "indicator": row.figure.key,
                "label": row.figure.label,
                "value": row.figure.value,
                "unit": row.figure.unit,
                "previous": row.previous.value,
                "target": row.target,
                "definition": row.figure.definition,
                "method": row.figure.method,
            }
            for row in rows
        ],
        "economics": [
            {
                "indicator": item.key,
                "label": item.label,
                "value": item.value,
                "text": item.text,
                "definition": item.definition,
                "formula": item.formula,
                "method": item.method,
                "inputs": item.inputs,
                "setting": item.setting,
            }
            for item in economics.figures(period, helped=dashboard.helped_value(rows))
        ],
        "charity": _charity(period),
        "grant_money": _grant_money(period),
    }


def _grant_money(period: periods.Period) -> dict[str, Any]:
    counted = cached("grant_money", period, lambda: grant_money.grant_money(period))

    def row(item: grant_money.MoneyRow) -> dict[str, Any]:
        return {
            "area": item.area,
            "label": item.label,
            "granted": item.granted,
            "paid": item.paid,
            "spent": item.spent,
        }

    return {
        "areas": [row(item) for item in counted.rows],
        "total": row(counted.total),
        "method": counted.method,
    }


def _charity(period: periods.Period) -> dict[str, Any]:
    figure = beyond.charity(period)
    return {
        "received": figure.value,
        "donors": figure.parts["donors"],
        "campaigns": figure.parts["campaigns"],
        "in_kind": figure.parts["in_kind_rub"],
        "in_kind_givers": figure.parts["in_kind_givers"],
        "method": figure.method,
    }
