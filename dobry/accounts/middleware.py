from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Paths a staff member without two-factor login may still open: the activation itself.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/a11y/", "/media/")


class StaffMfaRequiredMiddleware:
    """Where DOBRY_REQUIRE_STAFF_MFA is on (production), staff must activate TOTP first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DOBRY_REQUIRE_STAFF_MFA and self._blocked(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": _("Включите двухфакторный вход, чтобы работать с API.")},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _blocked(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or not getattr(user, "has_staff_role", False):
            return False
        if request.path.startswith(_ALLOWED_PREFIXES):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
