"""What the events' audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields, register_values
from dobry.events.models import EventMaterial, EventSeries

register_actions(
    {
        "event.create": _("мероприятие создано"),
        "event.update": _("мероприятие изменено"),
        "event.publish": _("мероприятие опубликовано"),
        "event.cancel": _("мероприятие отменено"),
        "event.repeat": _("мероприятие повторено"),
        "event.material": _("добавлен материал мероприятия"),
        "event.message": _("организатор написал участникам"),
        "shift.create": _("смена создана"),
        "shift.update": _("смена изменена"),
        "shift.delete": _("смена удалена"),
        "registration.create": _("запись на смену"),
        "registration.approve": _("запись подтверждена"),
        "registration.decline": _("запись отклонена"),
        "registration.cancel": _("запись отменена"),
        "registration.cancel_with_event": _("запись отменена вместе с мероприятием"),
        "registration.offer": _("место предложено из листа ожидания"),
        "registration.offer_expired": _("предложение места истекло"),
        "registration.accept_offer": _("предложенное место принято"),
        "registration.check_in": _("отмечен приход"),
        "registration.check_out": _("отмечен уход"),
        "registration.correct_marks": _("исправлены отметки прихода и ухода"),
        "attendance.bulk_mark": _("отмечено присутствие по списку"),
        "volunteer_profile.accessibility_read": _("просмотрены потребности волонтёра"),
    }
)
register_values("event.material", {"kind": EventMaterial.Kind})
register_values("event.repeat", {"frequency": EventSeries.Frequency})
register_fields(
    {
        "late": _("поздняя отмена"),
        "seats": _("мест"),
        "shift": _("смена"),
        "registration": _("запись"),
        "registrations": _("записи"),
        "subject": _("тема"),
        "recipients": _("получателей"),
        "frequency": _("повтор"),
        "copies": _("копии"),
    }
)
