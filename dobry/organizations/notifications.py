from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import COORDINATORS, register_kind

ORGANIZATION_PROPOSED = register_kind(
    "organization_proposed",
    _("Новая организация ждёт проверки (координаторам)"),
    audience=COORDINATORS,
)
ORGANIZATION_VERIFIED = register_kind("organization_verified", _("Организация проверена"))
ORGANIZATION_RETURNED = register_kind(
    "organization_returned", _("Организация возвращена на доработку")
)
MEMBERSHIP_INVITED = register_kind("membership_invited", _("Приглашение в организацию"))
MEMBERSHIP_CHANGED = register_kind("membership_changed", _("Изменение роли в организации"))
