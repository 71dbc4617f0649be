"""The kinds of notification about events, and the task that sends one about a registration.

Services enqueue `notify_registration` in their transaction; the worker renders and sends it
after the commit (outside the capacity lock).
"""

import io

import segno
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from dobry.communications.kinds import ORGANISERS, register_kind
from dobry.communications.services import Attachment, notify
from dobry.events.models import Registration

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
    "late_cancellation",
    _("Волонтёр отменил запись слишком поздно (организаторам)"),
    audience=ORGANISERS,
)
ORGANISER_MESSAGE = register_kind("organiser_message", _("Сообщение от организатора мероприятия"))
WEEKLY_DIGEST = register_kind("weekly_digest", _("Подборка подходящих дел на неделю"))

WITH_QR = (REGISTRATION_CONFIRMED,)


def qr_attachment(registration: Registration) -> Attachment:
    """The registration's QR code as a PNG for emails (it encodes only the short code)."""
    buffer = io.BytesIO()
    segno.make(registration.code, error="m").save(buffer, kind="png", scale=8, border=2)
    return Attachment(f"qr-{registration.code}.png", "image/png", buffer.getvalue())


@task()
def notify_registration(registration_id: int, kind: str, context: dict) -> None:
    """Render and send a notification about a registration (enqueued by the services)."""
    registration = (
        Registration.objects.select_related("user", "shift__event__organization")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    notify(
        kind,
        [registration.user],
        {
            "registration": registration,
            "shift": registration.shift,
            "event": registration.shift.event,
            **context,
        },
        url=registration.shift.event.get_absolute_url(),
        attachments=[qr_attachment(registration)] if kind in WITH_QR else [],
    )
