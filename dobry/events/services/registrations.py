"""Signups and the waiting list. Every change to who holds a place runs in capacity_guard."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.events import notifications as kinds
from dobry.events import permissions, rules
from dobry.events.capacity import capacity_guard
from dobry.events.models import REGISTRATION_WORKFLOW, Registration, Shift
from dobry.events.notifications import notify_registration
from dobry.organizations.models import Membership, Organization

S = Registration.Status
MAX_GROUP_SEATS = 40


class SignupRefused(DomainError):
    status = 409

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons), field_errors={"__all__": reasons})
        self.reasons = reasons


def _move(
    actor: User | None,
    registration: Registration,
    name: str,
    *,
    reason: str = "",
) -> None:
    """Make the move `name` of `REGISTRATION_WORKFLOW`: a person's move is checked against
    the table and `permissions.can_move_registration`, the platform's (actor None) against
    the table."""
    if actor is None:
        move = REGISTRATION_WORKFLOW.check(registration.status, name, reason=reason)
    else:
        move = REGISTRATION_WORKFLOW.check_for(
            actor,
            registration,
            name,
            permissions.can_move_registration,
            reason=reason,
        )
    registration.status = move.target


def _notify_volunteer(kind: str, registration: Registration, **context: str | int) -> None:
    """Tell the volunteer through the worker: enqueueing is one row in this transaction,
    while rendering and sending happen outside the capacity lock."""
    notify_registration.enqueue(registration.pk, kind, context)


def organisers(shift: Shift) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=shift.event.organization_id,
            memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        )
    )


def represented_organization(*, user: User, organization_id: int | None) -> Organization | None:
    """The organisation a signup is made for, read once for the page and the API: none for
    an individual signup, else one the person is a member of — any other id (a forged or
    unknown organisation) is refused on the `represents` field, never taken for an
    individual signup."""
    if organization_id is None:
        return None
    organization = Organization.objects.filter(
        pk=organization_id, memberships__user_id=user.pk
    ).first()
    if organization is None:
        raise DomainError(
            _("Представлять можно только свою организацию."),
            field_errors={"represents": [_("Вы не состоите в этой организации.")]},
        )
    return organization


@dataclass(frozen=True)
class _Signup:
    """What one signup asks for: the places taken and whom they are for."""

    seats: int
    group: str
    group_name: str  # trimmed
    minors_in_group: int
    represents: Organization | None


def registration_create(
    *,
    user: User,
    shift: Shift,
    seats: int = 1,
    group: str = Registration.Group.INDIVIDUAL,
    group_name: str = "",
    minors_in_group: int = 0,
    represents: Organization | None = None,
) -> Registration:
    """Sign `user` (alone, or leading a family, class or team) up for a shift.

    Places are counted and taken under the capacity lock, so concurrent signups never
    exceed the capacity. A full shift puts the person on the waiting list; a shift that
    needs approval holds the place until the organiser decides.

    `seats` is 1 to MAX_GROUP_SEATS, `group` a `Registration.Group` value, `represents` an
    organisation the person is a member of. DomainError with field errors for bad input;
    SignupRefused (409) with the reasons when the rules or the shift refuse the signup.
    """
    signup = _Signup(
        seats=seats,
        group=group,
        group_name=group_name.strip(),
        minors_in_group=minors_in_group,
        represents=represents,
    )
    _check_signup_input(user, signup)
    _check_signup_rules(user, shift, signup)
    try:
        with capacity_guard(shift.pk) as locked:
            return _take_places(user, locked, signup)
    except IntegrityError:
        # The unique constraint caught a double click that raced past the check above.
        raise SignupRefused([_("Вы уже записаны на эту смену.")]) from None


def _check_signup_input(user: User, signup: _Signup) -> None:
    if signup.group not in Registration.Group.values:
        raise DomainError(
            _("Неизвестный вид записи."), field_errors={"group": [_("Выберите из списка.")]}
        )
    if not 1 <= signup.seats <= MAX_GROUP_SEATS:
        raise DomainError(
            ngettext(
                "Можно занять от 1 до %(max)s места.",
                "Можно занять от 1 до %(max)s мест.",
                MAX_GROUP_SEATS,
            )
            % {"max": MAX_GROUP_SEATS},
            field_errors={"seats": [_("Недопустимое число мест.")]},
        )
    if (
        signup.represents is not None
        and not Membership.objects.filter(organization=signup.represents, user=user).exists()
    ):
        raise DomainError(
            _("Представлять можно только свою организацию."),
            field_errors={"represents": [_("Вы не состоите в этой организации.")]},
        )
    require_within_limits(
        {"group_name": (signup.group_name, text_limit(Registration, "group_name"))}
    )


def _check_signup_rules(user: User, shift: Shift, signup: _Signup) -> None:
    # The rules read the person's own data, so they are checked before the lock; only
    # counting and taking places happens while other signups for the shift wait.
    if Registration.objects.active().filter(shift=shift, user=user).exists():
        raise SignupRefused([_("Вы уже записаны на эту смену.")])
    reasons = rules.refusals(
        user=user,
        shift=shift,
        seats=signup.seats,
        group=signup.group,
        minors_in_group=signup.minors_in_group,
    )
    if reasons:
        raise SignupRefused(reasons)


_SIGNUP_NOTICE = {
    S.CONFIRMED: kinds.REGISTRATION_CONFIRMED,
    S.PENDING_APPROVAL: kinds.REGISTRATION_PENDING,
    S.WAITLISTED: kinds.REGISTRATION_WAITLISTED,
}


def _take_places(user: User, locked: Shift, signup: _Signup) -> Registration:
    """Under the capacity lock: the places if they are free, else the waiting list."""
    # read again under the lock: the event may have been cancelled, or its organisation
    # returned to its editors, since the rules were checked
    closed = rules.signups_closed(locked.event)
    if closed:
        raise SignupRefused([closed])
    free = locked.capacity - locked.registrations.holding_place().seats()
    if signup.seats <= free:
        status = S.PENDING_APPROVAL if locked.requires_approval else S.CONFIRMED
    else:
        status = S.WAITLISTED
    registration = Registration.objects.create(
        shift=locked,
        user=user,
        status=status,
        seats=signup.seats,
        group=signup.group,
        group_name=signup.group_name,
        minors_in_group=signup.minors_in_group,
        represents=signup.represents,
        decided_at=timezone.now() if status == S.CONFIRMED else None,
    )
    log_action(
        actor=user,
        action="registration.create",
        obj=registration,
        data={"status": status, "seats": signup.seats, "shift": locked.pk},
    )
    _notify_volunteer(_SIGNUP_NOTICE[status], registration)
    return registration


def _offer_free_places(shift: Shift) -> list[Registration]:
    """Offer freed places to the waiting line, first come first served, each person who
    fits. Never once the shift has started; an offer expires at the latest when the shift
    starts. Must run inside capacity_guard(shift)."""
    now = timezone.now()
    if shift.starts_at <= now:
        return []
    free = shift.capacity - shift.registrations.holding_place().seats()
    offered = []
    hours = settings.DOBRY_WAITLIST_OFFER_HOURS
    expires_at = min(now + timedelta(hours=hours), shift.starts_at)
    for candidate in shift.registrations.waiting_line():
        if free <= 0:
            break
        if candidate.seats > free:
            continue
        _move(None, candidate, "offer")
        candidate.offer_expires_at = expires_at
        candidate.save(update_fields=["status", "offer_expires_at"])
        log_action(actor=None, action="registration.offer", obj=candidate)
        _notify_volunteer(kinds.WAITLIST_OFFER, candidate, hours=hours)
        free -= candidate.seats
        offered.append(candidate)
    return offered


def registration_cancel(*, user: User, registration: Registration) -> Registration:
    """The volunteer cancels (or leaves the waiting list). After the event's deadline the
    cancellation is still accepted, recorded as late, and the organisers are told. Raises
    PermissionDenied for anyone else's registration, InvalidTransition once the person is
    checked in or the shift has started."""
    with capacity_guard(registration.shift_id) as shift:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.shift = shift
        # someone else's: PermissionDenied (403) from the move's check, in any state
        held_place = registration.status in Registration.HOLDING_PLACE
        leaving = "leave_waitlist" if registration.status == S.WAITLISTED else "cancel"
        _move(user, registration, leaving)
        now = timezone.now()
        registration.cancelled_at = now
        registration.late_cancellation = held_place and now > shift.event.cancellation_deadline(
            shift
        )
        registration.save(update_fields=["status", "cancelled_at", "late_cancellation"])
        log_action(
            actor=user,
            action="registration.cancel",
            obj=registration,
            data={"late": registration.late_cancellation},
        )
        if held_place:
            _offer_free_places(shift)
    # Only counting and writing happen under the capacity lock; telling people comes after.
    if registration.late_cancellation:
        notify(
            kinds.LATE_CANCELLATION,
            organisers(shift),
            {"registration": registration, "shift": shift, "event": shift.event},
            url=shift.event.get_absolute_url(),
        )
    return registration


def registration_accept_offer(*, user: User, registration: Registration) -> Registration:
    with capacity_guard(registration.shift_id) as shift:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.shift = shift
        # someone else's: PermissionDenied (403) from the move's check, in any state
        accept = "accept_offer_for_approval" if shift.requires_approval else "accept_offer"
        _move(user, registration, accept)
        target = registration.status
        registration.decided_at = timezone.now() if target == S.CONFIRMED else None
        registration.save(update_fields=["status", "decided_at"])
        log_action(actor=user, action="registration.accept_offer", obj=registration)
        if target == S.CONFIRMED:
            _notify_volunteer(kinds.REGISTRATION_CONFIRMED, registration)
    return registration


def registration_approve(*, actor: User, registration: Registration) -> Registration:
    """An organiser confirms a registration waiting for approval."""
    with capacity_guard(registration.shift_id) as shift:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.shift = shift
        _move(actor, registration, "approve")
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "decided_at"])
        log_action(actor=actor, action="registration.approve", obj=registration)
        _notify_volunteer(kinds.REGISTRATION_CONFIRMED, registration)
    return registration


def registration_decline(*, actor: User, registration: Registration, reason: str) -> Registration:
    """An organiser declines a registration waiting for approval or on the waiting list,
    with the reason the volunteer is told."""
    reason = reason.strip()
    with capacity_guard(registration.shift_id) as shift:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.shift = shift
        held_place = registration.status in Registration.HOLDING_PLACE
        _move(actor, registration, "decline", reason=reason)
        registration.reason = reason
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "reason", "decided_at"])
        log_action(
            actor=actor, action="registration.decline", obj=registration, data={"reason": reason}
        )
        _notify_volunteer(kinds.REGISTRATION_DECLINED, registration, reason=reason)
        if held_place:
            _offer_free_places(shift)
    return registration


def offers_expire() -> int:
    """Periodic: offers not answered in time pass to the next person in line."""
    expired = 0
    due = Registration.objects.filter(status=S.OFFERED, offer_expires_at__lt=timezone.now())
    for shift_id in set(due.values_list("shift_id", flat=True)):
        with capacity_guard(shift_id) as shift:
            for registration in shift.registrations.filter(
                status=S.OFFERED, offer_expires_at__lt=timezone.now()
            ).select_for_update():
                _move(None, registration, "expire_offer")
                registration.save(update_fields=["status"])
                log_action(actor=None, action="registration.offer_expired", obj=registration)
                _notify_volunteer(kinds.OFFER_EXPIRED, registration)
                expired += 1
            _offer_free_places(shift)
    return expired


def free_places_refill(*, shift: Shift) -> list[Registration]:
    """After the capacity of a shift grows, offer the new places to the waiting line."""
    with capacity_guard(shift.pk) as locked:
        return _offer_free_places(locked)
