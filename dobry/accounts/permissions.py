"""Who may do what with an account: the staff two-factor rule for pages, API and tokens."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny


def staff_mfa_decision(user: Actor) -> Decision:
    """Whether `user` may work (pages, API by session or token, token creation).

    Where the deployment requires it (`DOBRY_REQUIRE_STAFF_MFA`, on in production),
    coordinators, experts, officials and admins must have an authenticator app (TOTP)
    activated: they reach personal and health data (152-ФЗ art. 19: measures against
    unauthorised access). Residents and anonymous visitors are always allowed here.
    """
    if not settings.DOBRY_REQUIRE_STAFF_MFA:
        return ALLOW
    if not user.is_authenticated or not getattr(user, "has_staff_role", False):
        return ALLOW
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return ALLOW
    return deny(
        _(
            "Сотрудникам нужен двухфакторный вход: откройте сайт, войдите и подключите "
            "приложение-аутентификатор (Профиль → Двухфакторный вход, /accounts/2fa/). "
            "До этого API и API-токены недоступны."
        )
    )
