"""Who may read a scan of a paper consent: the person who signed it and the coordinators
who record such consents. The form concerns health data (152-ФЗ art. 10), so every read
is audited."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.accounts.models import ConsentRecord
from dobry.accounts.services import can_record_paper_consent
from dobry.core.audit import log_action
from dobry.core.clock import local_date
from dobry.core.files import register_private
from dobry.core.permissions import ALLOW, Actor, Decision, deny
from dobry.core.uploads import SCAN


def can_read_consent_scan(user: Actor, record: ConsentRecord) -> Decision:
    if getattr(user, "is_authenticated", False) and record.user_id == user.pk:
        return ALLOW
    if can_record_paper_consent(user):
        return ALLOW
    return deny(gettext_lazy("Скан согласия видят подписавший его человек и координаторы."))


def consent_scan_name(record: ConsentRecord) -> str:
    """«согласие-health_data-2027-03-01»: the kind and the local date, not the uploaded
    name (which may hold the person's name)."""
    return _("согласие-%(kind)s-%(date)s") % {
        "kind": record.document.kind,
        "date": local_date(record.accepted_at).isoformat(),
    }


def audit_consent_scan_read(user: Actor, record: ConsentRecord) -> None:
    log_action(actor=user, action="consent.scan_read", obj=record.user)


register_private(
    ConsentRecord,
    "scan",
    can_read=can_read_consent_scan,
    select_related=("user", "document"),
    on_read=audit_consent_scan_read,
    download_name=consent_scan_name,
    holds=SCAN,
)
