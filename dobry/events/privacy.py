"""Registrations of a person. On erasure, active ones are cancelled (the places go to the
waiting list); past ones stay for the organisers' attendance records, without the person."""

from typing import Any

from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.core.erasure import Traces, scrub_rows
from dobry.events.models import EventMaterial, Registration
from dobry.events.services.registrations import registration_cancel


def _export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "event": r.shift.event.title,
            "shift": r.shift.title,
            "starts_at": r.shift.starts_at.isoformat(),
            "status": r.status,
            "seats": r.seats,
            "group_name": r.group_name,
            "reason": r.reason,
            "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
            "checked_out_at": r.checked_out_at.isoformat() if r.checked_out_at else None,
        }
        for r in Registration.objects.filter(user=user).select_related("shift__event")
    ]


def _erase(user: User) -> None:
    # Only what the person could still cancel themselves (`can_move_registration`): a shift
    # under way or over keeps its registration as the organisers' attendance record, and
    # cancelling it was refused — which made erasing anyone who ever took part fail.
    ahead = Registration.objects.filter(
        user=user,
        status__in=Registration.ACTIVE,
        checked_in_at__isnull=True,
        shift__starts_at__gt=timezone.now(),
    )
    for registration in ahead:
        registration_cancel(user=user, registration=registration)
    Registration.objects.filter(user=user).update(group_name="")


def _copies(traces: Traces) -> None:
    # An organiser's reason for declining may name the person.
    scrub_rows(Registration.objects.all(), ["group_name", "reason"], traces)
    # A material's uploaded file name is kept for downloads and may name a person.
    scrub_rows(EventMaterial.objects.all(), ["original_name"], traces)


personal_data.register(
    "registrations",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={"events.Registration.user": "registrations"},
)
personal_data.not_personal(
    {
        "events.Event.created_by": "an organiser's work: the event is the organisation's "
        "publication; creating it is in the organiser's actions",
    }
)
