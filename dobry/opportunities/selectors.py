"""The catalogue's lists, one selector for the page and the API."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from dobry.opportunities.models import Opportunity, OpportunityQuerySet


@dataclass(frozen=True)
class Filters:
    q: str = ""
    programme: str = ""
    area: str = ""
    kind: str = ""
    amount: Decimal | None = None
    archive: bool = False


def opportunities(filters: Filters) -> OpportunityQuerySet:
    """Current calls (nearest deadline first), or the archive (latest first), filtered."""
    if filters.archive:
        found = Opportunity.objects.past().order_by("-closes_on", "-pk")
    else:
        found = Opportunity.objects.current().order_by("closes_on", "pk")
    if filters.q:
        found = found.search(filters.q)
    if filters.programme:
        found = found.filter(programme=filters.programme)
    if filters.area:
        # JSON lists: a call names its areas; one without any is open to every area
        found = found.filter(Q(areas__icontains=f'"{filters.area}"') | Q(areas=[]))
    if filters.kind:
        found = found.filter(
            Q(eligible_kinds__icontains=f'"{filters.kind}"') | Q(eligible_kinds=[])
        )
    if filters.amount is not None:
        found = found.filter(
            Q(min_amount__isnull=True) | Q(min_amount__lte=filters.amount),
            Q(max_amount__isnull=True) | Q(max_amount__gte=filters.amount),
        )
    return found
