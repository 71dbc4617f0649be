from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dobry.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind login_required (typed, never anonymous)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def api_user(request: HttpRequest) -> User:
    """The authenticated user of an API endpoint behind `AUTH` (an active session or a token).

    Ninja has already answered 401 when nobody authenticated, so reaching here without a
    `User` means the endpoint was declared without `AUTH`: an AssertionError, not a 403.
    """
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "api_user() needs an endpoint with auth=AUTH"
    return user


def api_viewer(request: HttpRequest) -> User | AnonymousUser:
    """The caller of a public endpoint (`OPTIONAL_AUTH`): the authenticated user, or
    anonymous (an inactive session counts as anonymous, as `ActiveSessionAuth` says)."""
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else AnonymousUser()
