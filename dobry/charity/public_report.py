"""Public reports of an organisation's charity, read from the platform's own records: what
came in (donations, help in kind received) and how it was spent (spending items), per
campaign; and the yearly report a charitable organisation publishes (ФЗ-135 «О
благотворительной деятельности и добровольчестве (волонтёрстве)» ст. 19; for other
НКО ФЗ-7 «О некоммерческих организациях» ст. 32 п. 3.1 — the use of their property).

Amounts are roubles (Decimal), dates the city's local dates, a year the local calendar
year. Every function reads a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from dobry.charity.models import Campaign, Donation, Need, Pledge, SpendingItem
from dobry.core.clock import local_today
from dobry.organizations.models import Organization

ZERO = Decimal("0")
# ФЗ-135 ст. 16 п. 3: a charitable organisation spends at most 20 % of its money on
# administration (shown beside the share, not enforced: other НКО have no such limit).
ADMIN_LIMIT_PERCENT = 20


def _money() -> DecimalField[Decimal, Decimal]:
    return DecimalField(max_digits=16, decimal_places=2)


def _summed(queryset: QuerySet[Any], group: str, column: str) -> Coalesce:
    """The sum of `column` over `queryset` (filtered on `group` = OuterRef), 0 when none: a
    subquery, so that several sums on one row never multiply each other as joins would."""
    summed = queryset.order_by().values(group).annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(summed), Value(ZERO), output_field=_money())


def _received_pledges() -> QuerySet[Pledge]:
    return Pledge.objects.filter(status=Pledge.Status.RECEIVED)


def with_money(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Each campaign with `received` (donations), `in_kind` (the value of help received
    for its needs) and `spent` (its spending items), all roubles of all time."""
    return campaigns.annotate(
        received=_summed(Donation.objects.filter(campaign=OuterRef("pk")), "campaign", "amount"),
        in_kind=_summed(
            _received_pledges().filter(need__campaign=OuterRef("pk")), "need__campaign", "value"
        ),
        spent=_summed(SpendingItem.objects.filter(campaign=OuterRef("pk")), "campaign", "amount"),
    )


@dataclass(frozen=True)
class MoneyRow:
    """One line of a report: a campaign (or the organisation's work in general, `campaign`
    None) with roubles received, the value of help in kind received, roubles spent."""

    title: str
    campaign: Campaign | None
    received: Decimal
    in_kind: Decimal
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent


def _general_row(organization: Organization, title: str) -> MoneyRow:
    """Money received and spent outside any campaign (one query each)."""
    received = Donation.objects.filter(organization=organization, campaign=None).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]
    in_kind = (
        _received_pledges()
        .filter(need__organization=organization, need__campaign=None)
        .aggregate(total=Sum("value", default=ZERO))["total"]
    )
    spent = SpendingItem.objects.filter(organization=organization, campaign=None).aggregate(
        total=Sum("amount", default=ZERO)
    )["total"]
    return MoneyRow(title, None, received, in_kind, spent)


def organization_money(organization: Organization, general_title: str) -> list[MoneyRow]:
    """The organisation's public campaigns, newest first, then its general work: what came
    in and what was spent, all time (four queries)."""
    campaigns = with_money(
        Campaign.objects.filter(organization=organization).exclude(status=Campaign.Status.DRAFT)
    ).order_by("-created_at", "-pk")
    rows = [
        MoneyRow(c.title, c, c.received, c.in_kind, c.spent)  # type: ignore[attr-defined]
        for c in campaigns
    ]
    return [*rows, _general_row(organization, general_title)]


def totals(rows: list[MoneyRow]) -> MoneyRow:
    return MoneyRow(
        "",
        None,
        sum((r.received for r in rows), ZERO),
        sum((r.in_kind for r in rows), ZERO),
        sum((r.spent for r in rows), ZERO),
    )


# --- the yearly report ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedLine:
    """Money received in the year for one campaign (None: for the work in general)."""

    campaign: Campaign | None
    amount: Decimal
    donations: int


@dataclass(frozen=True)
class InKindLine:
    need: Need
    quantity: int
    value: Decimal


@dataclass(frozen=True)
class PurposeLine:
    purpose: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class FinishedCampaign:
    campaign: Campaign
    received: Decimal
    spent: Decimal


@dataclass
class YearReport:
    """What an organisation received and spent in one local calendar year."""

    organization: Organization
    year: int
    received: list[ReceivedLine] = field(default_factory=list)
    donors: int = 0
    in_kind: list[InKindLine] = field(default_factory=list)
    spending: list[PurposeLine] = field(default_factory=list)
    items: list[SpendingItem] = field(default_factory=list)
    finished: list[FinishedCampaign] = field(default_factory=list)
    fulfilled: list[Need] = field(default_factory=list)

    @property
    def received_total(self) -> Decimal:
        return sum((line.amount for line in self.received), ZERO)

    @property
    def in_kind_total(self) -> Decimal:
        return sum((line.value for line in self.in_kind), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum((line.amount for line in self.spending), ZERO)

    @property
    def admin_percent(self) -> Decimal:
        """Administrative costs as a share of all spending, percent with one decimal."""
        if not self.spent_total:
            return ZERO
        admin = sum((line.amount for line in self.spending if line.purpose == "admin"), ZERO)
        return (admin * 100 / self.spent_total).quantize(Decimal("0.1"))

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.in_kind or self.spending or self.finished)


def report_years(organization: Organization) -> list[int]:
    """The years with anything to report, newest first, up to the current one."""
    years = {
        d.year
        for d in Donation.objects.filter(organization=organization).dates("received_on", "year")
    }
    years |= {
        d.year
        for d in SpendingItem.objects.filter(organization=organization).dates("spent_on", "year")
    }
    years |= {
        d.year
        for d in _received_pledges()
        .filter(need__organization=organization, received_on__isnull=False)
        .dates("received_on", "year")
    }
    this_year = local_today().year
    return sorted((y for y in years if y <= this_year), reverse=True)


def _received(organization: Organization, year: int) -> tuple[list[ReceivedLine], int]:
    donations = Donation.objects.filter(organization=organization, received_on__year=year)
    by_campaign = (
        donations.order_by().values("campaign").annotate(amount=Sum("amount"), count=Count("pk"))
    )
    campaigns = Campaign.objects.in_bulk([r["campaign"] for r in by_campaign if r["campaign"]])
    lines = [
        ReceivedLine(campaigns.get(r["campaign"]), r["amount"], r["count"]) for r in by_campaign
    ]
    lines.sort(key=lambda line: (line.campaign is None, -line.amount))
    donors = donations.aggregate(n=Count("donor_key", distinct=True))["n"]
    return lines, donors


def _in_kind(organization: Organization, year: int) -> list[InKindLine]:
    by_need = (
        _received_pledges()
        .filter(need__organization=organization, received_on__year=year)
        .order_by()
        .values("need")
        .annotate(quantity=Sum("quantity"), value=Sum("value", default=ZERO))
    )
    needs = Need.objects.in_bulk([r["need"] for r in by_need])
    lines = [InKindLine(needs[r["need"]], r["quantity"], r["value"]) for r in by_need]
    return sorted(lines, key=lambda line: (-line.value, line.need.title))


def _spending(
    organization: Organization, year: int
) -> tuple[list[PurposeLine], list[SpendingItem]]:
    items = list(
        SpendingItem.objects.filter(organization=organization, spent_on__year=year)
        .select_related("campaign", "organization")
        .order_by("spent_on", "pk")
    )
    by_purpose: dict[str, Decimal] = {}
    for item in items:
        by_purpose[item.purpose] = by_purpose.get(item.purpose, ZERO) + item.amount
    labels = dict(SpendingItem.Purpose.choices)
    lines = [
        PurposeLine(purpose, str(labels[purpose]), amount) for purpose, amount in by_purpose.items()
    ]
    return sorted(lines, key=lambda line: -line.amount), items


def _finished(organization: Organization, year: int) -> list[FinishedCampaign]:
    campaigns = with_money(
        Campaign.objects.filter(
            organization=organization,
            status=Campaign.Status.FINISHED,
            finished_on__year=year,
        )
    ).order_by("finished_on", "pk")
    return [
        FinishedCampaign(c, c.received, c.spent)  # type: ignore[attr-defined]
        for c in campaigns
    ]


def _fulfilled(organization: Organization, year: int) -> list[Need]:
    """Needs that received help in the year and have received all they asked for."""
    helped = _received_pledges().filter(need=OuterRef("pk"), received_on__year=year)
    received = Sum("pledges__quantity", filter=Q(pledges__status=Pledge.Status.RECEIVED))
    return list(
        Need.objects.filter(organization=organization)
        .annotate(received=received)
        .filter(received__gte=F("quantity"), pk__in=Subquery(helped.values("need")))
        .order_by("title", "pk")
    )


def yearly_report(organization: Organization, year: int) -> YearReport:
    """The organisation's report for the local calendar year `year` (a fixed number of
    queries)."""
    received, donors = _received(organization, year)
    spending, items = _spending(organization, year)
    return YearReport(
        organization=organization,
        year=year,
        received=received,
        donors=donors,
        in_kind=_in_kind(organization, year),
        spending=spending,
        items=items,
        finished=_finished(organization, year),
        fulfilled=_fulfilled(organization, year),
    )
