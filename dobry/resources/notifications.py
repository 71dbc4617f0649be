from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import COORDINATORS, register_kind

CONSULTATION_NEW = register_kind(
    "consultation_new", _("Новый вопрос в ресурсный центр (консультантам)"), audience=COORDINATORS
)
CONSULTATION_REPLY = register_kind("consultation_reply", _("Ответ в консультации"))
CONSULTATION_CLOSED = register_kind("consultation_closed", _("Консультация закрыта: оцените ответ"))
ROOM_DECIDED = register_kind("room_decided", _("Решение по брони помещения"))
GROUP_MEETING = register_kind("group_meeting", _("Встреча проектной группы"))
GROUP_TASK = register_kind("group_task", _("Вам поручена задача проектной группы"))
GROUP_TASK_DUE = register_kind("group_task_due", _("Срок задачи проектной группы — завтра"))
