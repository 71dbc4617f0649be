"""Requests a person made. On erasure their open requests are cancelled; closed ones stay
for the statistics without the person (requester link removed)."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.helprequests.models import HelpOffer, HelpRequest


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


def _erase(user: User) -> None:
    HelpRequest.objects.filter(requester=user, status__in=HelpRequest.OPEN).update(
        status=HelpRequest.Status.CANCELLED, reason="Учётная запись удалена"
    )
    HelpRequest.objects.filter(requester=user).update(requester=None)
    HelpOffer.objects.filter(volunteer=user, status=HelpOffer.Status.OFFERED).update(
        status=HelpOffer.Status.WITHDRAWN
    )


personal_data.register("help_requests", export=_export, erase=_erase)
