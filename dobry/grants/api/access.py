"""Access for the API's operations: the same permission functions as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dobry.accounts.auth import api_user, api_viewer
from dobry.core.permissions import Decision
from dobry.grants import permissions
from dobry.grants.models import Application, Competition


def require(decision: Decision) -> None:
    """403 with the decision's reason when it refuses."""
    if not decision:
        raise PermissionDenied(str(decision.reason))


def competition_for(request: HttpRequest, pk: int, *, action: str = "view") -> Competition:
    """The competition as the pages get it (`permissions.get_competition_for_user`)."""
    return permissions.get_competition_for_user(api_viewer(request), pk, action=action)


def application_for(request: HttpRequest, pk: int) -> Application:
    """The application the caller may see (404 or 403 otherwise)."""
    application = permissions.get_application_for_user(api_user(request), pk)
    require(permissions.can_view_application(api_user(request), application))
    return application
