"""Health data and the recipient's private fields: the consent that health data needs
(152-ФЗ art. 9, art. 10), audited reads, and the one way health rows are deleted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.core.audit import log_action
from dobry.core.files import delete_private_files
from dobry.core.permissions import Actor
from dobry.core.uploads import Upload, validate_scan
from dobry.helprequests import permissions
from dobry.helprequests.models import HEALTH_CONSENT_PAPER_SCAN, HealthInfo, HelpRequest


def health_consent_method(
    requester: User,
    consent_scan: Upload | None,
    *,
    agreed: bool,
    for_someone_else: bool,
    on_behalf: bool,
) -> str:
    """How the consent to processing health data (152-ФЗ art. 9, art. 10) was given for
    the health information of one request.

    A coordinator registering a request (by phone or in person, on the staff form) attaches
    the scan of the form the person helped signed: the evidence of their written consent,
    required. Anyone else gives two things: their written consent — signed with a code
    from the email or on paper (`accounts.services.consent_sign_with_code` /
    `consent_record_paper`) — and, with each request, the explicit consent to processing
    the health information given in it (`agreed`: the page's checkbox under the consent's
    text, the API's `health_consent`), so the consent is specific to this information.
    Asking for someone else, the health information is that person's (they are the data
    subject, not the requester): the requester also confirms being their legal
    representative or having their consent (`on_behalf`: a checkbox of its own, the API's
    `health_on_behalf`). Raises ValidationError on `consent_scan`, `health_consent` or
    `health_on_behalf` otherwise."""
    if permissions.is_coordinator(requester):
        return _paper_scan_method(consent_scan)
    if consent_scan is not None:
        raise ValidationError(
            {
                "consent_scan": [
                    _(
                        "Скан бумажного согласия прикладывает координатор. Своё согласие "
                        "подпишите кодом из письма в разделе «Согласия»."
                    )
                ]
            }
        )
    own = _written_health_consent(requester)
    errors = _consent_refusals(
        own, agreed=agreed, for_someone_else=for_someone_else, on_behalf=on_behalf
    )
    if own is None or errors:
        raise ValidationError(errors)
    return own.method


def _paper_scan_method(consent_scan: Upload | None) -> str:
    """A coordinator's request: the scan of the form the person signed is required, and must
    be a scan (PDF, JPEG or PNG: `core.uploads.validate_scan`)."""
    if consent_scan is None:
        raise ValidationError(
            {
                "consent_scan": [
                    _(
                        "Приложите скан согласия на обработку сведений о здоровье, "
                        "подписанного получателем помощи (PDF, JPEG или PNG): без него "
                        "сведения о здоровье не принимаются."
                    )
                ]
            }
        )
    validate_scan(consent_scan, field="consent_scan")
    return HEALTH_CONSENT_PAPER_SCAN


def _written_health_consent(requester: User) -> ConsentRecord | None:
    """The requester's own written consent to processing health data that still stands
    (signed with a code or on paper; a ticked box is not one)."""
    return (
        ConsentRecord.objects.active()
        .written()
        .filter(user=requester, document__kind=ConsentDocument.Kind.HEALTH_DATA)
        .first()
    )


def _consent_refusals(
    own: ConsentRecord | None, *, agreed: bool, for_someone_else: bool, on_behalf: bool
) -> dict[str, list[str]]:
    """What is missing of a resident's consent, by the field that says it: the consent to
    this request's information (`health_consent`) and the written one, and — asking for
    someone else — the confirmation of speaking for them (`health_on_behalf`)."""
    refusals = []
    if not agreed:
        refusals.append(
            _(
                "Отметьте согласие на обработку сведений о здоровье, указанных в этой просьбе, "
                "или не заполняйте их."
            )
        )
    if own is None:
        refusals.append(
            _(
                "Сведения о здоровье принимаются только с отдельным письменным согласием: "
                "подпишите его кодом из письма в разделе «Согласия» или на бумаге "
                "у координатора."
            )
        )
    errors = {"health_consent": refusals} if refusals else {}
    if for_someone_else and not on_behalf:
        errors["health_on_behalf"] = [
            _(
                "Сведения о здоровье другого человека принимаются, только если вы его законный "
                "представитель или он согласен на их передачу: подтвердите это отметкой."
            )
        ]
    return errors


def private_fields_read(*, user: Actor, help_request: HelpRequest) -> bool:
    """Whether `user` sees the recipient's name, phone, address and details
    (`permissions.can_see_private`, for pages and API alike). A coordinator's reading of
    someone else's request is written to the audit log."""
    decision = permissions.can_see_private(user, help_request)
    if permissions.private_read_is_audited(user, help_request):
        log_action(actor=user, action="helprequest.private_read", obj=help_request)
    return bool(decision)


def private_fields_shown(*, user: Actor, help_request: HelpRequest, reveal: bool) -> bool:
    """Whether a page or an API answer shows `user` the recipient's private fields: on an
    explicit step (`reveal`, a POST) to anyone `can_see_private` allows, the reading audited
    (`private_fields_read`); on a plain GET only where `permissions.private_on_get` allows,
    which never writes an audit entry."""
    if reveal:
        return private_fields_read(user=user, help_request=help_request)
    return permissions.private_on_get(user, help_request)


def health_info_read(*, user: User, help_request: HelpRequest) -> str:
    """Health data for those allowed to see it (`permissions.can_see_health`, checked here
    and nowhere else); the only code that fetches the HealthInfo row, and every read is
    written to the audit log. Raises PermissionDenied for anyone else; "" when none."""
    decision = permissions.can_see_health(user, help_request)
    if not decision:
        raise PermissionDenied(decision.reason)
    record = HealthInfo.objects.filter(help_request=help_request).first()
    if record is None:
        return ""
    log_action(actor=user, action="helprequest.health_read", obj=help_request)
    return str(record.text)


def health_info_delete(*, help_request: HelpRequest) -> bool:
    """Delete the request's health information and the stored scan of its paper consent
    (the one way health rows go: minimising, erasure, a withdrawn consent). The caller
    saves `has_health_info` and `has_consent_scan`, here set False; True if there was a row.
    The text column is not loaded: nothing is decrypted to delete it."""
    deleted = False
    for health in HealthInfo.objects.filter(help_request=help_request).only(
        "help_request", "consent_scan"
    ):
        health.delete()
        delete_private_files(health)
        deleted = True
    help_request.has_health_info = False
    help_request.has_consent_scan = False
    return deleted
