"""Open data: the passport's indicators as aggregate figures for any period."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Day
from dobry.core.clock import local_today
from dobry.reports import dashboard, periods

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


class KpiOut(Schema):
    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    previous_from: date
    previous_to: date
    indicators: list[FigureOut]


@router.get(
    "/kpi",
    response=KpiOut,
    auth=OPTIONAL_AUTH,
    by_alias=True,
    summary="The passport's six indicators for a period (default: this year so far)",
)
def kpi(request: HttpRequest, filters: Query[KpiQuery]) -> dict[str, Any]:
    today = local_today()
    period = periods.span(filters.from_ or date(today.year, 1, 1), filters.to or today)
    rows = dashboard.build(period, trend=False)
    previous = period.previous()
    return {
        "from": period.start,
        "to": period.end,
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
    }
