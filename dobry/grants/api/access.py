"""Access for the API's operations: the same permission functions as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from dobry.accounts.auth import api_user, api_viewer
from dobry.core.permissions import Decision
from dobry.grants import permissions
from dobry.grants.models import Application, Competition


def require(decision: Decision) -> None:
    """403 with the decision's reason when it refuses."""
    if not decision:
        raise PermissionDenied(str(decision.reason))


def competition_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Competition:
    """The competition the caller may see (404 otherwise); with `manage`, one they run (403)."""
    competition = get_object_or_404(Competition, pk=pk)
    user = api_viewer(request)
    if not permissions.can_view_competition(user, competition):
        raise Http404
    if manage:
        require(permissions.can_manage(user, competition))
    return competition


def application_for(request: HttpRequest, pk: int) -> Application:
    """The application the caller may see (404 or 403 otherwise)."""
    application = permissions.get_application_for_user(api_user(request), pk)
    require(permissions.can_view_application(api_user(request), application))
    return application
