"""Room bookings: no two bookings of a room overlap, even when requested at once."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_date, local_time, local_today
from dobry.core.dates import day_text
from dobry.core.errors import DomainError
from dobry.core.locking import lock_rows, locked
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.organizations.models import Organization
from dobry.resources import notifications as kinds
from dobry.resources import permissions
from dobry.resources.models import (
    BOOKING_WORKFLOW,
    Giver,
    Room,
    RoomBooking,
    SupportKind,
    SupportRecord,
)
from dobry.resources.services import (
    support_record_for_source,
    support_records_withdraw_for_source,
)

MAX_BOOKING = timedelta(hours=12)
B = RoomBooking.Status


@contextmanager
def room_guard(room_id: int) -> Iterator[Room]:
    """A transaction in which nobody else can book the room (`dobry.core.locking.locked`,
    as for shift capacity)."""
    with locked(Room.objects.all(), room_id) as room:
        yield room


@contextmanager
def booking_guard(booking: RoomBooking) -> Iterator[RoomBooking]:
    """A transaction holding the booking's room, then the booking — the order
    `booking_request` takes (a parent before its children, `core/locking.py`) — for every
    move of a booking: a confirmation, a refusal or a cancellation and a new request for
    the room's time wait for each other in turn, and a request never reads a booking whose
    decision is half made. Yields the booking read again under the locks, with its room."""
    with room_guard(booking.room_id) as room:
        [current] = lock_rows(RoomBooking.objects.select_related("booked_by"), [booking.pk])
        current.room = room
        yield current


def booking_last_day() -> date:
    """The last city day a booking may start on: `DOBRY_ROOM_BOOKING_DAYS_AHEAD` days after
    today."""
    return local_today() + timedelta(days=settings.DOBRY_ROOM_BOOKING_DAYS_AHEAD)


def _length_error(starts_at: datetime, ends_at: datetime) -> str | None:
    """What is wrong with a booking's length, if anything: it ends after it starts and lasts
    from `DOBRY_ROOM_BOOKING_MIN_MINUTES` to `MAX_BOOKING`."""
    shortest = timedelta(minutes=settings.DOBRY_ROOM_BOOKING_MIN_MINUTES)
    if ends_at <= starts_at:
        return str(_("Окончание должно быть позже начала."))
    if ends_at - starts_at > MAX_BOOKING:
        return str(_("Бронировать можно не больше чем на 12 часов."))
    if ends_at - starts_at < shortest:
        minutes = settings.DOBRY_ROOM_BOOKING_MIN_MINUTES
        return ngettext(
            "Бронировать можно не меньше чем на %(n)s минуту.",
            "Бронировать можно не меньше чем на %(n)s минут.",
            minutes,
        ) % {"n": minutes}
    return None


def _start_error(starts_at: datetime) -> str | None:
    """What is wrong with a booking's start, if anything: not in the past, not past
    `booking_last_day` (the city's date)."""
    if starts_at < timezone.now():
        return str(_("Нельзя забронировать время в прошлом."))
    if local_date(starts_at) > (last := booking_last_day()):
        days = settings.DOBRY_ROOM_BOOKING_DAYS_AHEAD
        return ngettext(
            "Бронировать можно не дальше чем на %(n)s день вперёд: до %(last)s.",
            "Бронировать можно не дальше чем на %(n)s дней вперёд: до %(last)s.",
            days,
        ) % {"n": days, "last": day_text(last)}
    return None


def _check_times(room: Room, starts_at: datetime, ends_at: datetime, attendees: int) -> None:
    """A booking's time and size, each problem at its field (DomainError): after its start,
    from `DOBRY_ROOM_BOOKING_MIN_MINUTES` to `MAX_BOOKING` long, not in the past nor past
    `booking_last_day`, within the room's opening hours of one day, for the room's
    capacity."""
    errors: dict[str, list[str]] = {}
    if length_error := _length_error(starts_at, ends_at):
        errors["ends_at"] = [length_error]
    if start_error := _start_error(starts_at):
        errors["starts_at"] = [start_error]
    local_start, local_end = local_time(starts_at), local_time(ends_at)
    if (
        local_date(starts_at) != local_date(ends_at)
        or local_start.time() < room.opens_at
        or local_end.time() > room.closes_at
    ):
        hours = {"open": room.opens_at.strftime("%H:%M"), "close": room.closes_at.strftime("%H:%M")}
        errors.setdefault("starts_at", []).append(
            _("Помещение открыто с %(open)s до %(close)s.") % hours
        )
    if attendees > room.capacity:
        errors["attendees"] = [
            ngettext(
                "В помещении не больше %(n)s человека.",
                "В помещении не больше %(n)s человек.",
                room.capacity,
            )
            % {"n": room.capacity}
        ]
    if errors:
        raise DomainError(_("Проверьте время и число участников."), field_errors=errors)


def booking_request(
    *,
    user: User,
    room: Room,
    organization: Organization,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    attendees: int = 1,
) -> RoomBooking:
    """A member of a verified organisation asks for the room (`permissions.can_book_for`:
    DomainError on the organization field otherwise); the slot is held until staff decide."""
    if not (decision := permissions.can_book_for(user, organization)):
        reason = str(decision.reason)
        raise DomainError(reason, field_errors={"organization": [reason]})
    if not room.is_active:
        raise DomainError(_("Это помещение сейчас не бронируется."))
    if not purpose.strip():
        raise DomainError(_("Укажите цель."), field_errors={"purpose": [_("Обязательное поле.")]})
    require_within_limits({"purpose": (purpose.strip(), text_limit(RoomBooking, "purpose"))})
    _check_times(room, starts_at, ends_at, attendees)
    with room_guard(room.pk) as locked:
        if locked.bookings.holding().overlapping(starts_at, ends_at).exists():
            raise DomainError(
                _("Это время уже занято. Выберите другое."),
                field_errors={"starts_at": [_("Время занято.")]},
            )
        booking = RoomBooking.objects.create(
            room=locked,
            organization=organization,
            booked_by=user,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=purpose.strip(),
            attendees=attendees,
        )
        log_action(actor=user, action="room.request", obj=booking)
    return booking


def booking_confirm(
    *, actor: User, booking: RoomBooking, value_rub: Decimal | None = None
) -> RoomBooking:
    """Staff confirm; the use of the room is property support of the organisation.
    InvalidTransition (409) once decided; PermissionDenied (403) for anyone but staff."""
    with booking_guard(booking) as booking:
        BOOKING_WORKFLOW.check_for(actor, booking, "confirm", permissions.can_move_booking)
        booking.status = B.CONFIRMED
        booking.save(update_fields=["status"])
        log_action(actor=actor, action="room.confirm", obj=booking)
        support_record_for_source(
            source=booking,
            kind=SupportKind.PROPERTY,
            day=local_date(booking.starts_at),
            made_from=SupportRecord.MadeFrom.ROOM,
            made_params={"room": booking.room.name},
            organization=booking.organization,
            person=None,
            giver=Giver.RESOURCE_CENTRE,
            value_rub=value_rub,
        )
        if booking.booked_by is not None:
            notify(
                kinds.ROOM_DECIDED,
                [booking.booked_by],
                {"booking": booking},
                url=booking.room.get_absolute_url(),
            )
    return booking


def booking_decline(*, actor: User, booking: RoomBooking, reason: str) -> RoomBooking:
    """Staff decline with a reason, which the person who booked is told. DomainError on
    `reason` without one; InvalidTransition (409) once decided; PermissionDenied (403) for
    anyone but staff."""
    reason = reason.strip()
    with booking_guard(booking) as booking:
        BOOKING_WORKFLOW.check_for(
            actor,
            booking,
            "decline",
            permissions.can_move_booking,
            reason=reason,
        )
        booking.status = B.DECLINED
        booking.reason = reason
        booking.save(update_fields=["status", "reason"])
        log_action(actor=actor, action="room.decline", obj=booking, data={"reason": booking.reason})
        if booking.booked_by is not None:
            notify(
                kinds.ROOM_DECIDED,
                [booking.booked_by],
                {"booking": booking},
                url=booking.room.get_absolute_url(),
            )
    return booking


def booking_decide(
    *, actor: User, booking: RoomBooking, decision: str, reason: str = ""
) -> RoomBooking:
    """A move of `BOOKING_WORKFLOW` by its name (the button pressed); a name it does not
    know is refused (DomainError) rather than taken for a confirmation."""
    move = BOOKING_WORKFLOW.move(decision)
    if move.target == B.CONFIRMED:
        return booking_confirm(actor=actor, booking=booking)
    if move.target == B.DECLINED:
        return booking_decline(actor=actor, booking=booking, reason=reason)
    return booking_cancel(user=actor, booking=booking)


def booking_cancel(*, user: User, booking: RoomBooking) -> RoomBooking:
    """The person who booked gives the slot back, while the booking holds it and has not
    begun. A confirmed one had been counted as property support; the room was not used, so
    that entry goes too. PermissionDenied (403) for anyone but the person who booked,
    whatever the booking's state; InvalidTransition (409) for them when it no longer holds
    the room or has begun (`permissions.can_move_booking`: too late, not theirs to refuse)."""
    with booking_guard(booking) as booking:
        BOOKING_WORKFLOW.check_for(user, booking, "cancel", permissions.can_move_booking)
        booking.status = B.CANCELLED
        booking.save(update_fields=["status"])
        withdrawn = support_records_withdraw_for_source(source=booking)
        log_action(
            actor=user, action="room.cancel", obj=booking, data={"support_withdrawn": withdrawn}
        )
    return booking
