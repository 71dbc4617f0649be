"""What the mailings' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields

register_actions(
    {
        "segment.create": _("создан сегмент рассылки"),
        "segment.update": _("изменён сегмент рассылки"),
        "mailing.create": _("создана рассылка"),
        "mailing.update": _("изменена рассылка"),
        "mailing.test_send": _("рассылка отправлена себе на проверку"),
        "mailing.schedule": _("рассылка запланирована"),
        "mailing.unschedule": _("рассылка возвращена в черновики"),
        "mailing.cancel": _("рассылка отменена"),
        "mailing.start": _("начата отправка рассылки"),
        "contact.import": _("импортированы контакты рассылки"),
        "contact.confirm": _("контакт подтвердил адрес для рассылки"),
    }
)
register_fields(
    {
        "scheduled_at": _("время отправки"),
        "created": _("добавлено"),
        "skipped": _("пропущено"),
    }
)
