"""The organisations' lists that pages and the API share."""

from django.db.models import Case, CharField, F, IntegerField, QuerySet, Value, When

from dobry.organizations.models import Invitation, Membership, Organization

_ROLE_ORDER = Case(
    When(role=Membership.Role.OWNER, then=0),
    When(role=Membership.Role.EDITOR, then=1),
    default=2,
    output_field=IntegerField(),
)


def members_of(organization: Organization, *, with_emails: bool) -> QuerySet[Membership]:
    """An organisation's members with their accounts, owners first, then editors, then
    members, each by joining. `shown_email` is the member's address when `with_emails`
    (its owners, `permissions.can_manage_members`), else None: the other members and the
    coordinators see names and roles only."""
    email = F("user__email") if with_emails else Value(None, output_field=CharField())
    return (
        organization.memberships.select_related("user")
        .annotate(shown_email=email)
        .order_by(_ROLE_ORDER, "created_at", "pk")
    )


def pending_invitations_of(organization: Organization) -> list[Invitation]:
    """The invitations nobody has answered yet and that have not expired, newest first.
    Each gets the organisation already loaded (whose membership check is cached), so the
    moves of every one cost no query. They are few: each is a person an owner typed in
    within the last `DOBRY_INVITATION_DAYS`."""
    invitations = list(organization.invitations.pending().order_by("-created_at", "-pk"))
    for invitation in invitations:
        invitation.organization = organization
    return invitations
