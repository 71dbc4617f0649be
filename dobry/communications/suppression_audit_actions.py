"""What the suppression list's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.communications.models import Suppression
from dobry.core.audit import register_actions, register_fields, register_values

register_actions(
    {
        "suppression.add": _("адрес внесён в стоп-лист рассылок"),
        "suppression.remove": _("адрес снят со стоп-листа рассылок"),
    }
)
register_values("suppression.add", {"reason": Suppression.Reason})
register_values("suppression.remove", {"reason": Suppression.Reason})
register_fields({"why": _("почему снят")})
