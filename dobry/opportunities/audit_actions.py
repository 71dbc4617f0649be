"""What the catalogue's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "opportunity.create": _("грантовый конкурс добавлен в каталог"),
        "opportunity.update": _("изменено описание грантового конкурса"),
        "opportunity.archive": _("грантовый конкурс перенесён в архив"),
        "opportunity.restore": _("грантовый конкурс возвращён из архива"),
        "opportunity.import": _("грантовые конкурсы загружены из таблицы"),
        "opportunity.follow": _("организация следит за грантовым конкурсом"),
        "opportunity.unfollow": _("организация больше не следит за грантовым конкурсом"),
    }
)

register_fields({"organization": _("организация")})
