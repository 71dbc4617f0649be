from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from dobry.accounts.middleware import activate_user_language
from dobry.accounts.permissions import staff_mfa_decision
from dobry.accounts.services import api_token_authenticate


def _allowed(user: Any) -> Any:
    """The same two-factor rule as the pages (staff_mfa_decision): a 403 saying what to do."""
    decision = staff_mfa_decision(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return user


class BearerTokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer dobry_…` (created in the profile).

    `request.api_token` is the token used (its expiry is shown by `/me`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        _allowed(api_token.user)
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        # the token's person is known only now: answer in their language, as for a session
        activate_user_language(request, api_token.user)
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    """The browser's session (with CSRF on unsafe methods).

    Without a signed-in session there is nothing for CSRF to protect: the request is simply
    anonymous (a 401 where credentials are needed), not a CSRF failure. A signed-in session
    without the token is a 403 saying what to send."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise PermissionDenied(
                _(
                    "Проверка CSRF не пройдена: передайте заголовок X-CSRFToken "
                    "с токеном из cookie csrftoken или войдите по API-токену."
                )
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return _allowed(user)


AUTH = [BearerTokenAuth(), ActiveSessionAuth()]


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of public endpoints: whoever sent no credentials."""
    return AnonymousUser()


# Public endpoints that still know a signed-in caller (to show drafts to their organisers).
OPTIONAL_AUTH = [*AUTH, anonymous]
