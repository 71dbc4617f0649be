from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import register_kind

PROGRAMME_CHANGED = register_kind(
    "programme_changed", _("Изменения в программе форума или фестиваля, в вашем расписании")
)
STAND_DECIDED = register_kind("stand_decided", _("Решение по заявке организации на стенд"))
