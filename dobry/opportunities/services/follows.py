"""An organisation follows a call, and is reminded of its deadline (14 and 3 days before)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_date
from dobry.opportunities import permissions
from dobry.opportunities.models import Follow, Opportunity
from dobry.opportunities.notifications import OPPORTUNITY_DEADLINE
from dobry.opportunities.permissions import require
from dobry.organizations.models import Membership, Organization

# (column, nearest, farthest): the early reminder 14…4 days before the deadline, the late
# one 3…0 days before; a call followed late gets only the nearer one.
REMINDERS = (("reminded_early_at", 4, 14), ("reminded_late_at", 0, 3))


def follow_create(*, actor: User, opportunity: Opportunity, organization: Organization) -> Follow:
    """`organization` follows `opportunity` (again: nothing changes)."""
    require(permissions.can_follow(actor, opportunity, organization))
    existing = Follow.objects.filter(opportunity=opportunity, organization=organization).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow = Follow.objects.create(opportunity=opportunity, organization=organization)
            log_action(
                actor=actor,
                action="opportunity.follow",
                obj=opportunity,
                data={"organization": organization.pk},
            )
    except IntegrityError:  # the same follow by a second click at the same moment
        return Follow.objects.get(opportunity=opportunity, organization=organization)
    return follow


def follow_delete(*, actor: User, opportunity: Opportunity, organization: Organization) -> bool:
    """`organization` stops following `opportunity`; False when it did not follow it."""
    require(permissions.can_unfollow(actor, organization))
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(
            opportunity=opportunity, organization=organization
        ).delete()
        if deleted:
            log_action(
                actor=actor,
                action="opportunity.unfollow",
                obj=opportunity,
                data={"organization": organization.pk},
            )
    return bool(deleted)


def remind_opportunity_deadlines(*, now: datetime | None = None) -> int:
    """Remind the owners and editors of each organisation following an open call: once
    14…4 days before its deadline, once more 3…0 days before. Each reminder is claimed by a
    conditional UPDATE of its own column in the transaction that writes the notification,
    so a job run twice (or two schedulers) never sends it twice. Returns how many were sent."""
    moment = now or timezone.now()
    today = local_date(moment)
    sent = 0
    for column, nearest, farthest in REMINDERS:
        unsent = {f"{column}__isnull": True}
        due = (
            Follow.objects.filter(
                opportunity__withdrawn=False,
                opportunity__closes_on__gte=today + timedelta(days=nearest),
                opportunity__closes_on__lte=today + timedelta(days=farthest),
                **unsent,
            )
            .select_related("opportunity", "organization")
            .order_by("opportunity__closes_on", "pk")
        )
        for follow in due:
            with transaction.atomic():
                if Follow.objects.filter(pk=follow.pk, **unsent).update(**{column: moment}):
                    _remind(follow, (follow.opportunity.closes_on - today).days)
                    sent += 1
    return sent


def _remind(follow: Follow, days_left: int) -> None:
    people = User.objects.filter(
        memberships__organization_id=follow.organization_id,
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        is_active=True,
    ).order_by("pk")
    opportunity = follow.opportunity
    notify(
        OPPORTUNITY_DEADLINE,
        list(people),
        {
            "title": opportunity.title,
            "organization": follow.organization.short_name or follow.organization.name,
            "due": opportunity.closes_on,
            "days": days_left,
        },
        url=opportunity.get_absolute_url(),
    )
