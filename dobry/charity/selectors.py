"""Reads of the charity app: the public catalogue and a campaign's figures, an
organisation's desk lists, a donor's own donations. Every list has a fixed query count."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from dobry.accounts.models import User
from dobry.charity.models import (
    Campaign,
    CampaignUpdate,
    Donation,
    Need,
    Pledge,
    SpendingItem,
    StatementEntry,
    StatementImport,
)
from dobry.charity.models.campaigns import CampaignQuerySet
from dobry.charity.models.donations import DonationQuerySet
from dobry.charity.permissions import visible_campaigns, visible_spending
from dobry.communications.models import NewsItem
from dobry.core.clock import local_today
from dobry.core.permissions import Actor
from dobry.core.references import Reference, ReferenceField
from dobry.core.search import search_words
from dobry.events.models import Event
from dobry.grants.models import Agreement
from dobry.organizations.models import Organization

CAMPAIGN_PAGE = 12
DESK_PAGE = 50
# «Ending soon» in the catalogue: a deadline within this many days.
ENDING_SOON_DAYS = 14
RECENT_DONATIONS = 10


def catalogue_organizations() -> QuerySet[Organization]:
    """The organisations the catalogue may be filtered by: verified, with a campaign."""
    return Organization.objects.filter(
        status=Organization.Status.VERIFIED, campaigns__isnull=False
    ).distinct()


def campaign_catalogue(user: Actor, filters: dict[str, Any]) -> CampaignQuerySet:
    """Public campaigns, collecting ones first by deadline; `filters` (the filter form's
    cleaned data): q, area, organization, district, show («collecting» — default —,
    «ending», «finished»)."""
    campaigns = visible_campaigns(user).public().with_totals().select_related("organization")
    if filters.get("q"):
        campaigns = campaigns.search(filters["q"])
    for name in ("area", "organization", "district"):
        if filters.get(name):
            campaigns = campaigns.filter(**{name: filters[name]})
    show = filters.get("show") or "collecting"
    today = local_today()
    if show == "finished":
        return campaigns.exclude(status=Campaign.Status.ACTIVE, deadline__gte=today).order_by(
            "-deadline", "-pk"
        )
    campaigns = campaigns.filter(status=Campaign.Status.ACTIVE, deadline__gte=today)
    if show == "ending":
        campaigns = campaigns.filter(deadline__lte=today + timedelta(days=ENDING_SOON_DAYS))
    return campaigns.order_by("deadline", "pk")


@dataclass(frozen=True)
class Progress:
    """A campaign's figures: roubles received, the goal, distinct donors, percent (0–100,
    whole, for the bar; the text says the exact sum)."""

    received: Decimal
    goal: Decimal
    donors: int

    @property
    def percent(self) -> int:
        if self.goal <= 0:
            return 0
        return min(100, int(self.received * 100 / self.goal))


def progress_of(campaign: Campaign) -> Progress:
    totals = Donation.objects.filter(campaign=campaign).aggregate(
        received=Sum("amount", default=Decimal("0")), donors=Count("donor_key", distinct=True)
    )
    return Progress(totals["received"], campaign.goal, totals["donors"])


def recent_donations(campaign: Campaign) -> list[Donation]:
    return list(
        Donation.objects.filter(campaign=campaign).order_by("-received_on", "-pk")[
            :RECENT_DONATIONS
        ]
    )


def updates_of(campaign: Campaign) -> QuerySet[CampaignUpdate]:
    return campaign.updates.all()


def campaigns_of(organization: Organization) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(organization=organization)
        .with_totals()
        .order_by("-created_at", "-pk")
    )


def donations_of(organization: Organization, *, campaign: int | None = None) -> QuerySet[Donation]:
    donations = Donation.objects.filter(organization=organization).select_related(
        "campaign", "donor"
    )
    if campaign:
        donations = donations.filter(campaign_id=campaign)
    return donations.order_by("-received_on", "-pk")


def queue_of(organization: Organization) -> QuerySet[StatementEntry]:
    return (
        StatementEntry.objects.filter(
            organization=organization, status=StatementEntry.Status.UNMATCHED
        )
        .select_related("suggested_campaign")
        .order_by("paid_on", "pk")
    )


def statements_of(organization: Organization) -> QuerySet[StatementImport]:
    return StatementImport.objects.filter(organization=organization).select_related("uploaded_by")


# Recipients whose donations the social tax deduction covers (НК РФ, ст. 219, п. 1, пп. 1:
# non-profit organisations — charitable and socially oriented ones, public associations,
# municipal institutions of education, culture, health, sport): registered legal entities
# with an ИНН. An initiative group is not a legal entity; a business, a state-corporation
# enterprise and the administration are not non-profits.
DEDUCTIBLE_KINDS = (
    Organization.Kind.SONKO,
    Organization.Kind.PUBLIC_ASSOCIATION,
    Organization.Kind.MUNICIPAL,
)


def deductible(donations: DonationQuerySet) -> DonationQuerySet:
    """The donations a tax statement may list (`DEDUCTIBLE_KINDS`, an ИНН given)."""
    return donations.filter(organization__kind__in=DEDUCTIBLE_KINDS).exclude(organization__inn="")


def donations_of_donor(user: User) -> DonationQuerySet:
    return (
        Donation.objects.filter(donor=user)
        .select_related("campaign", "organization")
        .order_by("-received_on", "-pk")
    )


def donation_years(user: User) -> list[int]:
    return sorted(
        {day.year for day in Donation.objects.filter(donor=user).dates("received_on", "year")},
        reverse=True,
    )


def collecting_campaigns_of(organization: Organization) -> QuerySet[Campaign]:
    """The campaigns a payment may be assigned to (started, collecting or finished)."""
    return Campaign.objects.filter(organization=organization).exclude(status=Campaign.Status.DRAFT)


NEED_PAGE = 20


def with_promised(needs: QuerySet[Need]) -> QuerySet[Need]:
    """Each need with `promised`: units pledged or received."""
    active = Q(pledges__status__in=(Pledge.Status.PLEDGED, Pledge.Status.RECEIVED))
    return needs.annotate(promised=Sum("pledges__quantity", filter=active, default=0))


def needs_catalogue(filters: dict[str, Any]) -> QuerySet[Need]:
    """Open needs of verified organisations whose deadline has not passed, soonest first;
    `filters`: q, kind, organization."""
    needs = Need.objects.public().filter(status=Need.Status.OPEN, deadline__gte=local_today())
    if filters.get("q"):
        needs = search_words(needs, filters["q"])
    for name in ("kind", "organization"):
        if filters.get(name):
            needs = needs.filter(**{name: filters[name]})
    return with_promised(needs.select_related("organization")).order_by("deadline", "pk")


def needs_of(organization: Organization) -> QuerySet[Need]:
    return with_promised(Need.objects.filter(organization=organization)).order_by(
        "-created_at", "-pk"
    )


def pledges_of(need: Need) -> QuerySet[Pledge]:
    """A need's pledges for its editors: those still to receive first, then the received,
    the cancelled last; the newest first within each."""
    S = Pledge.Status
    order = Case(
        When(status=S.PLEDGED, then=Value(0)),
        When(status=S.RECEIVED, then=Value(1)),
        default=Value(2),
    )
    return need.pledges.select_related("pledger", "on_behalf").order_by(order, "-created_at", "-pk")


def pledges_of_person(user: User) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(pledger=user)
        .select_related("need__organization")
        .order_by("-created_at", "-pk")
    )


SPENDING_PAGE = 50


def spending_list(user: Actor, filters: dict[str, Any]) -> QuerySet[SpendingItem]:
    """The spending items `user` may see, newest first; `filters`: organization, campaign
    (objects or ids), year (the local calendar year of `spent_on`)."""
    items = visible_spending(user).select_related("campaign", "organization")
    for name in ("organization", "campaign"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    if filters.get("year"):
        items = items.filter(spent_on__year=filters["year"])
    return items.order_by("-spent_on", "-pk")


def spending_of(organization: Organization) -> QuerySet[SpendingItem]:
    """The organisation's own list (its desk): every item, newest first."""
    return (
        SpendingItem.objects.filter(organization=organization)
        .select_related("campaign")
        .order_by("-spent_on", "-pk")
    )


def spending_of_campaign(campaign: Campaign) -> list[SpendingItem]:
    """The campaign page's «how the money was spent»: its latest items, newest first."""
    return list(campaign.spending.order_by("-spent_on", "-pk")[:SPENDING_PAGE])


def spent_on_campaign(campaign: Campaign) -> Decimal:
    """Roubles spent from the campaign (its spending items)."""
    total: Decimal = campaign.spending.aggregate(total=Sum("amount", default=Decimal("0")))["total"]
    return total


CAMPAIGN_NEWS = 5


def news_about(campaign: Campaign) -> list[NewsItem]:
    """The latest published news items about the campaign (their subject names it)."""
    about = ReferenceField.to("subject", Reference("campaign", campaign.pk))
    return list(NewsItem.objects.published().filter(about).newest_first()[:CAMPAIGN_NEWS])


def linkable_agreements(organization: Organization) -> QuerySet[Agreement]:
    """The grant projects a campaign of `organization` may add money to: its applications'
    signed agreements (a draft is not yet a project; a terminated one has ended)."""
    return (
        Agreement.objects.filter(
            application__organization=organization, status=Agreement.Status.SIGNED
        )
        .select_related("application__competition")
        .order_by("-concluded_on", "pk")
    )


def linkable_events(organization: Organization) -> QuerySet[Event]:
    """The events a campaign of `organization` may name: its own, once published (a draft
    is seen by its editors only, and the campaign's public page would name it to anyone)."""
    return Event.objects.filter(organization=organization).exclude(status=Event.Status.DRAFT)


def shown_event(campaign: Campaign) -> Event | None:
    """The event a campaign's page names: a linkable one (`linkable_events`), else none."""
    if campaign.event_id is None:
        return None
    return linkable_events(campaign.organization).filter(pk=campaign.event_id).first()


def agreement_label(agreement: Agreement) -> str:
    """How a grant project is named in a choice: «№ number — project title»."""
    return f"№ {agreement.number} — {agreement.application.title}"
