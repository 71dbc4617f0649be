from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dobry.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind login_required (typed, never anonymous)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
