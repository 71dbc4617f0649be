from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import COORDINATORS, register_kind

INITIATIVE_THRESHOLD = register_kind(
    "initiative_threshold",
    _("Инициатива набрала поддержку: ответ ресурсного центра (координаторам)"),
    audience=COORDINATORS,
)
INITIATIVE_UPDATE = register_kind(
    "initiative_update", _("Новости инициативы, на которую вы подписаны")
)
INITIATIVE_RESPONSE_DUE = register_kind(
    "initiative_response_due",
    _("Ответ ресурсного центра на инициативу скоро или уже просрочен (координаторам)"),
    audience=COORDINATORS,
)
