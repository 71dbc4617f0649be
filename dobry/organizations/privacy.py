"""An organisation's members. On erasure the person's memberships and the invitations sent
to their addresses go.

The organisation itself stays: it is a body of the city's register (name, ИНН, ОГРН,
verification, grants), not the person's. But its contact phone and email are often the
owner's own: those that are the person's, in any spelling, are cleared — the organisation
shows no contact rather than the erased person's — and the person's values in its texts are
replaced. Erasure is the person's right (152-ФЗ art. 21) and is not refused when they are
the only owner: the erase page tells them first that the organisation will be left without
an owner and how to hand ownership over (`_notices`); a coordinator still reaches the
organisation through its register data."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.erasure import Traces, scrub_rows
from dobry.core.typography import quoted
from dobry.organizations.models import Invitation, Membership, Organization

CONTACT_FIELDS = ("phone", "email")


def _export(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organization": str(m.organization),
            "role": m.role,
            "since": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(user=user).select_related("organization")
    ]


def solely_owned(user: User) -> list[Organization]:
    """The organisations whose only owner the person is."""
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER)
    return list(
        Organization.objects.filter(pk__in=owned.values("organization"))
        .annotate(owners=Count("memberships", filter=Q(memberships__role=Membership.Role.OWNER)))
        .filter(owners=1)
        .order_by("name")
    )


def _notices(user: User) -> list[str]:
    return [
        _(
            "Вы — единственный владелец организации %(name)s. После удаления у неё не "
            "останется владельца, а её телефон и email, если это ваши, будут стёрты. Чтобы "
            "организация продолжила работу на платформе, сначала назначьте владельцем "
            "другого участника на странице «Участники» организации."
        )
        % {"name": quoted(organization.short_name or organization.name)}
        for organization in solely_owned(user)
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


def _copies(traces: Traces) -> None:
    # A contact field is one value: cleared whole when it is the person's (a phone in any
    # spelling, an address in any case), not left as «[удалено]» that fails validation.
    with_contacts = Organization.objects.exclude(phone="", email="")
    for organization in with_contacts.only("pk", *CONTACT_FIELDS).iterator():
        cleared = [
            name
            for name in CONTACT_FIELDS
            if getattr(organization, name) and traces.found_in(getattr(organization, name))
        ]
        if cleared:
            Organization.objects.filter(pk=organization.pk).update(**dict.fromkeys(cleared, ""))
            log_action(
                actor=None,
                action="organization.contacts_erase",
                obj=organization,
                data={"fields": cleared},
            )
    scrub_rows(Organization.objects.all(), ["address", "description", "review_note"], traces)


personal_data.register(
    "organization_memberships",
    export=_export,
    erase=_erase,
    copies=_copies,
    notices=_notices,
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
