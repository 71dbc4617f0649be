"""Reads for event pages: filtered lists and shifts with their free places."""

from datetime import datetime, time
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from dobry.accounts.models import User
from dobry.events.models import Event, EventQuerySet, Registration, Shift
from dobry.volunteering.models import VolunteerProfile


def filtered_events(data: dict[str, Any], user: Any) -> EventQuerySet:
    """Upcoming published events with the filters of the event list, for the page and the
    API alike, in date order.

    `data` keys (all optional): q, date_from/date_to (local dates), kind, area, district
    (a District), organization (an Organization or its id), free (only with free places),
    suits_me (the user's interests or districts; ignored for anonymous visitors).
    """
    events = Event.objects.published().upcoming()
    events = events.search(data.get("q") or "")
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        events = events.filter(ends_at__gte=datetime.combine(data["date_from"], time.min, tz))
    if data.get("date_to"):
        events = events.filter(starts_at__lte=datetime.combine(data["date_to"], time.max, tz))
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("area"):
        events = events.filter(area_links__area=data["area"])
    if data.get("district"):
        events = events.filter(district=data["district"])
    if data.get("organization"):
        events = events.filter(organization=data["organization"])
    events = events.with_free_places()
    if data.get("free"):
        events = events.filter(free_places__gt=0)  # type: ignore[misc]
    if data.get("suits_me") and isinstance(user, User):
        events = suiting(events, user)
    return events.for_list().distinct().order_by("starts_at", "pk")


def suiting(events: EventQuerySet, user: User) -> EventQuerySet:
    """Events matching the volunteer's interests or districts (all, if none are given)."""
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()
    if profile is None:
        return events
    condition = Q()
    if profile.interests:
        condition |= Q(area_links__area__in=profile.interests)
    districts = [d.pk for d in profile.districts.all()]
    if districts:
        condition |= Q(district__in=districts)
    return events.filter(condition) if condition else events


def shifts_of(event: Event, user: Any) -> list[Shift]:
    """The event's shifts with free places, and the user's own active registration on each
    (as `mine`), in a fixed number of queries."""
    shifts = event.shifts.with_taken().prefetch_related("qualifications")
    if isinstance(user, User):
        shifts = shifts.prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(user=user, status__in=Registration.ACTIVE),
                to_attr="my_registrations",
            )
        )
    result = list(shifts)
    busy = _busy_times(user, event) if isinstance(user, User) else []
    for shift in result:
        mine = getattr(shift, "my_registrations", [])
        shift.mine = mine[0] if mine else None  # type: ignore[attr-defined]
        shift.conflict = next(  # type: ignore[attr-defined]
            (
                other
                for other in busy
                if other.starts_at < shift.ends_at and other.ends_at > shift.starts_at
            ),
            None,
        )
    return result


def _busy_times(user: User, event: Event) -> list[Shift]:
    """The user's other active shifts, to warn about overlaps before they sign up."""
    return list(
        Shift.objects.filter(
            registrations__user=user, registrations__status__in=Registration.ACTIVE
        )
        .exclude(event=event)
        .select_related("event")
    )
