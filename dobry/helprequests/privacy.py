"""Requests a person made. On erasure their open requests are cancelled (with a closing
date, like any other cancellation); every request of theirs is minimised at once and stays
for the statistics without the person. Withdrawing the health-data consent removes the
health information from their requests."""

from collections.abc import Iterator
from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument, User
from dobry.core.audit import log_action
from dobry.core.erasure import Traces, phone_variants, scrub_rows
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services import request_minimise, request_transition


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
    HelpOffer.objects.filter(volunteer=user, status=HelpOffer.Status.OFFERED).update(
        status=HelpOffer.Status.WITHDRAWN
    )


def _copies(traces: Traces) -> None:
    # Requests taken by phone for the person, or mentioning them; volunteers' reports.
    fields = ["summary", "details", "address", "recipient_name", "recipient_phone", "reason"]
    scrub_rows(HelpRequest.objects.all(), [*fields, "feedback"], traces)
    scrub_rows(HelpReport.objects.all(), ["text"], traces)


def _erase_health(user: User) -> None:
    for help_request in HelpRequest.objects.filter(requester=user, has_health_info=True):
        HealthInfo.objects.filter(help_request=help_request).delete()
        help_request.has_health_info = False
        help_request.save(update_fields=["has_health_info"])
        log_action(actor=user, action="helprequest.health_erase", obj=help_request)


personal_data.register(
    "help_requests",
    export=_export,
    erase=_erase,
    traces=_traces,
    copies=_copies,
    on_withdraw={ConsentDocument.Kind.HEALTH_DATA: _erase_health},
)
