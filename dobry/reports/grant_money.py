"""Grant money per area of the municipal grant programme in a period: granted (agreements
signed), paid (tranches paid) and spent (what accepted grantee reports add). The area of a
grant is its competition's kind — for СО НКО, for residents, for initiative groups: the
programme's own lines of support (applications carry no area of activity of their own).
Aggregates only, on the city's dates; amounts in roubles to the kopeck."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from dobry.core.clock import happened_by_today
from dobry.grants.models import Agreement, Competition, GrantReport, ReportVersion, Tranche
from dobry.reports.counting import within
from dobry.reports.periods import Period

AREA = "application__competition__kind"
ZERO = Decimal("0.00")


@dataclass
class MoneyRow:
    area: str  # the competition kind's code; "" for the total
    label: str
    granted: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Decimal = ZERO


@dataclass
class GrantMoney:
    rows: list[MoneyRow]  # one per area, in the kinds' order
    total: MoneyRow
    method: str = ""
    header: tuple[str, ...] = field(default=())


def _spent(content: dict[str, Any]) -> Decimal:
    """What a report's version says was spent, over its budget lines (blank lines: 0)."""
    total = ZERO
    for row in content.get("spending", []):
        try:
            total += Decimal(str(row.get("spent") or 0))
        except (InvalidOperation, ValueError):
            continue
    return total


def spent_per_area(period: Period) -> dict[str, Decimal]:
    """The spending accepted reports add in the period, per area. A report states what was
    spent since the project's start, so a report accepted in the period adds its total less
    the total of the same agreement's report accepted before it (the final less the
    interim): each rouble is counted once, in the period its report was accepted. One
    query: the accepted versions of the agreements with a report accepted in the period."""
    accepted = ReportVersion.objects.filter(
        decision=ReportVersion.Decision.ACCEPTED,
        report__status=GrantReport.Status.ACCEPTED,
    )
    in_period = accepted.filter(within("report__decided_at", period)).values("report__agreement_id")
    versions = (
        accepted.filter(
            report__decided_at__lt=period.ends_before,
            report__agreement_id__in=in_period,
        )
        .order_by("report__agreement_id", "report__decided_at", "report_id")
        .values_list(
            "report__agreement_id",
            "report__decided_at",
            "content",
            f"report__agreement__{AREA}",
        )
    )
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    before: dict[int, Decimal] = {}
    for agreement, decided_at, content, area in versions:
        total = _spent(content)
        if decided_at >= period.starts_at:
            spent[area] += total - before.get(agreement, ZERO)
        before[agreement] = total
    return dict(spent)


def _sums(rows: Iterable[dict[str, Any]], key: str) -> dict[str, Decimal]:
    return {row[key]: row["total"] or ZERO for row in rows}


def grant_money(period: Period) -> GrantMoney:
    """Per area and in total: granted — the amounts of agreements signed in the period
    (signed ones and finished projects; a terminated agreement's amount is not granted);
    paid — tranches paid in the period (by the day of payment, whatever became of the
    agreement: the money has left); spent — what accepted reports add (`spent_per_area`).
    Three queries."""
    granted = _sums(
        Agreement.objects.filter(
            within("signed_on", period, dates=True),
            happened_by_today("signed_on"),
            status__in=(Agreement.Status.SIGNED, Agreement.Status.CLOSED),
        )
        .values(AREA)
        .annotate(total=Sum("amount"))
        .order_by(),
        AREA,
    )
    paid_key = f"agreement__{AREA}"
    paid = _sums(
        Tranche.objects.filter(
            within("paid_on", period, dates=True),
            happened_by_today("paid_on"),
            status=Tranche.Status.PAID,
        )
        .values(paid_key)
        .annotate(total=Sum("amount"))
        .order_by(),
        paid_key,
    )
    spent = spent_per_area(period)
    rows = [
        MoneyRow(
            kind.value,
            str(kind.label),
            granted.get(kind.value, ZERO),
            paid.get(kind.value, ZERO),
            spent.get(kind.value, ZERO),
        )
        for kind in Competition.Kind
    ]
    total = MoneyRow(
        "",
        _("всего"),
        sum((row.granted for row in rows), ZERO),
        sum((row.paid for row in rows), ZERO),
        sum((row.spent for row in rows), ZERO),
    )
    return GrantMoney(rows, total, method(), header())


def header() -> tuple[str, ...]:
    return (
        _("Направление (вид конкурса)"),
        _("Предоставлено грантов, ₽"),
        _("Перечислено, ₽"),
        _("Израсходовано по отчётам, ₽"),
    )


def method() -> str:
    return _(
        "Направление гранта — вид муниципального конкурса (для СО НКО, для жителей, для "
        "инициативных групп). Предоставлено — суммы соглашений, подписанных в периоде "
        "(действующих и завершённых проектов; расторгнутые не считаются). Перечислено — "
        "транши, перечисленные в периоде, по дате перечисления. Израсходовано — расходы по "
        "статьям бюджета из отчётов, принятых в периоде: отчёт указывает расходы с начала "
        "проекта, поэтому итоговый отчёт добавляет только то, что сверх принятого раньше "
        "промежуточного. Даты — по местному времени; будущие даты не считаются."
    )
