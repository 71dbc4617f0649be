"""The deadlines of the grant calls a person's organisations follow, as all-day VEVENTs of
their personal calendar feed (`events.calendar.provide_feed_items`, connected by the site)."""

from datetime import UTC, timedelta

from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from dobry.core.clock import local_today
from dobry.core.documents import clean_text
from dobry.core.permissions import Actor
from dobry.core.site import absolute_url, uid_domain
from dobry.opportunities import permissions
from dobry.opportunities.models import Opportunity


def deadline_events(user: Actor) -> list[VEvent]:
    """One VEVENT per open call any of `user`'s organisations follows, on its last day."""
    organizations = permissions.member_organizations(user)
    calls = (
        Opportunity.objects.filter(
            follows__organization__in=organizations,
            withdrawn=False,
            closes_on__gte=local_today(),
        )
        .distinct()
        .order_by("closes_on", "pk")
    )
    domain = uid_domain()
    return [_vevent(call, domain) for call in calls]


def _vevent(call: Opportunity, domain: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"grant-call-{call.pk}@{domain}")
    vevent.add("dtstamp", call.updated_at.astimezone(UTC))
    vevent.add("last-modified", call.updated_at.astimezone(UTC))
    vevent.add("dtstart", call.closes_on)
    vevent.add("dtend", call.closes_on + timedelta(days=1))
    vevent.add(
        "summary", clean_text(_("Последний день подачи заявок: %(title)s") % {"title": call.title})
    )
    vevent.add("url", absolute_url(call.get_absolute_url()))
    vevent.add("transp", "TRANSPARENT")
    return vevent
