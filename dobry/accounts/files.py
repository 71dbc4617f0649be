"""Who may read a scan of a paper consent: the person who signed it and the coordinators
who record such consents. The form concerns health data (152-ФЗ art. 10), so every read
is audited."""

from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import ConsentRecord
from dobry.accounts.services import can_record_paper_consent
from dobry.core.audit import log_action
from dobry.core.files import register_private
from dobry.core.permissions import ALLOW, Actor, Decision, deny


def can_read_consent_scan(user: Actor, record: ConsentRecord) -> Decision:
    if getattr(user, "is_authenticated", False) and record.user_id == user.pk:
        return ALLOW
    if can_record_paper_consent(user):
        return ALLOW
    return deny(_("Скан согласия видят подписавший его человек и координаторы."))


def audit_consent_scan_read(user: Actor, record: ConsentRecord) -> None:
    log_action(actor=user, action="consent.scan_read", obj=record.user)


register_private(
    ConsentRecord,
    "scan",
    can_read=can_read_consent_scan,
    select_related=("user",),
    on_read=audit_consent_scan_read,
)
