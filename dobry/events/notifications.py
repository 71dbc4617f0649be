from django.utils.translation import gettext_lazy as _

from dobry.communications.kinds import register_kind

REGISTRATION_CONFIRMED = register_kind("registration_confirmed", _("Запись на смену подтверждена"))
REGISTRATION_PENDING = register_kind(
    "registration_pending", _("Запись ждёт подтверждения организатора")
)
REGISTRATION_WAITLISTED = register_kind("registration_waitlisted", _("Вы в листе ожидания"))
REGISTRATION_DECLINED = register_kind("registration_declined", _("Организатор отклонил запись"))
WAITLIST_OFFER = register_kind("waitlist_offer", _("Освободилось место: подтвердите участие"))
OFFER_EXPIRED = register_kind("offer_expired", _("Предложение места истекло"))
EVENT_CANCELLED = register_kind("event_cancelled", _("Мероприятие отменено"))
EVENT_CHANGED = register_kind("event_changed", _("Мероприятие изменилось"))
SHIFT_REMINDER = register_kind("shift_reminder", _("Напоминание о смене за сутки"))
LATE_CANCELLATION = register_kind(
    "late_cancellation", _("Волонтёр отменил запись слишком поздно (организаторам)")
)
ORGANISER_MESSAGE = register_kind("organiser_message", _("Сообщение от организатора мероприятия"))
WEEKLY_DIGEST = register_kind("weekly_digest", _("Подборка подходящих дел на неделю"))
