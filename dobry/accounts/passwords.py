"""React to a changed password through Django's own hook for it."""

from typing import Any

from django.utils.translation import gettext as _


class RevokeApiTokensOnPasswordChange:
    """Listed among AUTH_PASSWORD_VALIDATORS only for `password_changed`, which Django calls
    after every save of a new password — the change and reset forms (allauth), the admin and
    `manage.py changepassword` alike. A stolen token must not outlive the password that was
    changed because of the theft. It accepts every password."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        from dobry.accounts.services import api_tokens_revoke_all

        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user, reason="password_changed")

    def get_help_text(self) -> str:
        return _("После смены пароля все ваши API-токены перестают действовать.")
