from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from dobry.accounts.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer dobry_…` (created in the profile)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's session (with CSRF on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerTokenAuth(), ActiveSessionAuth()]


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of public endpoints: whoever sent no credentials."""
    return AnonymousUser()


# Public endpoints that still know a signed-in caller (to show drafts to their organisers).
OPTIONAL_AUTH = [*AUTH, anonymous]
