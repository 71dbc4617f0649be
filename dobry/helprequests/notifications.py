from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import COORDINATORS, ORGANISERS, register_kind

HELP_REQUEST_NEW = register_kind(
    "help_request_new", _("Новая просьба о помощи (координаторам)"), audience=COORDINATORS
)
HELP_REQUEST_STATUS = register_kind("help_request_status", _("Изменился статус вашей просьбы"))
HELP_OFFER = register_kind("help_offer", _("Вам предлагают помочь человеку"))
HELP_ROUTED = register_kind(
    "help_routed", _("Просьба передана в вашу программу помощи"), audience=ORGANISERS
)
HELP_SELF_OFFER = register_kind(
    "help_self_offer", _("Волонтёр готов помочь по просьбе (координаторам)"), audience=COORDINATORS
)
HELP_VOLUNTEER_INVITE = register_kind(
    "help_volunteer_invite", _("Приглашение стать волонтёром после полученной помощи")
)
HELP_TASK_CANCELLED = register_kind(
    "help_task_cancelled", _("Просьба, за которую вы взялись, отменена")
)
HELP_HELPER_LEFT = register_kind(
    "help_helper_left",
    _("Помощник по просьбе больше не участвует (координаторам)"),
    audience=COORDINATORS,
)
HELP_HANDED_BACK = register_kind(
    "help_handed_back",
    _("Программа вернула просьбу координаторам (координаторам)"),
    audience=COORDINATORS,
)
