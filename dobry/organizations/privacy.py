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


def _addresses(user: User) -> Q:
    """The person's addresses, the main one and the others they confirmed."""
    addresses = Q(email__iexact=user.email)
    for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True):
        addresses |= Q(email__iexact=email)
    return addresses


def _export_invitations(user: User) -> list[dict[str, Any]]:
    """Invitations sent to the person's addresses (their email, kept by the organisation)."""
    return [
        {
            "organization": str(i.organization),
            "email": i.email,
            "role": i.role,
            "status": i.status,
            "created_at": i.created_at.isoformat(),
        }
        for i in Invitation.objects.filter(_addresses(user)).select_related("organization")
    ]


def _erase(user: User) -> None:
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(_addresses(user)).delete()


personal_data.register(
    "organization_memberships",
    export=_export,
    erase=_erase,
    covers={
        "organizations.Membership.user": "organization_memberships",
        "organizations.Organization.members": "organization_memberships",
    },
)
personal_data.register("organization_invitations", export=_export_invitations)
personal_data.not_personal(
    {
        "organizations.Organization.reviewed_by": "a coordinator's work: the verification of an "
        "organisation, in the coordinator's actions",
        "organizations.Invitation.invited_by": "an owner's work: the invitation is the invitee's "
        "(«organization_invitations» of the invited address); sending it is in the owner's "
        "actions",
    }
)
