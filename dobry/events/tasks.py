"""Background work of the events app (periodic jobs are scheduled in core/schedule.py)."""

import io
from datetime import timedelta

import segno
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dobry.communications.services import Attachment, notify
from dobry.events import notifications as kinds
from dobry.events.models import Registration
from dobry.events.recommendations import recommend
from dobry.events.services.registrations import offers_expire
from dobry.volunteering.models import VolunteerProfile

REMINDER_AHEAD = timedelta(hours=24)
WITH_QR = (kinds.REGISTRATION_CONFIRMED,)


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


@task()
def expire_waitlist_offers() -> int:
    return offers_expire()


@task()
def send_shift_reminders() -> int:
    """Remind each confirmed volunteer once, about a day before the shift, with their code."""
    now = timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("user", "shift__event")
    sent = 0
    for registration in due[:2000]:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            notify(
                kinds.SHIFT_REMINDER,
                [registration.user],
                {
                    "registration": registration,
                    "shift": registration.shift,
                    "event": registration.shift.event,
                },
                url="/events/my/",
                attachments=[qr_attachment(registration)],
            )
            sent += 1
    return sent


@task()
def send_weekly_digests() -> int:
    """Weekly, for volunteers who asked for it: the best matching shifts, once a week."""
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    sent = 0
    profiles = VolunteerProfile.objects.filter(weekly_digest=True, user__is_active=True).exclude(
        last_digest_on__gte=week_start
    )
    for profile in profiles.select_related("user")[:5000]:
        recommendations = recommend(profile.user, limit=5)
        with transaction.atomic():
            claimed = (
                VolunteerProfile.objects.filter(pk=profile.pk)
                .exclude(last_digest_on__gte=week_start)
                .update(last_digest_on=today)
            )
            if claimed and recommendations:
                notify(
                    kinds.WEEKLY_DIGEST,
                    [profile.user],
                    {"recommendations": recommendations},
                    url="/events/for-me/",
                )
                sent += 1
    return sent
