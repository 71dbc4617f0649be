"""Requests a person made. On erasure their open requests are cancelled (with a closing
date, like any other cancellation); every request of theirs is minimised at once and stays
for the statistics without the person. A request a coordinator took for them by phone (the
account's phone as the recipient's) loses its health information and the scan of the
consent they signed. Withdrawing the health-data consent removes the health information from their
requests (not from those resting on someone else's consent that a coordinator scanned)."""

from collections.abc import Iterator
from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument, User
from dobry.core.audit import log_action
from dobry.core.erasure import Traces, phone_variants, scrub_rows
from dobry.helprequests.models import HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services import (
    health_info_delete,
    offers_withdraw,
    request_minimise,
    request_transition,
)


def _export(user: User) -> dict[str, Any]:
    return {
        "requests": [
            {
                "summary": r.summary,
                "category": r.category,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "recipient_name": r.recipient_name,
                "address": r.address,
            }
            for r in HelpRequest.objects.filter(requester=user)
        ],
        "offers": [
            {
                "request": o.request.summary,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
            }
            for o in HelpOffer.objects.filter(volunteer=user).select_related("request")
        ],
    }


def _traces(user: User) -> Iterator[str]:
    for name, phone, address in HelpRequest.objects.filter(requester=user).values_list(
        "recipient_name", "recipient_phone", "address"
    ):
        yield from (name, address, *phone_variants(phone))


def _erase(user: User) -> None:
    mine = list(HelpRequest.objects.filter(requester=user))
    # Unlinked first: the cancellation must not notify the person being erased.
    HelpRequest.objects.filter(requester=user).update(requester=None)
    for help_request in mine:
        help_request.requester = None
        if help_request.is_open:
            help_request = request_transition(
                actor=None,
                help_request=help_request,
                to=HelpRequest.Status.CANCELLED,
                reason="Учётная запись удалена",
            )
        if help_request.minimised_at is None:
            request_minimise(help_request=help_request)
    for offer in HelpOffer.objects.filter(volunteer=user, status=HelpOffer.Status.OFFERED):
        offers_withdraw(
            actor=None, help_request=offer.request, offers=HelpOffer.objects.filter(pk=offer.pk)
        )
    # Requests a coordinator took for the person by phone: their health data and the form
    # they signed go. Matched by the account's phone only — a name is shared by many people.
    if user.phone:
        taken_for_them = HelpRequest.objects.filter(
            has_health_info=True, recipient_phone__in=phone_variants(user.phone)
        )
        for help_request in taken_for_them:
            _health_erase(help_request)


def _copies(traces: Traces) -> None:
    # Requests taken by phone for the person, or mentioning them; volunteers' reports.
    fields = ["summary", "details", "address", "recipient_name", "recipient_phone", "reason"]
    scrub_rows(HelpRequest.objects.all(), [*fields, "feedback"], traces)
    scrub_rows(HelpReport.objects.all(), ["text"], traces)


def _erase_health(user: User) -> None:
    # A request with a scanned form rests on the recipient's own consent, not the requester's
    # (the coordinator who took the call).
    own = HelpRequest.objects.filter(requester=user, has_health_info=True, has_consent_scan=False)
    for help_request in own:
        _health_erase(help_request, actor=user)


def _health_erase(help_request: HelpRequest, actor: User | None = None) -> None:
    health_info_delete(help_request=help_request)
    help_request.save(update_fields=["has_health_info", "has_consent_scan"])
    log_action(actor=actor, action="helprequest.health_erase", obj=help_request)


personal_data.register(
    "help_requests",
    export=_export,
    erase=_erase,
    traces=_traces,
    copies=_copies,
    on_withdraw={ConsentDocument.Kind.HEALTH_DATA: _erase_health},
)
