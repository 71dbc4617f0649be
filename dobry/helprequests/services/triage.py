"""The coordinators' triage: urgency and routing to an organisation's programme."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.helprequests import notifications as kinds
from dobry.helprequests import permissions, selectors
from dobry.helprequests.models import HelpRequest, Programme
from dobry.helprequests.services.workflow import request_transition

S = HelpRequest.Status


def _triager(actor: User) -> None:
    """Urgency and routing are the coordinators' (`permissions.can_triage`), whichever way
    the request came in."""
    decision = permissions.can_triage(actor)
    if not decision:
        raise PermissionDenied(decision.reason)


def request_set_priority(*, actor: User, help_request: HelpRequest, priority: int) -> HelpRequest:
    """A coordinator sets how urgent the request is (the queue is ordered by it)."""
    _triager(actor)
    if priority not in HelpRequest.Priority.values:
        raise DomainError(
            _("Неизвестная срочность."), field_errors={"priority": [_("Выберите из списка.")]}
        )
    with transaction.atomic():
        help_request.priority = priority
        help_request.save(update_fields=["priority", "updated_at"])
        log_action(
            actor=actor,
            action="helprequest.priority",
            obj=help_request,
            data={"priority": priority},
        )
    return help_request


def request_route(*, actor: User, help_request: HelpRequest, programme: Programme) -> HelpRequest:
    """A coordinator hands the request to an organisation's programme that runs today
    (`selectors.routable_programmes`); its editors take it from there."""
    _triager(actor)
    programme = selectors.routable_programme(programme.pk)
    with transaction.atomic():
        help_request.programme = programme
        help_request.save(update_fields=["programme", "updated_at"])
        if help_request.status == S.NEW:
            # handing a new request to a programme is the coordinator's check of it: the
            # table goes through «verified» (and the person who asked hears it was accepted)
            help_request = request_transition(actor=actor, help_request=help_request, to=S.VERIFIED)
        if help_request.status in (S.VERIFIED, S.WAITING):
            help_request = request_transition(actor=actor, help_request=help_request, to=S.MATCHING)
        log_action(
            actor=actor,
            action="helprequest.route",
            obj=help_request,
            data={"programme": programme.pk},
        )
        notify(
            kinds.HELP_ROUTED,
            permissions.programme_staff(programme),
            {"request": help_request, "programme": programme},
            url=help_request.get_absolute_url(),
        )
    return help_request
