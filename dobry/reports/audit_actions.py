"""What the reports' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields, register_values
from dobry.reports.models import Indicator

register_actions(
    {
        "report.target": _("задана цель показателя"),
        "report.target_remove": _("цель показателя удалена"),
        "report.reach_add": _("внесён охват публикации"),
        "report.reach_delete": _("охват публикации удалён"),
        "report.snapshots_recompute": _("значения показателей пересчитаны"),
        "event.infrastructure": _("изменена отметка «мероприятие инфраструктуры»"),
    }
)
register_values("report.target", {"indicator": Indicator})
register_fields(
    {
        "indicator": _("показатель"),
        "values": _("пересчитано значений"),
        "infrastructure": _("мероприятие инфраструктуры"),
    }
)
