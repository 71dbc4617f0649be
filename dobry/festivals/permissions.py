"""Who may do what with a forum's or festival's programme: one function per action, used
by the pages, the API and the services alike.

The programme is public once its first version is published, for whoever may see the
event (`events.permissions.can_view`); before, only its organisers see it. The event's
organisers (`events.permissions.can_manage`: editors of the organising organisation and
the resource centre's coordinators) edit it, publish its versions, decide stand
applications and publish the resolutions of sections. Any signed-in person selects
sessions for «моё расписание» and registers for a session with limited places; an editor
of an organisation applies for a stand for it."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.errors import InvalidTransition
from dobry.core.errors import PermissionDenied as DomainPermissionDenied
from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.events import permissions as event_permissions
from dobry.events.models import Event
from dobry.festivals.models import (
    Programme,
    Resolution,
    Session,
    Speaker,
    StandApplication,
    StandPlace,
    Track,
    Venue,
)
from dobry.organizations import permissions as organization_permissions
from dobry.organizations.models import Organization

Part = TypeVar("Part", Track, Venue, StandPlace, Speaker, Session)

SIGN_IN = _("Войдите, чтобы составить своё расписание.")


def require(decision: Decision) -> None:
    """A service's refusal: `deny` → PermissionDenied (403), `not_now` → 409."""
    if decision:
        return
    if decision.not_now:
        raise InvalidTransition(str(decision.reason))
    raise DomainPermissionDenied(str(decision.reason))


def _signed_in(user: Actor) -> bool:
    return bool(user.is_authenticated and user.pk is not None and user.is_active)


def can_manage(user: Actor, programme: Programme) -> Decision:
    """The event's organisers and the resource centre's coordinators."""
    return event_permissions.can_manage(user, programme.event)


def can_view(user: Actor, programme: Programme) -> Decision:
    """Published (a version out) and the event visible to `user`; before, organisers."""
    if can_manage(user, programme):
        return ALLOW
    if not event_permissions.can_view(user, programme.event):
        return deny(_("Мероприятие недоступно."))
    if not programme.is_published:
        return deny(_("Программа ещё не опубликована."))
    return ALLOW


def is_published(session: Session) -> bool:
    """The session is in the programme's last published version."""
    return str(session.pk) in session.programme.published_state()


def can_select(user: Actor, session: Session) -> Decision:
    """Add a session to «моё расписание»: any signed-in person who sees the programme, once
    the session is published."""
    if not _signed_in(user):
        return deny(SIGN_IN)
    decision = can_view(user, session.programme)
    if not decision:
        return decision
    if not is_published(session):
        return not_now(_("Сессия ещё не опубликована."))
    return ALLOW


def published_capacity(session: Session) -> int | None:
    """The places by registration the published version announces (None: come freely)."""
    kept = session.programme.published_state().get(str(session.pk))
    if kept is None:
        return None
    return kept.get("capacity", session.capacity)


def can_register(user: Actor, session: Session) -> Decision:
    """Take a place on a session with limited places, before it starts."""
    decision = can_select(user, session)
    if not decision:
        return decision
    if not session.needs_registration or published_capacity(session) is None:
        return not_now(_("На эту сессию запись не нужна: приходите."))
    if session.status == Session.Status.CANCELLED:
        return not_now(_("Сессия отменена."))
    if session.starts_at <= timezone.now():
        return not_now(_("Сессия уже началась: запись закрыта."))
    return ALLOW


def can_unregister(user: Actor, session: Session) -> Decision:
    """Give one's place back before the session starts: a place taken on a session held
    is its record of participants (indicator 3), not a booking to free."""
    if not _signed_in(user):
        return deny(SIGN_IN)
    if session.starts_at <= timezone.now():
        return not_now(_("Сессия уже началась: запись не отменить."))
    return ALLOW


CHECK_IN_EARLY = timedelta(hours=1)


def can_check_in(user: Actor, session: Session) -> Decision:
    """Mark who came to a session: its organisers, from an hour before it starts, unless it
    is cancelled."""
    decision = can_manage(user, session.programme)
    if not decision:
        return decision
    if session.status == Session.Status.CANCELLED:
        return not_now(_("Сессия отменена."))
    if session.starts_at - CHECK_IN_EARLY > timezone.now():
        return not_now(_("Отмечать пришедших можно за час до начала сессии."))
    return ALLOW


def can_apply_for_stand(user: Actor, programme: Programme, organization: Organization) -> Decision:
    """An owner or editor of the organisation, while the event has not ended."""
    if not _signed_in(user):
        return deny(_("Войдите, чтобы подать заявку на стенд."))
    if not organization_permissions.can_edit(user, organization):
        return deny(_("Заявку на стенд подают владельцы и редакторы организации."))
    if not can_view(user, programme):
        return deny(_("Программа ещё не опубликована."))
    ends = programme.event.ends_at
    if ends is not None and ends <= timezone.now():
        return not_now(_("Мероприятие уже прошло."))
    return ALLOW


def can_withdraw_stand(user: Actor, stand: StandApplication) -> Decision:
    if not organization_permissions.can_edit(user, stand.organization):
        return deny(_("Заявку отзывают владельцы и редакторы организации."))
    if stand.status not in StandApplication.ACTIVE:
        return not_now(_("Заявка уже не действует."))
    return ALLOW


def can_see_stand(user: Actor, stand: StandApplication) -> Decision:
    """An accepted stand is public with the programme; an application otherwise is seen
    by its organisation's editors and the organisers."""
    if stand.status == StandApplication.Status.ACCEPTED and can_view(user, stand.programme):
        return ALLOW
    if can_manage(user, stand.programme) or organization_permissions.can_edit(
        user, stand.organization
    ):
        return ALLOW
    return deny(_("Заявку видят организация и организаторы."))


def can_read_resolution(user: Actor, resolution: Resolution) -> Decision:
    """A published resolution: whoever sees the programme; before, the organisers."""
    programme = resolution.track.programme
    if resolution.published_at is not None:
        return can_view(user, programme)
    if can_manage(user, programme):
        return ALLOW
    return deny(_("Резолюция ещё не опубликована."))


def visible_programmes(user: Actor) -> QuerySet[Programme]:
    """The list form of `can_view`: published programmes of public events, and the ones
    `user` organises."""
    public = Programme.objects.filter(version__gt=0, event__in=Event.objects.public())
    if not _signed_in(user):
        return public
    managed = Programme.objects.filter(
        event__organization__in=organization_permissions.organizations_edited_by(user)
    )
    if organization_permissions.is_reviewer(user):
        return Programme.objects.all()
    return (public | managed).distinct()


def _require_manage(user: Actor, programme: Programme) -> None:
    decision = can_manage(user, programme)
    if not decision:
        raise PermissionDenied(decision.reason)


def get_programme_for_user(user: Actor, pk: int, *, manage: bool = False) -> Programme:
    """The programme `pk`: 404 if there is none or `user` may not see it; 403 when
    `manage` and `user` is not an organiser."""
    programme = Programme.objects.select_related("event__organization").filter(pk=pk).first()
    if programme is None or not can_view(user, programme):
        raise Http404
    if manage:
        _require_manage(user, programme)
    return programme


def _part_for_user(
    user: Actor,
    queryset: QuerySet[Part],
    pk: int,
    programme_of: Callable[[Part], Programme],
    manage: bool,
) -> Part:
    """A part of a programme (a track, venue, stand place, speaker, session): 404 if there
    is none or `user` may not see its programme; 403 when `manage` and `user` is not an
    organiser (without `manage` the services refuse a non-organiser's change)."""
    part = queryset.filter(pk=pk).first()
    if part is None or not can_view(user, programme_of(part)):
        raise Http404
    if manage:
        _require_manage(user, programme_of(part))
    return part


def get_track_for_user(user: Actor, pk: int, *, manage: bool = False) -> Track:
    tracks = Track.objects.select_related("programme__event__organization")
    return _part_for_user(user, tracks, pk, lambda track: track.programme, manage)


def get_venue_for_user(user: Actor, pk: int, *, manage: bool = False) -> Venue:
    venues = Venue.objects.select_related("programme__event__organization")
    return _part_for_user(user, venues, pk, lambda venue: venue.programme, manage)


def get_place_for_user(user: Actor, pk: int, *, manage: bool = False) -> StandPlace:
    places = StandPlace.objects.select_related("venue__programme__event__organization")
    return _part_for_user(user, places, pk, lambda place: place.venue.programme, manage)


def get_speaker_for_user(user: Actor, pk: int, *, manage: bool = False) -> Speaker:
    speakers = Speaker.objects.select_related("session__programme__event__organization")
    return _part_for_user(user, speakers, pk, lambda speaker: speaker.session.programme, manage)


def get_session_for_user(user: Actor, pk: int, *, manage: bool = False) -> Session:
    """The session `pk`: 404 if there is none, `user` may not see its programme, or it is
    not published yet and `user` does not organise it (on the organisers' pages as by
    API); 403 when `manage` and `user` is not an organiser."""
    sessions = Session.objects.select_related("programme__event__organization", "venue", "track")
    session = _part_for_user(user, sessions, pk, lambda found: found.programme, manage=False)
    if not is_published(session) and not can_manage(user, session.programme):
        raise Http404
    if manage:
        _require_manage(user, session.programme)
    return session


def get_stand_for_user(user: Actor, pk: int) -> StandApplication:
    stand = (
        StandApplication.objects.select_related(
            "programme__event__organization", "organization", "place__venue"
        )
        .filter(pk=pk)
        .first()
    )
    if stand is None or not can_see_stand(user, stand):
        raise Http404
    return stand
