"""The programme's services: building it (tracks, venues, places, sessions, speakers),
places on sessions, «моё расписание», published versions with their list of changes and
one notification per person per version.

Rules (issue 16): a session's places are counted and taken under the session's row lock
(`core.locking.locked`), so a session never holds more people than its capacity however
many press «записаться» at once, and a capacity is lowered under that same lock; two
sessions never overlap in one venue (checked under the venue's lock, taken before the
session's); a version is published under the programme's lock, so its number is
taken once and its notifications go out once."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.typography import quoted
from dobry.core.uploads import validate_document
from dobry.events.models import Event, Shift
from dobry.festivals import notifications as kinds
from dobry.festivals.models import (
    PROGRAMME_KINDS,
    SESSION_WORKFLOW,
    STAND_WORKFLOW,
    Programme,
    ProgrammeVersion,
    Resolution,
    Selection,
    Session,
    SessionRegistration,
    ShiftPost,
    Speaker,
    StandApplication,
    StandPlace,
    Track,
    Venue,
)
from dobry.festivals.permissions import (
    can_apply_for_stand,
    can_check_in,
    can_manage,
    can_register,
    can_select,
    can_unregister,
    can_withdraw_stand,
    published_capacity,
    require,
)

FULL = _("Мест на сессии больше нет.")


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def _clean(instance: Any) -> None:
    """The model's own checks (lengths, numbers), as a DomainError naming each field."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise DomainError(
            _("Проверьте поля формы."),
            field_errors={k: [str(m) for m in v] for k, v in error.message_dict.items()},
        ) from None


# --- the programme and its parts ------------------------------------------------------------


def programme_create(*, actor: User, event: Event, civic_forum: bool = False) -> Programme:
    """Give a forum or festival its programme (one per event; 409 for another kind)."""
    if event.kind not in PROGRAMME_KINDS:
        raise InvalidTransition(_("Программа бывает только у форума или фестиваля."))
    programme = Programme(event=event, civic_forum=civic_forum)
    require(can_manage(actor, programme))
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:
        raise InvalidTransition(_("У мероприятия уже есть программа.")) from None
    log_action(actor=actor, action="programme.create", obj=programme)
    return programme


def track_save(
    *,
    actor: User,
    programme: Programme,
    title: str,
    description: str = "",
    position: int = 0,
    track: Track | None = None,
) -> Track:
    """Add a track (a section of the Civic Forum) or change one; titles unique per
    programme."""
    require(can_manage(actor, programme))
    track = track or Track(programme=programme)
    track.title, track.description, track.position = title.strip(), description, position
    _clean(track)
    if Track.objects.filter(programme=programme, title=track.title).exclude(pk=track.pk).exists():
        raise _field_error("title", _("Направление с таким названием уже есть."))
    track.save()
    log_action(actor=actor, action="programme.track", obj=programme)
    return track


def venue_save(
    *,
    actor: User,
    programme: Programme,
    title: str,
    kind: str = Venue.Kind.HALL,
    description: str = "",
    position: int = 0,
    venue: Venue | None = None,
) -> Venue:
    """Add a venue (hall, park zone) or change one; titles unique per programme."""
    require(can_manage(actor, programme))
    venue = venue or Venue(programme=programme)
    venue.title, venue.kind = title.strip(), kind
    venue.description, venue.position = description, position
    _clean(venue)
    if Venue.objects.filter(programme=programme, title=venue.title).exclude(pk=venue.pk).exists():
        raise _field_error("title", _("Площадка с таким названием уже есть."))
    venue.save()
    log_action(actor=actor, action="programme.venue", obj=programme)
    return venue


def track_delete(*, actor: User, track: Track) -> None:
    """Delete a track; its sessions stay in the programme without a track (a change the
    next version announces). A section with a resolution stays."""
    require(can_manage(actor, track.programme))
    if Resolution.objects.filter(track=track).exists():
        raise InvalidTransition(_("У секции есть резолюция: её не удалить."))
    track.delete()
    log_action(actor=actor, action="programme.track_delete", obj=track.programme)


def venue_delete(*, actor: User, venue: Venue) -> None:
    """Delete a venue with nothing on it: no sessions (moved or deleted first), no stand on
    its places, no volunteer shift linked to it."""
    require(can_manage(actor, venue.programme))
    if venue.sessions.exists():
        raise InvalidTransition(
            _("На площадке есть сессии: перенесите их на другую площадку или удалите.")
        )
    if StandApplication.objects.filter(place__venue=venue).exists():
        raise InvalidTransition(_("На местах площадки стоят стенды: сначала перенесите их."))
    if venue.shift_posts.exists():
        raise InvalidTransition(_("К площадке привязаны смены волонтёров."))
    programme = venue.programme
    venue.delete()
    log_action(actor=actor, action="programme.venue_delete", obj=programme)


def place_delete(*, actor: User, place: StandPlace) -> None:
    """Take away a numbered place on which no stand stands."""
    programme = place.venue.programme
    require(can_manage(actor, programme))
    if StandApplication.objects.filter(place=place).exists():
        raise InvalidTransition(_("На этом месте стоит стенд: сначала перенесите его."))
    place.delete()
    log_action(actor=actor, action="programme.places", obj=programme)


def places_add(*, actor: User, venue: Venue, first: int, last: int) -> list[StandPlace]:
    """Number the stand places `first`..`last` of a zone (those already there are kept)."""
    require(can_manage(actor, venue.programme))
    if not (1 <= first <= last <= 1000) or last - first >= 200:
        raise _field_error("last", _("Номера мест — от 1 до 1000, не больше 200 за раз."))
    existing = set(venue.places.values_list("number", flat=True))
    new = [StandPlace(venue=venue, number=n) for n in range(first, last + 1) if n not in existing]
    StandPlace.objects.bulk_create(new, ignore_conflicts=True)
    log_action(actor=actor, action="programme.places", obj=venue.programme)
    return list(venue.places.filter(number__range=(first, last)))


def overlapping(session: Session) -> Session | None:
    """A scheduled session of the same venue whose time crosses `session`'s."""
    return (
        Session.objects.filter(
            venue_id=session.venue_id,
            status=Session.Status.SCHEDULED,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .first()
    )


def session_save(
    *, actor: User, programme: Programme, values: dict[str, Any], session: Session | None = None
) -> Session:
    """Add or change a session. `values`: title, description, starts_at, ends_at (aware),
    venue, track (of this programme or None), capacity (None: no registration). Refused
    (with the field named): an end before the start, a venue or track of another
    programme, a capacity below the places already taken, a time that crosses another
    session in the same venue."""
    require(can_manage(actor, programme))
    session = session or Session(programme=programme)
    for name, value in values.items():
        setattr(session, name, value)
    if session.venue_id is None or session.venue.programme_id != programme.pk:
        raise _field_error("venue", _("Выберите площадку этой программы."))
    if session.track is not None and session.track.programme_id != programme.pk:
        raise _field_error("track", _("Выберите направление этой программы."))
    starts, ends = session.starts_at, session.ends_at
    if not isinstance(starts, datetime) or not isinstance(ends, datetime) or ends <= starts:
        raise _field_error("ends_at", _("Окончание должно быть позже начала."))
    _clean(session)
    with locked(Venue.objects.all(), session.venue_id):
        clash = overlapping(session)
        if clash is not None:
            raise _field_error(
                "starts_at",
                _("В это время на площадке идёт другая сессия: %(title)s.")
                % {"title": quoted(clash.title)},
            )
        if session.pk is None:
            session.save()
        else:
            # The places are counted under the session's lock — the lock registrations
            # take — so no one registers between the count and the new capacity.
            with locked(Session.objects.all(), session.pk):
                _check_capacity(session)
                session.save()
    log_action(actor=actor, action="programme.session", obj=programme)
    return session


def _check_capacity(session: Session) -> None:
    """Refuse a capacity below the places already taken (under the session's lock)."""
    if session.capacity is None:
        return
    taken = taken_places(session)
    if taken > session.capacity:
        message = ngettext(
            "Уже записался %(taken)s человек: мест не может быть меньше.",
            "Уже записались %(taken)s человек: мест не может быть меньше.",
            taken,
        ) % {"taken": taken}
        raise _field_error("capacity", message)


def session_cancel(*, actor: User, session: Session) -> Session:
    """Cancel a session; the people who chose it are told with the next version."""
    require(can_manage(actor, session.programme))
    SESSION_WORKFLOW.check(session.status, "cancel")
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    log_action(actor=actor, action="programme.session_cancel", obj=session.programme)
    return session


def can_delete_session(session: Session) -> bool:
    """A session is deleted only while nobody could have seen or taken it: not in a
    published version, nobody registered. Otherwise it is cancelled, which the next
    version announces."""
    published = str(session.pk) in session.programme.published_state()
    return not published and not session.registrations.exists()


def session_delete(*, actor: User, session: Session) -> None:
    programme = session.programme
    require(can_manage(actor, programme))
    if not can_delete_session(session):
        raise InvalidTransition(
            _("Сессия уже опубликована или на неё записались: отмените её, а не удаляйте.")
        )
    session.delete()
    log_action(actor=actor, action="programme.session_delete", obj=programme)


def session_restore(*, actor: User, session: Session) -> Session:
    """Bring a cancelled session back, if its time in the venue is still free."""
    require(can_manage(actor, session.programme))
    SESSION_WORKFLOW.check(session.status, "restore")
    with locked(Venue.objects.all(), session.venue_id):
        session.status = Session.Status.SCHEDULED
        clash = overlapping(session)
        if clash is not None:
            session.status = Session.Status.CANCELLED
            raise InvalidTransition(
                _("В это время на площадке уже идёт другая сессия: %(title)s.")
                % {"title": quoted(clash.title)}
            )
        session.save(update_fields=["status"])
    log_action(actor=actor, action="programme.session_restore", obj=session.programme)
    return session


def speaker_remove(*, actor: User, speaker: Speaker) -> None:
    require(can_manage(actor, speaker.session.programme))
    speaker.delete()


def speaker_add(
    *, actor: User, session: Session, name: str, role: str = Speaker.Role.SPEAKER, about: str = ""
) -> Speaker:
    require(can_manage(actor, session.programme))
    speaker = Speaker(session=session, name=name.strip(), role=role, about=about.strip())
    _clean(speaker)
    speaker.save()
    return speaker


# --- places on sessions and «моё расписание» --------------------------------------------------


def taken_places(session: Session) -> int:
    return SessionRegistration.objects.filter(session=session).count()


def registration_limit(session: Session) -> int:
    """The places one may take: the fewer of those published and those set now (a capacity
    lowered in the draft holds at once; a raised one waits for its version)."""
    published = published_capacity(session)
    counts = [n for n in (published, session.capacity) if n is not None]
    return min(counts) if published is not None and counts else 0


def session_register(*, actor: User, session: Session) -> SessionRegistration:
    """Take a place on a session with limited places (and add it to «моё расписание»).
    Counted and written under the session's lock; refused (409) when full, started,
    cancelled or already registered."""
    require(can_register(actor, session))
    try:
        with locked(Session.objects.all(), session.pk) as fresh:
            require(can_register(actor, fresh))
            if SessionRegistration.objects.filter(session=fresh, user=actor).exists():
                raise InvalidTransition(_("Вы уже записаны на эту сессию."))
            if taken_places(fresh) >= registration_limit(fresh):
                raise InvalidTransition(FULL)
            registration = SessionRegistration.objects.create(session=fresh, user=actor)
            Selection.objects.get_or_create(session=fresh, user=actor)
    except IntegrityError:
        raise InvalidTransition(_("Вы уже записаны на эту сессию.")) from None
    log_action(actor=actor, action="programme.session_register", obj=session.programme)
    return registration


def session_unregister(*, actor: User, session: Session) -> None:
    """Give one's place back before the session starts (the session stays in «моё
    расписание»); once it began the place is its record of participants (409)."""
    require(can_unregister(actor, session))
    with locked(Session.objects.all(), session.pk):
        removed, _rows = SessionRegistration.objects.filter(session=session, user=actor).delete()
    if not removed:
        raise InvalidTransition(_("Вы не записаны на эту сессию."))


def attendance_mark(
    *, actor: User, registration: SessionRegistration, present: bool
) -> SessionRegistration:
    """Mark that a registered person came to the session (or take the mark back). Where a
    session's attendance is marked, indicator 3 counts those who came, not those who
    registered (`reports.indicators`)."""
    session = registration.session
    require(can_check_in(actor, session))
    registration.attended_at = timezone.now() if present else None
    registration.save(update_fields=["attended_at"])
    log_action(
        actor=actor,
        action="programme.attendance",
        obj=session.programme,
        data={"session": session.pk, "present": present},
    )
    return registration


def selection_set(*, actor: User, session: Session, selected: bool) -> bool:
    """Add a session to «моё расписание» or take it out; returns whether selected."""
    require(can_select(actor, session))
    if selected:
        Selection.objects.get_or_create(session=session, user=actor)
    else:
        Selection.objects.filter(session=session, user=actor).delete()
    return selected


# --- versions ------------------------------------------------------------------------------


def snapshot(programme: Programme) -> dict[str, dict[str, Any]]:
    """The sessions as a version keeps them: by id, their title, times (ISO, UTC), venue,
    track, status and people."""
    sessions = (
        Session.objects.filter(programme=programme)
        .select_related("venue", "track")
        .prefetch_related("speakers")
    )
    return {
        str(s.pk): {
            "title": s.title,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "venue": s.venue.title,
            "track": s.track.title if s.track else "",
            "status": s.status,
            "people": sorted(p.name for p in s.speakers.all()),
            # what the public page shows of the version (`selectors.published_sessions`)
            "venue_id": s.venue_id,
            "track_id": s.track_id,
            "description": s.description,
            "capacity": s.capacity,
            "speakers": [
                {"name": p.name, "role": p.role, "about": p.about} for p in s.speakers.all()
            ],
        }
        for s in sessions
    }


# What a version announces as changed («спикеры» covers the people, whatever their roles).
COMPARED = (
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "track",
    "status",
    "people",
    "description",
    "capacity",
)


def changes_between(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """What changed from one snapshot to the next: one entry per session added, removed or
    changed — `{"session": id, "title": …, "change": "added" | "removed" | "changed",
    "fields": [names that changed], "before": {…}, "after": {…}}`."""
    found: list[dict[str, Any]] = []
    for key in sorted(set(before) | set(after), key=int):
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            found.append(
                {
                    "session": int(key),
                    "title": new["title"],
                    "change": "added",
                    "fields": [],
                    "before": {},
                    "after": new,
                }
            )
        elif new is None and old is not None:
            found.append(
                {
                    "session": int(key),
                    "title": old["title"],
                    "change": "removed",
                    "fields": [],
                    "before": old,
                    "after": {},
                }
            )
        elif old is not None and new is not None:
            # a field a version written before it was kept is not a change
            fields = [name for name in COMPARED if name in old and old[name] != new.get(name)]
            if fields:
                found.append(
                    {
                        "session": int(key),
                        "title": new["title"],
                        "change": "changed",
                        "fields": fields,
                        "before": old,
                        "after": new,
                    }
                )
    return found


def pending_changes(programme: Programme) -> list[dict[str, Any]]:
    """The changes not yet published: the present against the last version."""
    last = programme.versions.order_by("-number").first()
    return changes_between(last.snapshot if last else {}, snapshot(programme))


def version_publish(*, actor: User, programme: Programme) -> ProgrammeVersion:
    """Publish the programme as it is now as the next version, with its list of changes,
    and tell each person who selected or registered for a changed session — once per
    person, once per version (the programme's lock makes two presses one version; the
    second finds nothing new and is refused, 409)."""
    require(can_manage(actor, programme))
    with locked(Programme.objects.all(), programme.pk) as fresh:
        last = fresh.versions.order_by("-number").first()
        now_snapshot = snapshot(fresh)
        changes = changes_between(last.snapshot if last else {}, now_snapshot)
        if last is not None and not changes:
            raise InvalidTransition(_("С прошлой версии в программе ничего не изменилось."))
        if not now_snapshot:
            raise InvalidTransition(_("Добавьте в программу хотя бы одну сессию."))
        number = fresh.version + 1
        version = ProgrammeVersion.objects.create(
            programme=fresh,
            number=number,
            published_by=actor,
            changes=changes,
            snapshot=now_snapshot,
        )
        fresh.version = number
        fresh.save(update_fields=["version", "updated_at"])
        if last is not None:
            version.notified = _notify_changes(fresh, number, changes)
            version.save(update_fields=["notified"])
        log_action(actor=actor, action="programme.publish", obj=fresh, data={"version": number})
    programme.version = number
    programme._published_state = None
    return version


def _notify_changes(programme: Programme, number: int, changes: list[dict[str, Any]]) -> int:
    """One notification per person whose selection or registration holds a changed
    session; returns how many people were told."""
    changed = {c["session"]: c["title"] for c in changes if c["change"] != "added"}
    if not changed:
        return 0
    titles: dict[int, list[str]] = {}
    pairs = Selection.objects.filter(session_id__in=changed).values_list("user_id", "session_id")
    registered = SessionRegistration.objects.filter(session_id__in=changed).values_list(
        "user_id", "session_id"
    )
    for user_id, session_id in [*pairs, *registered]:
        names = titles.setdefault(user_id, [])
        if changed[session_id] not in names:
            names.append(changed[session_id])
    people = User.objects.filter(pk__in=titles).order_by("pk")
    told = 0
    for person in people:
        told += len(
            notify(
                kinds.PROGRAMME_CHANGED,
                [person],
                {
                    "event": programme.event,
                    "version": number,
                    "sessions": "; ".join(quoted(t) for t in titles[person.pk]),
                },
                url=programme.get_absolute_url(),
            )
        )
    return told


def change_lines(changes: Iterable[dict[str, Any]]) -> list[str]:
    """A version's changes as sentences in the reader's language."""
    labels = {
        "title": _("название"),
        "starts_at": _("начало"),
        "ends_at": _("окончание"),
        "venue": _("площадка"),
        "track": _("направление"),
        "status": _("статус"),
        "people": _("спикеры"),
        "description": _("описание"),
        "capacity": _("места по записи"),
    }
    lines = []
    for change in changes:
        title = quoted(change["title"])
        if change["change"] == "added":
            lines.append(_("Добавлена сессия %(title)s.") % {"title": title})
        elif change["change"] == "removed":
            lines.append(_("Удалена сессия %(title)s.") % {"title": title})
        elif change["after"].get("status") == Session.Status.CANCELLED:
            lines.append(_("Отменена сессия %(title)s.") % {"title": title})
        else:
            what = ", ".join(str(labels[name]) for name in change["fields"])
            lines.append(_("Изменена сессия %(title)s: %(what)s.") % {"title": title, "what": what})
    return lines


# --- stands --------------------------------------------------------------------------------


def stand_apply(
    *, actor: User, programme: Programme, organization: Any, exhibit: str, needs: str = ""
) -> StandApplication:
    """An organisation applies for a stand, saying what it will show (one active
    application per organisation and programme)."""
    require(can_apply_for_stand(actor, programme, organization))
    if not exhibit.strip():
        raise _field_error("exhibit", _("Напишите, что покажете на стенде."))
    stand = StandApplication(
        programme=programme,
        organization=organization,
        exhibit=exhibit.strip(),
        needs=needs.strip(),
        submitted_by=actor,
    )
    _clean(stand)
    try:
        with transaction.atomic():
            stand.save()
    except IntegrityError:
        raise InvalidTransition(_("У организации уже есть заявка на этот стенд.")) from None
    log_action(actor=actor, action="programme.stand_apply", obj=stand)
    return stand


def place_is_free(place: StandPlace, stand: StandApplication) -> bool:
    return not (
        StandApplication.objects.filter(place=place, status=StandApplication.Status.ACCEPTED)
        .exclude(pk=stand.pk)
        .exists()
    )


@contextmanager
def _stand_moving(stand: StandApplication, move: str, **details: Any) -> Iterator[None]:
    """Hold the application's row while it moves, the move checked against its status as
    it is now, not as it was read: an application withdrawn while an organiser was
    accepting it stays withdrawn (409), and a decision is not overwritten by one made on a
    page read before it."""
    with locked(StandApplication.objects.all(), stand.pk) as fresh:
        STAND_WORKFLOW.check(fresh.status, move, **details)
        yield


def stand_accept(*, actor: User, stand: StandApplication, place: StandPlace) -> StandApplication:
    """Accept the application and put the stand on `place` (of a zone of this programme).
    The application and then the place are checked and taken under their row locks; the
    database's constraint `one_stand_per_place` keeps one stand on a place whatever
    happens (409)."""
    require(can_manage(actor, stand.programme))
    if place.venue.programme_id != stand.programme_id:
        raise _field_error("place", _("Выберите место на площадке этой программы."))
    taken = _("Это место уже занято другим стендом.")
    try:
        with _stand_moving(stand, "accept"), locked(StandPlace.objects.all(), place.pk):
            if not place_is_free(place, stand):
                raise InvalidTransition(taken)
            stand.status, stand.place = StandApplication.Status.ACCEPTED, place
            stand.decided_at = timezone.now()
            stand.save(update_fields=["status", "place", "decided_at", "updated_at"])
    except IntegrityError:
        raise InvalidTransition(taken) from None
    log_action(actor=actor, action="programme.stand_accept", obj=stand, data={"place": str(place)})
    _tell_stand(stand, _("принята, место %(place)s") % {"place": place})
    return stand


def stand_decline(*, actor: User, stand: StandApplication, reason: str) -> StandApplication:
    require(can_manage(actor, stand.programme))
    with _stand_moving(stand, "decline", reason=reason):
        stand.status, stand.reason, stand.decided_at = (
            StandApplication.Status.DECLINED,
            reason.strip(),
            timezone.now(),
        )
        _clean(stand)
        stand.save(update_fields=["status", "reason", "decided_at", "updated_at"])
    log_action(actor=actor, action="programme.stand_decline", obj=stand)
    _tell_stand(stand, _("отклонена: %(reason)s") % {"reason": stand.reason})
    return stand


def stand_withdraw(*, actor: User, stand: StandApplication) -> StandApplication:
    require(can_withdraw_stand(actor, stand))
    with _stand_moving(stand, "withdraw"):
        stand.status, stand.place = StandApplication.Status.WITHDRAWN, None
        stand.save(update_fields=["status", "place", "updated_at"])
    log_action(actor=actor, action="programme.stand_withdraw", obj=stand)
    return stand


def _tell_stand(stand: StandApplication, decision: str) -> None:
    if stand.submitted_by is None:
        return
    notify(
        kinds.STAND_DECIDED,
        [stand.submitted_by],
        {"event": stand.programme.event, "organization": stand.organization, "decision": decision},
        url=stand.programme.get_absolute_url(),
    )


# --- volunteer shifts on the site ------------------------------------------------------------


def shift_post_set(
    *,
    actor: User,
    shift: Shift,
    venue: Venue | None = None,
    stand: StandApplication | None = None,
) -> ShiftPost:
    """Say where on the site a volunteer shift of the event works: a zone or an accepted
    stand of the event's programme (the shift, its signups and check-in stay the events')."""
    programme = Programme.objects.filter(event_id=shift.event_id).first()
    if programme is None:
        raise InvalidTransition(_("У мероприятия нет программы."))
    require(can_manage(actor, programme))
    if (venue is None) == (stand is None):
        raise _field_error("venue", _("Выберите зону или стенд."))
    if venue is not None and venue.programme_id != programme.pk:
        raise _field_error("venue", _("Выберите зону этой программы."))
    if stand is not None and (
        stand.programme_id != programme.pk or stand.status != StandApplication.Status.ACCEPTED
    ):
        raise _field_error("stand", _("Выберите принятый стенд этой программы."))
    post, _created = ShiftPost.objects.update_or_create(
        shift=shift, defaults={"venue": venue, "stand": stand}
    )
    return post


# --- resolutions of the Civic Forum's sections ---------------------------------------------


def resolution_publish(*, actor: User, track: Track, summary: str, file: Any = None) -> Resolution:
    """Publish the resolution of a Civic Forum section (a document and its summary), after
    the forum has begun; refused for a festival's track (409)."""
    programme = track.programme
    require(can_manage(actor, programme))
    if not programme.civic_forum:
        raise InvalidTransition(_("Резолюции бывают только у секций Гражданского форума."))
    starts = programme.event.starts_at
    if starts is None or starts > timezone.now():
        raise InvalidTransition(_("Резолюцию публикуют после работы секции."))
    if not summary.strip() and not file:
        raise _field_error("summary", _("Приложите документ или напишите главное."))
    if file:
        try:
            validate_document(file, field="file")
        except ValidationError as error:
            raise DomainError(
                _("Проверьте поля формы."),
                field_errors={k: [str(m) for m in v] for k, v in error.message_dict.items()},
            ) from None
    resolution, _created = Resolution.objects.get_or_create(track=track)
    resolution.summary = summary.strip()
    if file:
        resolution.file = file
    resolution.published_at = resolution.published_at or timezone.now()
    _clean(resolution)
    resolution.save()
    log_action(actor=actor, action="programme.resolution", obj=programme)
    return resolution
