from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import ORGANISERS, register_kind

HOURS_CONFIRMED = register_kind("hours_confirmed", _("Часы подтверждены"))
HOURS_DECLINED = register_kind("hours_declined", _("Часы не подтверждены"))
HOURS_CLAIMED = register_kind(
    "hours_claimed", _("Волонтёр заявил часы (организаторам)"), audience=ORGANISERS
)
