"""What the resource centre's audit entries mean (see dobry.core.audit)."""

from django.utils.translation import gettext_lazy as _

from dobry.core.audit import register_actions, register_fields, register_values
from dobry.resources.models import Consultation, SupportKind

register_actions(
    {
        "support.create": _("внесена поддержка организации"),
        "consultation.ask": _("задан вопрос консультанту"),
        "consultation.record": _("внесена очная консультация"),
        "consultation.take": _("консультант взял вопрос"),
        "consultation.reply": _("ответ в консультации"),
        "consultation.close": _("консультация закрыта"),
        "consultation.rate": _("консультация оценена"),
        "room.request": _("запрошена бронь помещения"),
        "room.confirm": _("бронь подтверждена"),
        "room.decline": _("в брони отказано"),
        "room.cancel": _("бронь отменена"),
        "library.create": _("материал добавлен в библиотеку"),
        "library.file": _("загружена версия файла библиотеки"),
        "library.faq_update": _("вопрос и ответ в библиотеке обновлены по консультации"),
        "group.create": _("проектная группа создана"),
        "group.member_add": _("участник добавлен в группу"),
        "group.meeting": _("назначена встреча группы"),
        "group.minutes": _("записан протокол встречи"),
        "group.decision": _("группа приняла решение"),
        "group.task_done": _("задача группы выполнена"),
    }
)
register_values("support.create", {"kind": SupportKind})
register_values("consultation.ask", {"topic": Consultation.Topic})
register_fields(
    {
        "topic": _("тема"),
        "task": _("задача"),
        "support_withdrawn": _("запись о поддержке снята"),
        "consultation": _("консультация"),
    }
)
