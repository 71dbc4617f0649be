"""Reads for event pages and the API: filtered lists, shifts with their free places, the
registrations whose volunteers' accessibility needs an organiser may be shown."""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.core.clock import start_of_local_day
from dobry.core.permissions import Actor
from dobry.events.models import Event, EventArea, EventQuerySet, Registration, Shift
from dobry.events.suitability import suiting_shifts, wishes_for
from dobry.organizations.models import Organization
from dobry.organizations.permissions import can_edit
from dobry.organizations.sections import Section

UPCOMING, PAST = "upcoming", "past"
# How many of an organisation's upcoming events its page lists before «all of them».
ORGANIZATION_PAGE_EVENTS = 6
# The public calendars keep the shifts of the last month, so a calendar that subscribed
# still takes a late cancellation; and hold at most this many shifts.
CALENDAR_PAST = timedelta(days=30)
CALENDAR_SHIFTS = 5000
# GET /api/v1/events/{pk}/accessibility-needs: volunteers a page (the manage page shows
# every shift's registrations at once).
ACCESSIBILITY_NEEDS_PAGE = 50


def registrations_with_needs(event: Event) -> "QuerySet[Registration]":
    """The event's registrations still on a shift (or checked in) whose volunteer wrote
    what they need and gave written consent to share it — those
    `services.accessibility.accessibility_needs_read` may show an organiser — by the
    shift's start, then in the order they signed up."""
    consented = (
        ConsentRecord.objects.active()
        .written()
        .filter(user_id=OuterRef("user_id"), document__kind=ConsentDocument.Kind.VOLUNTEER_HEALTH)
    )
    return (
        Registration.objects.filter(shift__event=event)
        .filter(Q(status__in=Registration.ACTIVE) | Q(checked_in_at__isnull=False))
        .filter(Exists(consented))
        .exclude(user__volunteer_profile__accessibility_needs=None)  # «none» is kept as NULL
        .select_related("shift__event__organization", "user")
        .order_by("shift__starts_at", "created_at", "pk")
    )


def _ended(events: EventQuerySet) -> EventQuerySet:
    """`past()` with the bound an ended event implies (it started before now), so the
    list's newest-first order skips the upcoming events at once."""
    now = timezone.now()
    return events.past(now).filter(starts_at__lt=now)


def _not_ended(events: EventQuerySet) -> EventQuerySet:
    """`upcoming()` with the bound it implies: every event not ended starts at or after
    the earliest start among them. Without it PostgreSQL walks the start index from the
    first event ever to find the list's first rows (45,000 past events at a region: 74 ms);
    from the bound, 1.2 ms. The bound is one read of the index on (ends_at, starts_at),
    0.8 ms; its MIN is of COALESCE(starts_at, ends_at) — the same date, both are set from
    the shifts together — because a MIN of starts_at is answered by the same walk (135 ms).
    Measured in docs/benchmarks.md, «Region ÷ city»."""
    now = timezone.now()
    first = Event.objects.filter(ends_at__gte=now).aggregate(
        first=Min(Coalesce("starts_at", "ends_at"))
    )["first"]
    events = events.upcoming(now)
    return events.filter(starts_at__gte=first) if first is not None else events


def filtered_events(data: dict[str, Any], user: Any) -> EventQuerySet:
    """Public events (`EventQuerySet.public`: published, by an organisation verified now)
    with the filters of the event list, for the page, the API and the home page alike:
    upcoming ones in date order, or (``when="past"``) those that have ended, latest first.

    `data` keys (all optional): when (``upcoming``, the default, or ``past``), q,
    date_from/date_to (the city's dates), kind, area, district (a District), organization
    (an Organization or its id), free (only with free places), suits_me (events with a
    shift that suits the user — `suitability`, the definition «Подходит мне» ranks by too;
    nothing suits a person without a volunteer profile; ignored for anonymous visitors).
    """
    past = data.get("when") == PAST
    events = Event.objects.public()
    events = _ended(events) if past else _not_ended(events)
    events = events.search(data.get("q") or "")
    if data.get("date_from"):
        events = events.filter(ends_at__gte=start_of_local_day(data["date_from"]))
    if data.get("date_to"):
        next_day = start_of_local_day(data["date_to"] + timedelta(days=1))
        events = events.filter(starts_at__lt=next_day)
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("area"):
        # a test, not a join: no row repeats, so no DISTINCT, which would make the database
        # compute every upcoming event's free places before the page's LIMIT
        events = events.filter(
            Exists(EventArea.objects.filter(event=OuterRef("pk"), area=data["area"]))
        )
    if data.get("district"):
        events = events.filter(district=data["district"])
    if data.get("organization"):
        events = events.filter(organization=data["organization"])
    events = events.with_free_places()
    if data.get("free"):
        events = events.filter(free_places__gt=0)  # type: ignore[misc]
    if data.get("suits_me") and isinstance(user, User):
        events = suiting(events, user)
    order = ("-starts_at", "-pk") if past else ("starts_at", "pk")
    return events.for_list().order_by(*order)


def calendar_shifts(*, organization: Organization | None = None, area: str = "") -> QuerySet[Shift]:
    """The shifts of the public iCal feeds (the city's, an organisation's, an area's): of
    the events the public list offers — published, by an organisation verified now — and of
    those cancelled, which the feed keeps as STATUS:CANCELLED so that calendars which
    imported them drop them; from a month ago on, in time order."""
    shifts = Shift.objects.filter(
        event__status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED),
        event__organization__status=Organization.Status.VERIFIED,
        ends_at__gte=timezone.now() - CALENDAR_PAST,
    )
    if organization is not None:
        shifts = shifts.filter(event__organization=organization)
    if area:
        shifts = shifts.filter(event__area_links__area=area)
    return shifts.select_related("event").distinct().order_by("starts_at", "pk")


def organization_section(organization: Organization, user: Actor) -> Section:
    """The organisation page's «Мероприятия»: its first upcoming events exactly as the event
    list shows them for this organisation (the same selector), whether it has past ones
    (a link to the list of those), and — for those who manage its events only — its
    drafts, which no list shows to anyone else."""
    upcoming = list(
        filtered_events({"organization": organization}, user)[: ORGANIZATION_PAGE_EVENTS + 1]
    )
    has_past = filtered_events({"organization": organization, "when": PAST}, user).exists()
    drafts = (
        list(organization.events.filter(status=Event.Status.DRAFT).order_by("-created_at", "-pk"))
        if can_edit(user, organization)
        else []
    )
    return Section(
        "events/_organization_events.html",
        {
            "events": upcoming[:ORGANIZATION_PAGE_EVENTS],
            "more": len(upcoming) > ORGANIZATION_PAGE_EVENTS,
            "has_past": has_past,
            "drafts": drafts,
        },
    )


def suiting(events: EventQuerySet, user: User) -> EventQuerySet:
    """Events with at least one shift that suits the volunteer (`suitability`: their age,
    qualifications, and interests, districts, free time or skills); none without a profile."""
    wishes = wishes_for(user)
    if wishes is None:
        return events.none()
    shifts = suiting_shifts(Shift.objects.filter(event_id=OuterRef("pk")), wishes)
    return events.filter(Exists(shifts))


def shifts_of(event: Event, user: Any) -> list[Shift]:
    """The event's shifts with free places, and the user's own active registration on each
    (as `mine`), in a fixed number of queries."""
    shifts = event.shifts.with_taken().prefetch_related("qualifications")
    if isinstance(user, User):
        shifts = shifts.prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(
                    user=user, status__in=Registration.ACTIVE
                ).with_attendance_known(),
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
