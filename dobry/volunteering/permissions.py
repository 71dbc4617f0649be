from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny
from dobry.core.workflow import Move
from dobry.organizations import permissions as organization_permissions
from dobry.volunteering.models import HOURS_WORKFLOW, HoursEntry


def get_entry_for_organiser(user: Actor, pk: int) -> HoursEntry:
    """Hours are decided by the editors of the organisation they were given to."""
    entry = HoursEntry.objects.select_related("organization", "user").filter(pk=pk).first()
    if entry is None:
        raise Http404
    decision = organization_permissions.can_edit(user, entry.organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    return entry


def can_decide_hours(user: Actor, entry: HoursEntry, move: Move) -> Decision:
    """The organisation's editors (and coordinators) decide; nobody confirms their own
    hours — an editor who volunteered waits for another editor or a coordinator."""
    decision = organization_permissions.can_edit(user, entry.organization)
    if not decision:
        return decision
    if move.target == HoursEntry.Status.CONFIRMED and entry.user_id == user.pk:
        return deny(_("Свои часы подтверждает другой человек: редактор или координатор."))
    return ALLOW


def hours_moves(user: Actor, entry: HoursEntry) -> list[Move]:
    """The decisions `user` may make on the entry now: the buttons of the hours queue."""
    return HOURS_WORKFLOW.moves_for(user, entry, can_decide_hours)
