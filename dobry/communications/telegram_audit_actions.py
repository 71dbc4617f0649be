"""What the audit entries of Telegram and the city's channels mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions

register_actions(
    {
        "telegram.link": _("Telegram связан с профилем"),
        "telegram.unlink": _("Telegram отвязан от профиля"),
    }
)
