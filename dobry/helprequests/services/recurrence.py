"""Recurring requests: a weekly or monthly request, once done, creates its next visit."""

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_add
from dobry.helprequests import notifications as kinds
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest
from dobry.helprequests.services.offering import offer_make
from dobry.helprequests.services.submission import EDITABLE
from dobry.helprequests.services.workflow import coordinators

S = HelpRequest.Status
_STEP = {
    HelpRequest.Recurrence.WEEKLY: relativedelta(weeks=1),
    HelpRequest.Recurrence.MONTHLY: relativedelta(months=1),
}


def schedule_next(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """A recurring request, once done, creates its next occurrence — already verified,
    in the same programme, and offered first to the volunteers who helped this time."""
    occurrence = _next_visit(help_request)
    occurrence.save()
    _copy_health_info(help_request, occurrence)
    log_action(
        actor=actor,
        action="helprequest.occurrence",
        obj=occurrence,
        data={"previous": help_request.pk},
    )
    helpers = User.objects.filter(
        help_offers__request=help_request, help_offers__status=HelpOffer.Status.ACCEPTED
    )
    if helpers.exists():
        offer_make(actor=actor, help_request=occurrence, volunteers=list(helpers))
    else:
        notify(
            kinds.HELP_REQUEST_NEW,
            coordinators(),
            {"request": occurrence},
            url=occurrence.get_absolute_url(),
        )
    return occurrence


def _next_visit(help_request: HelpRequest) -> HelpRequest:
    """The next occurrence of a recurring request, not saved: the same request one step
    (a week, a month, on the city's wall clock) after this one — or after now, when this one
    was done late, never in the past — lasting as long as this one did."""
    step = _STEP[HelpRequest.Recurrence(help_request.recurrence)]
    start = help_request.wanted_from or timezone.now()
    while local_add(start, step) <= timezone.now():  # done late: never one in the past
        start = local_add(start, step)
    occurrence = HelpRequest(
        **{name: getattr(help_request, name) for name in EDITABLE},
        has_health_info=help_request.has_health_info,
        has_consent_scan=help_request.has_consent_scan,
        requester=help_request.requester,
        programme=help_request.programme,
        priority=help_request.priority,
        parent_id=help_request.parent_id or help_request.pk,
        status=S.VERIFIED,
    )
    occurrence.asap = False
    occurrence.wanted_from = local_add(start, step)
    if help_request.wanted_from and help_request.wanted_to:
        occurrence.wanted_to = occurrence.wanted_from + (
            help_request.wanted_to - help_request.wanted_from
        )
    else:
        occurrence.wanted_to = None
    return occurrence


def _copy_health_info(help_request: HelpRequest, occurrence: HelpRequest) -> None:
    """The health information goes on with the series: the same person, under the consent
    given for it (with a copy of the scan of its form)."""
    health = HealthInfo.objects.filter(help_request=help_request).first()
    if health is not None:
        HealthInfo.objects.create(
            help_request=occurrence,
            text=health.text,
            consent_version=health.consent_version,
            consent_at=health.consent_at,
            consent_scan=_copy_of(health.consent_scan),
        )


def _copy_of(scan: FieldFile) -> "ContentFile[bytes] | None":
    """A copy of a stored scan for another request's health row, so that each row owns
    its file and deleting one (minimising that visit) leaves the other's."""
    name = scan.name
    if not name or not scan.storage.exists(name):
        return None
    with scan.storage.open(name, "rb") as stored:
        return ContentFile(stored.read(), name=name)
