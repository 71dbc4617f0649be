"""Who may do what with events: organisers are the organisation's owners and editors,
plus coordinators of the resource centre."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny
from dobry.events.models import Event, Registration
from dobry.organizations import permissions as organization_permissions


def can_view(user: Actor, event: Event) -> Decision:
    if event.status != Event.Status.DRAFT:
        return ALLOW
    if can_manage(user, event):
        return ALLOW
    return deny(_("Черновик видят только организаторы."))


def can_manage(user: Actor, event: Event) -> Decision:
    decision = organization_permissions.can_edit(user, event.organization)
    if decision:
        return ALLOW
    return deny(_("Управляют мероприятием редакторы организации-организатора."))


def can_see_accessibility_needs(user: Actor, registration: Registration) -> Decision:
    """What a volunteer needs to take part is health data (152-ФЗ art. 10): only the
    owners and editors of the organisation running a shift the person signed up for
    (coordinators as such do not) — the volunteer's written consent is checked by the
    service that reads it."""
    if registration.status not in Registration.ACTIVE and registration.checked_in_at is None:
        return deny(_("Волонтёр не записан на эту смену."))
    organization = registration.shift.event.organization
    membership = organization_permissions.membership_of(user, organization)
    if membership is None or not membership.can_edit:
        return deny(_("Это видят только организаторы смены."))
    return ALLOW


def get_event_for_user(user: Actor, pk: int, *, manage: bool = False) -> Event:
    event = Event.objects.select_related("organization", "district").filter(pk=pk).first()
    if event is None or not can_view(user, event):
        raise Http404
    if manage:
        decision = can_manage(user, event)
        if not decision:
            raise PermissionDenied(decision.reason)
    return event


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
