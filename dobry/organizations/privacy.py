from typing import Any

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
    Invitation.objects.filter(email__iexact=user.email).delete()


personal_data.register("organization_memberships", export=_export, erase=_erase)
