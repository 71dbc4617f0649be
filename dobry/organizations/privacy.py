from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.organizations.models import Invitation, Membership


def _export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organization": str(m.organization),
            "role": m.role,
            "since": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(user=user).select_related("organization")
    ]


def _erase(user: User) -> None:
    Membership.objects.filter(user=user).delete()
    addresses = Q(email__iexact=user.email)
    for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True):
        addresses |= Q(email__iexact=email)
    Invitation.objects.filter(addresses).delete()


personal_data.register("organization_memberships", export=_export, erase=_erase)
