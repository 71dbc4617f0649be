"""Forum and festival programmes by API: programmes, tracks, venues and their stand places,
sessions (with the page's filters), «моё расписание» and places on sessions, stands,
published versions, volunteer shifts on the site and the programme's iCal — the same
permission functions, selectors and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import Day, Id, Moment, Pages, chosen_object, known_object
from dobry.core.clock import local_date
from dobry.core.errors import DomainError
from dobry.core.input_schema import InputSchema
from dobry.core.text_limits import text_limit
from dobry.events import permissions as event_permissions
from dobry.events.calendar import ics_response
from dobry.events.models import Event, Shift
from dobry.festivals import calendar, permissions, selectors
from dobry.festivals.models import (
    MAX_PLACE_NUMBER,
    MAX_SESSION_CAPACITY,
    Programme,
    ProgrammeVersion,
    Session,
    SessionRegistration,
    Speaker,
    StandApplication,
    StandPlace,
    Track,
    Venue,
)
from dobry.festivals.services import programme as services
from dobry.organizations.permissions import organizations_edited_by

router = Router(tags=["programmes"])
PAGE = 50


class EventProgrammeOut(Schema):
    id: int
    event_id: int
    title: str
    civic_forum: bool
    version: int = Field(description="the published version; 0 — not published yet")
    url: str

    @staticmethod
    def resolve_title(obj: Programme) -> str:
        return obj.event.title

    @staticmethod
    def resolve_url(obj: Programme) -> str:
        return obj.get_absolute_url()


class ProgrammeTrackOut(Schema):
    id: int
    title: str
    description: str
    position: int


class ProgrammeVenueOut(Schema):
    id: int
    title: str
    kind: Venue.Kind
    description: str
    position: int


class StandPlaceOut(Schema):
    id: int
    venue_id: int
    number: int


class ProgrammeSpeakerOut(Schema):
    id: int | None = Field(None, description="null in a published version's copy")
    name: str
    role: Speaker.Role
    about: str


class ProgrammeSessionOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    day: date = Field(description="the city's local date of the start")
    venue_id: int
    track_id: int | None
    status: Session.Status
    capacity: int | None = Field(description="places by registration; null — no registration")
    taken: int
    speakers: list[ProgrammeSpeakerOut]

    @staticmethod
    def resolve_day(obj: Session) -> date:
        return local_date(obj.starts_at)

    @staticmethod
    def resolve_speakers(obj: Session) -> list[Speaker]:
        return list(obj.speakers.all())


class MyProgrammeSessionOut(ProgrammeSessionOut):
    registered: bool


class ProgrammeStandOut(Schema):
    id: int
    organization_id: int
    organization: str
    exhibit: str
    needs: str
    status: StandApplication.Status
    place_id: int | None
    place: str | None

    @staticmethod
    def resolve_organization(obj: StandApplication) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_place(obj: StandApplication) -> str | None:
        return str(obj.place) if obj.place else None


class ProgrammeVersionOut(Schema):
    number: int
    published_at: datetime
    changes: list[str] = Field(description="what changed since the version before, as text")
    notified: int

    @staticmethod
    def resolve_changes(obj: ProgrammeVersion) -> list[str]:
        return services.change_lines(obj.changes)


class EventProgrammeIn(InputSchema):
    event: Id = Field(description="an event of kind forum or festival the caller organises")
    civic_forum: bool = False


class ProgrammeTrackIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Track, "title"))
    description: str = Field("", max_length=text_limit(Track, "description"))
    position: int = Field(0, ge=0, le=1000)


class ProgrammeVenueIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Venue, "title"))
    kind: Venue.Kind = Venue.Kind.HALL
    description: str = Field("", max_length=text_limit(Venue, "description"))
    position: int = Field(0, ge=0, le=1000)


class StandPlacesIn(InputSchema):
    first: int = Field(ge=1, le=MAX_PLACE_NUMBER)
    last: int = Field(ge=1, le=MAX_PLACE_NUMBER)


class ProgrammeSessionIn(InputSchema):
    title: str = Field(min_length=1, max_length=text_limit(Session, "title"))
    description: str = Field("", max_length=text_limit(Session, "description"))
    starts_at: Moment
    ends_at: Moment
    venue: Id
    track: Id | None = None
    capacity: int | None = Field(None, ge=1, le=MAX_SESSION_CAPACITY)


class ProgrammeSpeakerIn(InputSchema):
    name: str = Field(min_length=1, max_length=text_limit(Speaker, "name"))
    role: Speaker.Role = Speaker.Role.SPEAKER
    about: str = Field("", max_length=text_limit(Speaker, "about"))


class ProgrammeStandIn(InputSchema):
    organization: Id = Field(description="an organisation the caller edits")
    exhibit: str = Field(min_length=1, max_length=text_limit(StandApplication, "exhibit"))
    needs: str = Field("", max_length=text_limit(StandApplication, "needs"))


class StandPlaceIn(InputSchema):
    place: Id


class StandReasonIn(InputSchema):
    reason: str = Field(min_length=1, max_length=text_limit(StandApplication, "reason"))


class ProgrammeShiftPostIn(InputSchema):
    venue: Id | None = None
    stand: Id | None = None


class ProgrammeShiftPostOut(Schema):
    shift_id: int
    venue_id: int | None
    stand_id: int | None


class ProgrammeSessionFilters(Schema):
    track: Id | None = None
    venue: Id | None = None
    day: Day | None = Field(None, description="the city's local date")


def _programme(request: HttpRequest, pk: int, *, manage: bool = False) -> Programme:
    return permissions.get_programme_for_user(api_viewer(request), pk, manage=manage)


@router.get(
    "/event-programmes",
    response=list[EventProgrammeOut],
    auth=OPTIONAL_AUTH,
    summary="Forum and festival programmes the caller may see",
)
@paginate(Pages, page_size=PAGE)
def list_programmes(request: HttpRequest) -> object:
    return (
        permissions.visible_programmes(api_viewer(request))
        .select_related("event")
        .order_by("-event__starts_at", "pk")
    )


@router.post(
    "/event-programmes", response={201: EventProgrammeOut}, summary="Give a forum a programme"
)
def create_programme(request: HttpRequest, payload: EventProgrammeIn) -> Status[Programme]:
    user = api_user(request)
    event = chosen_object(Event.objects.select_related("organization"), payload.event, name="event")
    assert event is not None
    if not event_permissions.can_view(user, event):
        raise DomainError(str(event_permissions.can_view(user, event).reason))
    programme = services.programme_create(actor=user, event=event, civic_forum=payload.civic_forum)
    return Status(201, programme)


@router.get(
    "/event-programmes/{int:pk}",
    response=EventProgrammeOut,
    auth=OPTIONAL_AUTH,
    summary="A programme",
)
def get_programme(request: HttpRequest, pk: int) -> Programme:
    return _programme(request, pk)


@router.get(
    "/event-programmes/{int:pk}/tracks",
    response=list[ProgrammeTrackOut],
    auth=OPTIONAL_AUTH,
    summary="Tracks (the Civic Forum's sections)",
)
@paginate(Pages, page_size=PAGE)
def list_tracks(request: HttpRequest, pk: int) -> object:
    return _programme(request, pk).tracks.all()


@router.post(
    "/event-programmes/{int:pk}/tracks", response={201: ProgrammeTrackOut}, summary="Add a track"
)
def add_track(request: HttpRequest, pk: int, payload: ProgrammeTrackIn) -> Status[Track]:
    programme = _programme(request, pk)
    return Status(
        201, services.track_save(actor=api_user(request), programme=programme, **payload.dict())
    )


@router.get(
    "/event-programmes/{int:pk}/venues",
    response=list[ProgrammeVenueOut],
    auth=OPTIONAL_AUTH,
    summary="Venues: halls and park zones",
)
@paginate(Pages, page_size=PAGE)
def list_venues(request: HttpRequest, pk: int) -> object:
    return _programme(request, pk).venues.all()


@router.post(
    "/event-programmes/{int:pk}/venues", response={201: ProgrammeVenueOut}, summary="Add a venue"
)
def add_venue(request: HttpRequest, pk: int, payload: ProgrammeVenueIn) -> Status[Venue]:
    programme = _programme(request, pk)
    return Status(
        201, services.venue_save(actor=api_user(request), programme=programme, **payload.dict())
    )


@router.post(
    "/programme-venues/{int:pk}/places",
    response={201: list[StandPlaceOut]},
    summary="Number stand places first..last in a zone (at most 200 at a time)",
)
def add_places(request: HttpRequest, pk: int, payload: StandPlacesIn) -> Status[list[StandPlace]]:
    places = services.places_add(
        actor=api_user(request), venue=_venue(request, pk), **payload.dict()
    )
    return Status(201, places)


@router.get(
    "/event-programmes/{int:pk}/places",
    response=list[StandPlaceOut],
    auth=OPTIONAL_AUTH,
    summary="Numbered stand places of the programme's zones",
)
@paginate(Pages, page_size=PAGE)
def list_places(request: HttpRequest, pk: int) -> object:
    programme = _programme(request, pk)
    return StandPlace.objects.filter(venue__programme=programme).order_by("venue_id", "number")


@router.get(
    "/event-programmes/{int:pk}/sessions",
    response=list[ProgrammeSessionOut],
    auth=OPTIONAL_AUTH,
    summary="Sessions by time (the page's filters: track, venue, day)",
)
@paginate(Pages, page_size=PAGE)
def list_sessions(request: HttpRequest, pk: int, filters: Query[ProgrammeSessionFilters]) -> object:
    programme = _programme(request, pk)
    values: dict[str, Any] = {
        "track": known_object(programme.tracks.all(), filters.track, name="track"),
        "venue": known_object(programme.venues.all(), filters.venue, name="venue"),
        "day": filters.day.isoformat() if filters.day else None,
    }
    return selectors.filtered_sessions(programme, values)


def _session_values(programme: Programme, payload: ProgrammeSessionIn) -> dict[str, Any]:
    data = payload.dict()
    data["venue"] = chosen_object(programme.venues.all(), data["venue"], name="venue")
    data["track"] = chosen_object(programme.tracks.all(), data["track"], name="track")
    return data


@router.post(
    "/event-programmes/{int:pk}/sessions",
    response={201: ProgrammeSessionOut},
    summary="Add a session (never overlapping another in its venue: 422 at starts_at)",
)
def add_session(request: HttpRequest, pk: int, payload: ProgrammeSessionIn) -> Status[Session]:
    programme = _programme(request, pk)
    session = services.session_save(
        actor=api_user(request), programme=programme, values=_session_values(programme, payload)
    )
    return Status(201, selectors.sessions_of(programme).get(pk=session.pk))


def _session(request: HttpRequest, pk: int) -> Session:
    return permissions.get_session_for_user(api_viewer(request), pk)


@router.put(
    "/programme-sessions/{int:pk}",
    response=ProgrammeSessionOut,
    summary="Change a session (organisers)",
)
def edit_session(request: HttpRequest, pk: int, payload: ProgrammeSessionIn) -> Session:
    session = _session(request, pk)
    programme = session.programme
    services.session_save(
        actor=api_user(request),
        programme=programme,
        session=session,
        values=_session_values(programme, payload),
    )
    return selectors.sessions_of(programme).get(pk=pk)


@router.post(
    "/programme-sessions/{int:pk}/cancel",
    response=ProgrammeSessionOut,
    summary="Cancel a session (told with the next version)",
)
def cancel_session(request: HttpRequest, pk: int) -> Session:
    session = _session(request, pk)
    services.session_cancel(actor=api_user(request), session=session)
    return selectors.sessions_of(session.programme).get(pk=pk)


@router.post(
    "/programme-sessions/{int:pk}/speakers",
    response={201: ProgrammeSpeakerOut},
    summary="Add a speaker or moderator",
)
def add_speaker(request: HttpRequest, pk: int, payload: ProgrammeSpeakerIn) -> Status[Speaker]:
    session = _session(request, pk)
    return Status(
        201, services.speaker_add(actor=api_user(request), session=session, **payload.dict())
    )


@router.post(
    "/programme-sessions/{int:pk}/selection",
    response=ProgrammeSessionOut,
    summary="Add a session to my schedule",
)
def select(request: HttpRequest, pk: int) -> Session:
    session = _session(request, pk)
    services.selection_set(actor=api_user(request), session=session, selected=True)
    return selectors.published_session(session.programme, pk)


@router.delete(
    "/programme-sessions/{int:pk}/selection",
    response=ProgrammeSessionOut,
    summary="Take a session out of my schedule",
)
def unselect(request: HttpRequest, pk: int) -> Session:
    session = _session(request, pk)
    services.selection_set(actor=api_user(request), session=session, selected=False)
    return selectors.published_session(session.programme, pk)


@router.post(
    "/programme-sessions/{int:pk}/registration",
    response={201: ProgrammeSessionOut},
    summary="Take a place on a session with limited places (409 when full)",
)
def register(request: HttpRequest, pk: int) -> Status[Session]:
    session = _session(request, pk)
    services.session_register(actor=api_user(request), session=session)
    return Status(201, selectors.published_session(session.programme, pk))


@router.delete(
    "/programme-sessions/{int:pk}/registration",
    response=ProgrammeSessionOut,
    summary="Give my place on a session back",
)
def unregister(request: HttpRequest, pk: int) -> Session:
    session = _session(request, pk)
    services.session_unregister(actor=api_user(request), session=session)
    return selectors.published_session(session.programme, pk)


@router.get(
    "/event-programmes/{int:pk}/my-schedule",
    response=list[MyProgrammeSessionOut],
    summary="My schedule: the sessions I chose (they are in my personal iCal feed too)",
)
@paginate(Pages, page_size=PAGE)
def my_schedule(request: HttpRequest, pk: int) -> object:
    user = api_user(request)
    programme = _programme(request, pk)
    _selected, registered = selectors.chosen_ids(user, programme)
    sessions = list(selectors.my_sessions(user, programme))
    for session in sessions:
        session.registered = session.pk in registered  # type: ignore[attr-defined]
    return sessions


@router.get(
    "/event-programmes/{int:pk}/calendar.ics",
    auth=OPTIONAL_AUTH,
    summary="The programme as an iCalendar file (text/calendar)",
    response={200: str},
)
def programme_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    sessions = selectors.published_sessions(programme)
    return ics_response(calendar.programme_ics(programme, sessions), "programme.ics")


@router.get(
    "/event-programmes/{int:pk}/stands",
    response=list[ProgrammeStandOut],
    auth=OPTIONAL_AUTH,
    summary="Stands: accepted ones for all; every application to the organisers",
)
@paginate(Pages, page_size=PAGE)
def list_stands(request: HttpRequest, pk: int) -> object:
    user = api_viewer(request)
    programme = _programme(request, pk)
    if permissions.can_manage(user, programme):
        return selectors.applications_of(programme)
    return selectors.accepted_stands(programme)


@router.post(
    "/event-programmes/{int:pk}/stands",
    response={201: ProgrammeStandOut},
    summary="Apply for a stand for an organisation I edit",
)
def apply_for_stand(
    request: HttpRequest, pk: int, payload: ProgrammeStandIn
) -> Status[StandApplication]:
    user = api_user(request)
    programme = _programme(request, pk)
    organization = chosen_object(
        organizations_edited_by(user), payload.organization, name="organization"
    )
    stand = services.stand_apply(
        actor=user,
        programme=programme,
        organization=organization,
        exhibit=payload.exhibit,
        needs=payload.needs,
    )
    return Status(201, stand)


def _stand(request: HttpRequest, pk: int) -> StandApplication:
    return permissions.get_stand_for_user(api_viewer(request), pk)


@router.post(
    "/programme-stands/{int:pk}/accept",
    response=ProgrammeStandOut,
    summary="Accept a stand and put it on a place (409 if the place is taken)",
)
def accept_stand(request: HttpRequest, pk: int, payload: StandPlaceIn) -> StandApplication:
    stand = _stand(request, pk)
    places = StandPlace.objects.filter(venue__programme=stand.programme).select_related("venue")
    place = chosen_object(places, payload.place, name="place")
    assert place is not None
    return services.stand_accept(actor=api_user(request), stand=stand, place=place)


@router.post(
    "/programme-stands/{int:pk}/decline",
    response=ProgrammeStandOut,
    summary="Decline with a reason",
)
def decline_stand(request: HttpRequest, pk: int, payload: StandReasonIn) -> StandApplication:
    stand = _stand(request, pk)
    return services.stand_decline(actor=api_user(request), stand=stand, reason=payload.reason)


@router.post(
    "/programme-stands/{int:pk}/withdraw",
    response=ProgrammeStandOut,
    summary="Withdraw my application",
)
def withdraw_stand(request: HttpRequest, pk: int) -> StandApplication:
    stand = _stand(request, pk)
    return services.stand_withdraw(actor=api_user(request), stand=stand)


@router.get(
    "/event-programmes/{int:pk}/versions",
    response=list[ProgrammeVersionOut],
    auth=OPTIONAL_AUTH,
    summary="Published versions, newest first, with what changed",
)
@paginate(Pages, page_size=PAGE)
def list_versions(request: HttpRequest, pk: int) -> object:
    return selectors.versions_of(_programme(request, pk))


@router.post(
    "/event-programmes/{int:pk}/versions",
    response={201: ProgrammeVersionOut},
    summary="Publish the programme as the next version and notify those who chose a "
    "changed session (409 when nothing changed)",
)
def publish_version(request: HttpRequest, pk: int) -> Status[ProgrammeVersion]:
    programme = _programme(request, pk)
    return Status(201, services.version_publish(actor=api_user(request), programme=programme))


@router.put(
    "/programme-shifts/{int:pk}/post",
    response=ProgrammeShiftPostOut,
    summary="Say where on the site a volunteer shift of the event works: a zone or a stand",
)
def set_shift_post(request: HttpRequest, pk: int, payload: ProgrammeShiftPostIn) -> object:
    user = api_user(request)
    shift = Shift.objects.select_related("event__organization").filter(pk=pk).first()
    if shift is None or not event_permissions.can_view(user, shift.event):
        raise Http404
    programme = Programme.objects.filter(event_id=shift.event_id).first()
    venue = stand = None
    if programme is not None:
        venue = chosen_object(programme.venues.all(), payload.venue, name="venue")
        stand = chosen_object(programme.stands.all(), payload.stand, name="stand")
    return services.shift_post_set(actor=user, shift=shift, venue=venue, stand=stand)


# --- building the programme: changes and deletions (organisers) -----------------------------


def _track(request: HttpRequest, pk: int) -> Track:
    return permissions.get_track_for_user(api_viewer(request), pk)


def _venue(request: HttpRequest, pk: int) -> Venue:
    return permissions.get_venue_for_user(api_viewer(request), pk)


@router.put("/programme-tracks/{int:pk}", response=ProgrammeTrackOut, summary="Change a track")
def edit_track(request: HttpRequest, pk: int, payload: ProgrammeTrackIn) -> Track:
    track = _track(request, pk)
    return services.track_save(
        actor=api_user(request), programme=track.programme, track=track, **payload.dict()
    )


@router.delete(
    "/programme-tracks/{int:pk}",
    response={204: None},
    summary="Delete a track (its sessions stay without a track; 409 for a section with a "
    "resolution)",
)
def delete_track(request: HttpRequest, pk: int) -> Status[None]:
    services.track_delete(actor=api_user(request), track=_track(request, pk))
    return Status(204, None)


@router.put("/programme-venues/{int:pk}", response=ProgrammeVenueOut, summary="Change a venue")
def edit_venue(request: HttpRequest, pk: int, payload: ProgrammeVenueIn) -> Venue:
    venue = _venue(request, pk)
    return services.venue_save(
        actor=api_user(request), programme=venue.programme, venue=venue, **payload.dict()
    )


@router.delete(
    "/programme-venues/{int:pk}",
    response={204: None},
    summary="Delete a venue with no sessions, stands or shifts on it (409 otherwise)",
)
def delete_venue(request: HttpRequest, pk: int) -> Status[None]:
    services.venue_delete(actor=api_user(request), venue=_venue(request, pk))
    return Status(204, None)


@router.delete(
    "/programme-places/{int:pk}",
    response={204: None},
    summary="Take away a stand place with no stand on it (409 otherwise)",
)
def delete_place(request: HttpRequest, pk: int) -> Status[None]:
    place = permissions.get_place_for_user(api_viewer(request), pk)
    services.place_delete(actor=api_user(request), place=place)
    return Status(204, None)


@router.delete(
    "/programme-sessions/{int:pk}",
    response={204: None},
    summary="Delete a session never published and with nobody registered (409: cancel it)",
)
def delete_session(request: HttpRequest, pk: int) -> Status[None]:
    services.session_delete(actor=api_user(request), session=_session(request, pk))
    return Status(204, None)


@router.post(
    "/programme-sessions/{int:pk}/restore",
    response=ProgrammeSessionOut,
    summary="Bring a cancelled session back (409 if its time in the venue is taken)",
)
def restore_session(request: HttpRequest, pk: int) -> Session:
    session = _session(request, pk)
    services.session_restore(actor=api_user(request), session=session)
    return selectors.sessions_of(session.programme).get(pk=pk)


@router.delete(
    "/programme-speakers/{int:pk}",
    response={204: None},
    summary="Take a speaker or moderator off a session",
)
def delete_speaker(request: HttpRequest, pk: int) -> Status[None]:
    speaker = permissions.get_speaker_for_user(api_viewer(request), pk)
    services.speaker_remove(actor=api_user(request), speaker=speaker)
    return Status(204, None)


# --- who came to a session (organisers) -------------------------------------------------------


class SessionAttendanceOut(Schema):
    id: int = Field(description="the registration")
    user_id: int
    name: str
    registered_at: datetime
    attended_at: datetime | None = Field(description="marked present at; null — not marked")

    @staticmethod
    def resolve_name(obj: SessionRegistration) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_registered_at(obj: SessionRegistration) -> datetime:
        return obj.created_at


class AttendanceIn(InputSchema):
    present: bool


@router.get(
    "/programme-sessions/{int:pk}/attendance",
    response=list[SessionAttendanceOut],
    summary="Who registered for a session and who came (organisers)",
)
@paginate(Pages, page_size=PAGE)
def list_attendance(request: HttpRequest, pk: int) -> object:
    user = api_user(request)
    session = _session(request, pk)
    permissions.require(permissions.can_manage(user, session.programme))
    return selectors.registrations_of(session)


@router.put(
    "/programme-registrations/{int:pk}/attendance",
    response=SessionAttendanceOut,
    summary="Mark that a registered person came to the session, or take the mark back "
    "(from an hour before the start; 409 before or for a cancelled session)",
)
def mark_attendance(request: HttpRequest, pk: int, payload: AttendanceIn) -> SessionRegistration:
    user = api_user(request)
    registration = (
        SessionRegistration.objects.select_related("session", "user").filter(pk=pk).first()
    )
    if registration is None:
        raise Http404
    session = _session(request, registration.session_id)
    registration.session = session
    return services.attendance_mark(actor=user, registration=registration, present=payload.present)
