from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

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
