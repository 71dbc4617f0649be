from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import register_kind

OPPORTUNITY_DEADLINE = register_kind(
    "grant_call_deadline", _("Скоро закрывается приём заявок на грантовый конкурс")
)
