from django.core.exceptions import PermissionDenied
from django.http import Http404

from dobry.core.permissions import Actor
from dobry.organizations import permissions as organization_permissions
from dobry.volunteering.models import HoursEntry


def get_entry_for_organiser(user: Actor, pk: int) -> HoursEntry:
    """Hours are decided by the editors of the organisation they were given to."""
    entry = HoursEntry.objects.select_related("organization", "user").filter(pk=pk).first()
    if entry is None:
        raise Http404
    decision = organization_permissions.can_edit(user, entry.organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    return entry
