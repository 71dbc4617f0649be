"""What the programme's pages and API read: the sessions by day with their filters, a
person's selection, the stands on the site map and the published versions."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from dobry.core.clock import local_date, local_time
from dobry.core.dates import day_text
from dobry.core.permissions import Actor
from dobry.festivals.models import (
    Programme,
    ProgrammeVersion,
    Resolution,
    Selection,
    Session,
    SessionRegistration,
    Speaker,
    StandApplication,
    StandPlace,
)


def sessions_of(programme: Programme) -> QuerySet[Session]:
    """The programme's sessions with venue, track, people and places taken (in a fixed
    number of queries)."""
    return (
        Session.objects.filter(programme=programme)
        .select_related("venue", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("role", "pk")))
        .annotate(taken=Count("registrations", distinct=True))
        .order_by("starts_at", "venue__position", "pk")
    )


def days_of(programme: Programme) -> list[date]:
    """The city's local days on which the programme's sessions begin."""
    moments = Session.objects.filter(programme=programme).values_list("starts_at", flat=True)
    return sorted({local_date(moment) for moment in moments})


def day_choices(programme: Programme) -> list[tuple[str, str]]:
    return [(day.isoformat(), day_text(day)) for day in days_of(programme)]


def filtered_sessions(programme: Programme, filters: dict[str, Any]) -> list[Session]:
    """Sessions of a track, a venue, a local day (`day`: ISO date text) — each optional."""
    found = sessions_of(programme)
    if filters.get("track"):
        found = found.filter(track=filters["track"])
    if filters.get("venue"):
        found = found.filter(venue=filters["venue"])
    sessions = list(found)
    if filters.get("day"):
        sessions = [s for s in sessions if local_date(s.starts_at).isoformat() == filters["day"]]
    return sessions


@dataclass
class Day:
    day: date
    sessions: list[Session] = field(default_factory=list)


def by_day(sessions: list[Session]) -> list[Day]:
    """Sessions grouped by the city's local day of their start; each gets `clock`, its
    hours on the city's clock («10:00–11:30»)."""
    days: dict[date, Day] = {}
    for session in sessions:
        local = local_date(session.starts_at)
        start, end = local_time(session.starts_at), local_time(session.ends_at)
        session.clock = f"{start:%H:%M}–{end:%H:%M}"  # type: ignore[attr-defined]
        days.setdefault(local, Day(local)).sessions.append(session)
    return list(days.values())


def chosen_ids(user: Actor, programme: Programme) -> tuple[set[int], set[int]]:
    """The ids of the sessions `user` selected and registered for in the programme."""
    if not user.is_authenticated or user.pk is None:
        return set(), set()
    selected = set(
        Selection.objects.filter(user_id=user.pk, session__programme=programme).values_list(
            "session_id", flat=True
        )
    )
    registered = set(
        SessionRegistration.objects.filter(
            user_id=user.pk, session__programme=programme
        ).values_list("session_id", flat=True)
    )
    return selected, registered


def my_sessions(user: Actor, programme: Programme | None = None) -> QuerySet[Session]:
    """The sessions in `user`'s «моё расписание» (of one programme, or of all)."""
    found = (
        sessions_of(programme)
        if programme
        else (
            Session.objects.select_related("venue", "track", "programme__event").annotate(
                taken=Count("registrations", distinct=True)
            )
        )
    )
    return found.filter(selections__user_id=int(user.pk or 0)).order_by("starts_at", "pk")


def accepted_stands(programme: Programme) -> QuerySet[StandApplication]:
    return (
        StandApplication.objects.filter(
            programme=programme, status=StandApplication.Status.ACCEPTED
        )
        .select_related("organization", "place__venue")
        .order_by("place__venue__position", "place__number")
    )


def site_map(programme: Programme) -> list[tuple[Any, list[tuple[StandPlace, Any]]]]:
    """Each zone with places, and each place with its accepted stand (or None)."""
    stands = {s.place_id: s for s in accepted_stands(programme)}
    places = StandPlace.objects.filter(venue__programme=programme).select_related("venue")
    zones: dict[int, tuple[Any, list[tuple[StandPlace, Any]]]] = {}
    for place in places:
        zones.setdefault(place.venue_id, (place.venue, []))[1].append((place, stands.get(place.pk)))
    return list(zones.values())


def versions_of(programme: Programme) -> QuerySet[ProgrammeVersion]:
    return programme.versions.select_related("published_by").order_by("-number")


def published_resolutions(programme: Programme) -> QuerySet[Resolution]:
    return Resolution.objects.filter(
        track__programme=programme, published_at__isnull=False
    ).select_related("track")


def applications_of(programme: Programme) -> QuerySet[StandApplication]:
    return StandApplication.objects.filter(programme=programme).select_related(
        "organization", "place__venue"
    )


def places_with_stands(venue: Any) -> list[tuple[StandPlace, StandApplication | None]]:
    """A zone's numbered places, each with the stand that stands on it (or None)."""
    stands = {
        s.place_id: s
        for s in StandApplication.objects.filter(
            place__venue=venue, status=StandApplication.Status.ACCEPTED
        ).select_related("organization")
    }
    return [(place, stands.get(place.pk)) for place in venue.places.order_by("number")]
