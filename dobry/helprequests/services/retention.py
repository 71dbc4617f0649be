"""Retention (152-ФЗ art. 5 part 7): closed requests keep only what statistics need."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services.private_data import health_info_delete
from dobry.helprequests.services.workflow import CLOSED

MINIMISED_FIELDS = (
    "recipient_name",
    "recipient_phone",
    "address",
    "details",
    "has_health_info",
    "has_consent_scan",
)


def request_minimise(*, help_request: HelpRequest, actor: User | None = None) -> HelpRequest:
    """Keep only what statistics need (category, district, dates, status): names,
    contacts, details, feedback, health data and the scan of its consent go (152-ФЗ art. 5
    part 7)."""
    help_request.recipient_name = "—"
    help_request.recipient_phone = ""
    help_request.address = ""
    help_request.details = ""
    help_request.feedback = ""
    help_request.minimised_at = timezone.now()
    with transaction.atomic():
        health_info_delete(help_request=help_request)
        help_request.save(update_fields=[*MINIMISED_FIELDS, "feedback", "minimised_at"])
        log_action(actor=actor, action="helprequest.minimise", obj=help_request)
    return help_request


def requests_minimise() -> int:
    """Periodic: closed requests are minimised once the retention period has passed since
    they closed (a closed request without a closing date counts from its last change)."""
    cutoff = timezone.now() - timedelta(days=settings.DOBRY_HELP_RETENTION_DAYS)
    old = HelpRequest.objects.filter(status__in=CLOSED, minimised_at__isnull=True).filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff)
    )
    count = 0
    for help_request in old.iterator():
        request_minimise(help_request=help_request)
        count += 1
    return count
