from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from dobry.accounts.permissions import staff_mfa_decision
from dobry.core.errors import json_error

# Paths a staff member without two-factor login may still open: the activation itself.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/a11y/", "/media/")


class StaffMfaRequiredMiddleware:
    """Pages for the session's user follow `staff_mfa_decision` (the API's authentication
    asks the same function for sessions and tokens): staff without two-factor login are
    sent to activate it, API calls get a 403 saying so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_ALLOWED_PREFIXES):
            decision = staff_mfa_decision(request.user)
            if not decision:
                if request.path.startswith("/api/"):
                    return json_error(403, str(decision.reason))
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def activate_user_language(request: HttpRequest, user: object) -> None:
    """Answer `request` in `user`'s stored language (`User.language`) when they have one:
    it wins over Accept-Language and the language cookie. The one rule for pages, the
    session's API calls (`UserLanguageMiddleware`) and bearer-token calls, whose user is
    known only once the API authenticated them (`api.auth.BearerTokenAuth`)."""
    language = getattr(user, "language", "") if user is not None else ""
    if getattr(user, "is_authenticated", False) and language in {
        code for code, _name in settings.LANGUAGES
    }:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class UserLanguageMiddleware:
    """A signed-in person's stored language (`User.language`: the profile page, PATCH
    /api/v1/me, the header's switch) wins over the browser's Accept-Language and the
    language cookie that `LocaleMiddleware` read before the user was known — pages and API
    answers alike, as emails already are. Anonymous visitors keep LocaleMiddleware's choice.
    Sits after AuthenticationMiddleware; LocaleMiddleware, outside it, then names the
    language in Content-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_user_language(request, getattr(request, "user", None))
        return self.get_response(request)
