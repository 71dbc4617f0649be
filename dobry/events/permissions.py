"""Who may do what with events: organisers are the organisation's owners and editors,
plus coordinators of the resource centre."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.workflow import Move
from dobry.events.models import (
    EVENT_WORKFLOW,
    REGISTRATION_WORKFLOW,
    Event,
    Registration,
    Shift,
)
from dobry.organizations import permissions as organization_permissions
from dobry.organizations.models import Membership, Organization


def _holding_a_link() -> Q:
    """Registrations whose person still needs the event's page: those that stand (confirmed,
    waiting for approval, on the waiting list, offered a place) and those checked in."""
    return Q(status__in=Registration.ACTIVE) | Q(checked_in_at__isnull=False)


def is_registered(user: Actor, event: Event) -> bool:
    """Whether `user` holds a registration for a shift of `event` (`_holding_a_link`)."""
    if not user.is_authenticated or user.pk is None:
        return False
    return Registration.objects.filter(
        _holding_a_link(), shift__event=event, user_id=user.pk
    ).exists()


def can_view(user: Actor, event: Event) -> Decision:
    """A draft: its organisers only. An event of an organisation not verified now (awaiting
    review, or returned to its editors) is unlisted (`EventQuerySet.public`) and opens only
    for its organisers, the resource centre's coordinators and the people registered for
    it, who need its page; anyone else gets a 404, as for an event that does not exist.
    The list form is `visible_events`."""
    if event.status == Event.Status.DRAFT:
        if can_manage(user, event):
            return ALLOW
        return deny(_("Черновик видят только организаторы."))
    if event.organization.is_verified or can_manage(user, event) or is_registered(user, event):
        return ALLOW
    return deny(_("Организатор мероприятия сейчас не проверен: страницу видят только участники."))


def can_manage(user: Actor, event: Event) -> Decision:
    decision = organization_permissions.can_edit(user, event.organization)
    if decision:
        return ALLOW
    return deny(_("Управляют мероприятием редакторы организации-организатора."))


NOT_VERIFIED = _(
    "Создавать и публиковать мероприятия могут только проверенные организации, а эта сейчас "
    "не проверена: ждёт проверки или возвращена на доработку."
)


def can_create_event(user: Actor, organization: Organization) -> Decision:
    """Owners and editors of an organisation verified now (and the resource centre's
    coordinators for such an organisation) create its events: a new one, a copy of one,
    from the page or the API alike. An organisation awaiting review or returned to its
    editors keeps the events it has, but adds none until it is verified again."""
    if not organization_permissions.can_edit(user, organization):
        return deny(_("Создают мероприятия владельцы и редакторы организации."))
    if not organization.is_verified:
        return deny(NOT_VERIFIED)
    return ALLOW


def organizations_for_new_events(user: Actor) -> QuerySet[Organization]:
    """The organisations `user` may create events for: the list form of
    `can_create_event` (the choices of the new event form)."""
    organizations = Organization.objects.verified()
    if organization_permissions.is_reviewer(user):
        return organizations
    if not user.is_authenticated or user.pk is None:
        return organizations.none()
    return organizations.filter(
        pk__in=Membership.objects.filter(
            user_id=user.pk, role__in=(Membership.Role.OWNER, Membership.Role.EDITOR)
        ).values("organization")
    )


def can_move_event(user: Actor, event: Event, move: Move) -> Decision:
    """Its organisers publish and cancel an event; publishing, which offers the event to
    new people, only while the organisation is verified (`can_create_event`)."""
    decision = can_manage(user, event)
    if decision and move.name == "publish" and not event.organization.is_verified:
        # as creating and repeating (`can_create_event`): an unverified organisation acts
        # for nobody, a 403 like any other «who»
        return deny(NOT_VERIFIED)
    return decision


def event_moves(user: Actor, event: Event) -> list[Move]:
    """The publish and cancel buttons `user` has on the event's manage page now."""
    return EVENT_WORKFLOW.moves_for(user, event, can_move_event)


ORGANISER_MOVES = frozenset({"approve", "decline"})


def can_move_registration(user: Actor, registration: Registration, move: Move) -> Decision:
    """The organisers approve and decline; the volunteer cancels (or leaves the waiting
    list) until checked in or the shift starts, and takes an offered place before the offer
    expires — confirmed, or waiting for approval on a shift that needs it. Offering,
    expiring and releasing with the event are the platform's."""
    shift = registration.shift
    if not move.button:
        return deny(_("Это делает платформа."))
    if move.name in ORGANISER_MOVES:
        return can_manage(user, shift.event)
    if not user.is_authenticated or registration.user_id != user.pk:
        return deny(_("Это не ваша запись."))
    now = timezone.now()
    if move.target == Registration.Status.CANCELLED:
        if registration.checked_in_at is not None:
            return not_now(_("Вы уже отмечены на смене: отменить запись нельзя."))
        if shift.starts_at <= now:
            return not_now(_("Смена уже началась: отменить запись нельзя."))
        return ALLOW
    expires = registration.offer_expires_at
    if shift.starts_at <= now or (expires is not None and expires <= now):
        return not_now(_("Предложение места уже недействительно."))
    approval = move.target == Registration.Status.PENDING_APPROVAL
    if approval != shift.requires_approval:
        return not_now(_("Для этой смены это действие не подходит."))
    return ALLOW


def registration_moves(user: Actor, registration: Registration, *, organiser: bool) -> list[Move]:
    """The buttons `user` has for the registration now: on the organiser's manage page
    (`organiser`) approve and decline, on the volunteer's own pages cancel and accept."""
    return [
        move
        for move in REGISTRATION_WORKFLOW.allowed(registration.status)
        if (move.name in ORGANISER_MOVES) == organiser
        and can_move_registration(user, registration, move)
    ]


def can_see_accessibility_needs(user: Actor, registration: Registration) -> Decision:
    """What a volunteer needs to take part is health data (152-ФЗ art. 10): only the
    owners and editors of the organisation running a shift the person signed up for
    (coordinators as such do not) — the volunteer's written consent is checked by the
    service that reads it."""
    if registration.status not in Registration.ACTIVE and registration.checked_in_at is None:
        return deny(_("Волонтёр не записан на эту смену."))
    return can_see_event_accessibility_needs(user, registration.shift.event)


def can_see_event_accessibility_needs(user: Actor, event: Event) -> Decision:
    """The event-wide half of `can_see_accessibility_needs`: an owner or an editor of the
    organisation running it (coordinators as such do not)."""
    membership = organization_permissions.membership_of(user, event.organization)
    if membership is None or not membership.can_edit:
        return deny(_("Это видят только организаторы смены."))
    return ALLOW


def accessibility_needs_on_request(user: Actor, registrations: Iterable[Registration]) -> bool:
    """Whether the organiser's page and `GET /api/v1/events/{id}/accessibility-needs` offer
    to reveal the volunteers' needs: someone is signed up whose needs `user` may read. It
    tells nothing of the needs themselves — neither whether anyone wrote some nor how many:
    that is read on the reveal (a POST, audited)."""
    return any(can_see_accessibility_needs(user, r) for r in registrations)


def visible_events(user: Actor) -> QuerySet[Event]:
    """The events `user` may open: the list form of `can_view` (drafts only for those who
    manage them; events of an organisation not verified now for them and the people
    registered)."""
    if organization_permissions.is_reviewer(user):
        return Event.objects.all()
    condition = ~Q(status=Event.Status.DRAFT) & Q(organization__status=Organization.Status.VERIFIED)
    if user.is_authenticated and user.pk is not None:
        condition |= Q(
            organization__in=Membership.objects.filter(
                user_id=user.pk, role__in=(Membership.Role.OWNER, Membership.Role.EDITOR)
            ).values("organization")
        )
        condition |= ~Q(status=Event.Status.DRAFT) & Q(
            pk__in=Registration.objects.filter(_holding_a_link(), user_id=user.pk).values(
                "shift__event"
            )
        )
    return Event.objects.filter(condition)


def visible_registrations(user: Actor) -> QuerySet[Registration]:
    """Registrations whose event `user` may open — what a reference to one shows (the
    event, never the person)."""
    return Registration.objects.filter(shift__event__in=visible_events(user))


def get_event_for_user(user: Actor, pk: int, *, manage: bool = False) -> Event:
    event = Event.objects.select_related("organization", "district").filter(pk=pk).first()
    if event is None or not can_view(user, event):
        raise Http404
    if manage:
        decision = can_manage(user, event)
        if not decision:
            raise PermissionDenied(decision.reason)
    return event


def get_shift_for_user(user: Actor, pk: int, *, manage: bool = False) -> Shift:
    """The shift `pk` with its event (and the event's organisation and district) read in
    one query, under the event's rules: Http404 when either is missing or `user` may not
    see the event, PermissionDenied when `manage` is asked and `user` may not manage it."""
    shift = (
        Shift.objects.select_related("event__organization", "event__district").filter(pk=pk).first()
    )
    if shift is None or not can_view(user, shift.event):
        raise Http404
    if manage:
        decision = can_manage(user, shift.event)
        if not decision:
            raise PermissionDenied(decision.reason)
    return shift


def get_registration_for_organiser(user: Actor, pk: int) -> Registration:
    registration = (
        Registration.objects.select_related("shift__event__organization", "user")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    decision = can_manage(user, registration.shift.event)
    if not decision:
        raise PermissionDenied(decision.reason)
    return registration


def get_own_registration(user: Actor, pk: int) -> Registration:
    registration = (
        Registration.objects.select_related("shift__event__organization")
        .filter(pk=pk, user_id=int(user.pk or 0))
        .first()
    )
    if registration is None:
        raise Http404
    return registration
