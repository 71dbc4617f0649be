"""What the programme's pages and API read: the sessions by day with their filters, a
person's selection, the stands on the site map and the published versions."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

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
    Track,
    Venue,
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


def _as_published(session: Session, kept: dict[str, Any]) -> Session:
    """`session` (a row of `sessions_of`) made to read as the published version keeps it:
    title, times, status, description, places, venue, track and people. A version written
    before a field was kept leaves that field as it is now. Never saved."""
    session.title = kept["title"]
    session.starts_at = datetime.fromisoformat(kept["starts_at"])
    session.ends_at = datetime.fromisoformat(kept["ends_at"])
    session.status = kept["status"]
    for name in ("description", "capacity"):
        if name in kept:
            setattr(session, name, kept[name])
    venue_id = kept.get("venue_id", session.venue_id)
    if venue_id != session.venue_id:
        session.venue = Venue(pk=venue_id, programme_id=session.programme_id)
    session.venue.title = kept["venue"]
    track_id = kept.get("track_id", session.track_id)
    if track_id is None:
        session.track = None
    else:
        if track_id != session.track_id:
            session.track = Track(pk=track_id, programme_id=session.programme_id)
        assert session.track is not None
        session.track.title = kept["track"]
    if "speakers" in kept:
        people = [Speaker(session_id=session.pk, **person) for person in kept["speakers"]]
        session._prefetched_objects_cache["speakers"] = people  # type: ignore[attr-defined]
    return session


def published_sessions(programme: Programme, ids: Any = None) -> list[Session]:
    """The sessions as the last published version shows them (what the public page, its
    print view, the calendars and the public API show), by time; `ids`: only these. Edits
    made since are the draft, seen by the organisers on their desk until the next version.
    A fixed number of queries."""
    state = programme.published_state()
    wanted = [int(key) for key in state]
    if ids is not None:
        wanted = [pk for pk in wanted if pk in set(ids)]
    found = []
    for session in sessions_of(programme).filter(pk__in=wanted):
        session.programme = programme
        found.append(_as_published(session, state[str(session.pk)]))
    return sorted(found, key=lambda s: (s.starts_at, s.venue.position, s.pk))


def published_session(programme: Programme, pk: int) -> Session:
    """One session as published (Http404 when the last version does not hold it)."""
    found = published_sessions(programme, ids=[pk])
    if not found:
        raise Http404
    return found[0]


def days_of(programme: Programme) -> list[date]:
    """The city's local days on which the published sessions begin."""
    moments = [kept["starts_at"] for kept in programme.published_state().values()]
    return sorted({local_date(datetime.fromisoformat(moment)) for moment in moments})


def day_choices(programme: Programme) -> list[tuple[str, str]]:
    return [(day.isoformat(), day_text(day)) for day in days_of(programme)]


def filtered_sessions(programme: Programme, filters: dict[str, Any]) -> list[Session]:
    """Published sessions of a track, a venue, a local day (`day`: ISO date text) — each
    optional."""
    sessions = published_sessions(programme)
    if filters.get("track"):
        sessions = [s for s in sessions if s.track_id == filters["track"].pk]
    if filters.get("venue"):
        sessions = [s for s in sessions if s.venue_id == filters["venue"].pk]
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


def my_sessions(user: Actor, programme: Programme) -> list[Session]:
    """The published sessions in `user`'s «моё расписание» of the programme."""
    chosen = Selection.objects.filter(
        user_id=int(user.pk or 0), session__programme=programme
    ).values_list("session_id", flat=True)
    return published_sessions(programme, ids=list(chosen))


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


def registrations_of(session: Session) -> QuerySet[SessionRegistration]:
    """Who registered for a session, by name, and whether they came."""
    return session.registrations.select_related("user").order_by(
        "user__last_name", "user__first_name", "pk"
    )
