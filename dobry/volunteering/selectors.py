"""Reads of the hours ledger: totals for the record book."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from dobry.accounts.models import User
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering.models import HoursEntry, HoursEntryQuerySet, VolunteerProfile

BADGE_MILESTONES = (10, 50, 100, 250, 500)
# Entries of the record book on one page, on the page and in the API alike.
RECORD_BOOK_PAGE = 50


def profile_of(user: User) -> VolunteerProfile:
    """The person's volunteer profile, or an unsaved blank one: reading never creates it
    (`services.volunteer_profile_update` does, when they save)."""
    return VolunteerProfile.objects.filter(user=user).first() or VolunteerProfile(user=user)


def hours_of(user: User) -> HoursEntryQuerySet:
    """Every entry of the person's ledger, newest first: the record book's list and
    `GET /api/v1/me/hours` alike, both paged (`RECORD_BOOK_PAGE` entries a page)."""
    return (
        HoursEntry.objects.filter(user=user)
        .select_related("organization", "registration__shift__event")
        .order_by("-date", "-pk")
    )


def hours_totals(user: User) -> dict[str, Decimal]:
    """The person's hours of days that have come (`HoursEntry.objects.happened`): confirmed
    and pending apart, declined left out — `GET /api/v1/me/hours/summary`."""
    totals = {
        row["status"]: row["total"]
        for row in HoursEntry.objects.filter(user=user)
        .happened()
        .values("status")
        .annotate(total=Sum("hours"))
        .order_by()
    }
    return {
        "confirmed_total": totals.get(HoursEntry.Status.CONFIRMED, Decimal("0")),
        "pending_total": totals.get(HoursEntry.Status.PENDING, Decimal("0")),
    }


def pending_hours(organization: Organization) -> HoursEntryQuerySet:
    """The organisation's queue of hours to confirm, adjust or decline, oldest first — for
    its page and `GET /api/v1/organizations/{id}/hours/pending`. Read through the
    organisation's own manager, so every entry holds this same `organization` object and
    the permission checks of a whole page (`permissions.hours_moves`) share one membership
    query."""
    return (
        organization.hours_entries.pending()
        .select_related("user", "registration__shift__event")
        .order_by("date", "pk")
    )


def hours_summary(user: User) -> dict[str, Any]:
    """Confirmed hours of a person: total, by year, by organisation and by area — of days
    that have come (`HoursEntry.objects.happened`), like every figure on the platform."""
    confirmed = HoursEntry.objects.confirmed().happened().filter(user=user)
    total = confirmed.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    by_year = list(
        confirmed.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(total=Sum("hours"))
        .order_by("-year")
    )
    by_organization = list(
        confirmed.values("organization__short_name", "organization__name")
        .annotate(total=Sum("hours"))
        .order_by("-total")
    )
    by_area: dict[str, Decimal] = defaultdict(Decimal)
    for row in confirmed.values("area").annotate(total=Sum("hours")).order_by():
        label = str(Area(row["area"]).label) if row["area"] in Area.values else "—"
        by_area[label] += row["total"]
    return {
        "total": total,
        "by_year": by_year,
        "by_organization": by_organization,
        "by_area": sorted(by_area.items(), key=lambda item: -item[1]),
        "badges": [m for m in BADGE_MILESTONES if total >= m],
        "next_badge": next((m for m in BADGE_MILESTONES if total < m), None),
    }
