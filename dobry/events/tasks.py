"""Background work of the events app (periodic jobs are scheduled in site/schedule.py)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dobry.communications.services import notify
from dobry.core.clock import local_today, week_start
from dobry.events import notifications as kinds
from dobry.events.models import Registration
from dobry.events.notifications import qr_attachment
from dobry.events.recommendations import recommend
from dobry.events.services.registrations import offers_expire
from dobry.volunteering.models import VolunteerProfile

REMINDER_AHEAD = timedelta(hours=24)


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
    today = local_today()
    monday = week_start(today)
    sent = 0
    profiles = VolunteerProfile.objects.filter(weekly_digest=True, user__is_active=True).exclude(
        last_digest_on__gte=monday
    )
    for profile in profiles.select_related("user")[:5000]:
        recommendations = recommend(profile.user, limit=5)
        with transaction.atomic():
            claimed = (
                VolunteerProfile.objects.filter(pk=profile.pk)
                .exclude(last_digest_on__gte=monday)
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
