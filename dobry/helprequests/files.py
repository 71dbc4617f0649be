"""Who may read the scan of a resident's paper consent to processing health data, which a
coordinator attached when registering a request for them (`HealthInfo.consent_scan`):
coordinators only (`permissions.can_see_consent_scan`). The form is special-category data
(152-ФЗ art. 10), so every download is audited — and sent on a POST only."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dobry.core.audit import log_action
from dobry.core.files import file_key, register_private
from dobry.core.permissions import Actor, Decision
from dobry.core.uploads import SCAN
from dobry.helprequests.models import HealthInfo, HelpRequest
from dobry.helprequests.permissions import can_see_consent_scan


def can_read_consent_scan(user: Actor, health: HealthInfo) -> Decision:
    return can_see_consent_scan(user, health.help_request)


def consent_scan_name(health: HealthInfo) -> str:
    """«согласие-о-здоровье-просьба-12»: the request's number, not the uploaded name
    (which may hold the person's name)."""
    return _("согласие-о-здоровье-просьба-%(number)s") % {"number": health.help_request_id}


def audit_consent_scan_read(user: Actor, health: HealthInfo) -> None:
    log_action(actor=user, action="helprequest.consent_scan_read", obj=health.help_request)


def consent_scan_url(help_request: HelpRequest) -> str:
    """The download address of the request's consent scan, without fetching the health row
    (its key is the request's)."""
    return reverse(
        "core:private_file", args=[file_key(HealthInfo, "consent_scan"), help_request.pk]
    )


register_private(
    HealthInfo,
    "consent_scan",
    can_read=can_read_consent_scan,
    select_related=("help_request",),
    on_read=audit_consent_scan_read,
    download_name=consent_scan_name,
    # The health data itself is read only by `services.private_data.health_info_read`, audited.
    defer=("text",),
    holds=SCAN,
)
