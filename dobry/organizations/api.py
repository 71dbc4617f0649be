from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, FilterSchema, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.models import User
from dobry.api.auth import OPTIONAL_AUTH
from dobry.api.fields import (
    HistoricalDay,
    Pages,
    SearchText,
    district_by_slug,
    nested,
    sent_fields,
)
from dobry.core.input_schema import InputSchema
from dobry.core.models import District
from dobry.core.page_cache import public_page
from dobry.core.text_limits import PHONE, text_limit
from dobry.organizations import permissions, selectors, services
from dobry.organizations.areas import Area
from dobry.organizations.models import Invitation, Membership, Organization

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    legal_form: str
    inn: str
    ogrn: str
    address: str
    district: str | None = nested("district.slug")
    phone: str
    email: str
    website: str
    vk_url: str
    telegram_url: str
    ok_url: str
    logo_url: str | None
    description: str
    founded_on: date | None
    status: str
    verified: bool
    areas: list[str]
    url: str

    @staticmethod
    def resolve_logo_url(obj: Organization) -> str | None:
        return obj.logo.url if obj.logo else None

    @staticmethod
    def resolve_verified(obj: Organization) -> bool:
        return obj.is_verified

    @staticmethod
    def resolve_url(obj: Organization) -> str:
        return obj.get_absolute_url()


class OrganizationFilters(FilterSchema):
    q: SearchText | None = None
    kind: Organization.Kind | None = None
    area: Area | None = None
    district: str | None = Field(
        None, max_length=text_limit(District, "slug"), description="district slug"
    )
    include_pending: bool = Field(False, description="also list organisations awaiting review")


class OrganizationIn(InputSchema):
    kind: Organization.Kind
    name: str = Field(min_length=2, max_length=300)
    short_name: str = Field("", max_length=120)
    legal_form: str = Field("", max_length=200)
    inn: str = Field("", max_length=12)
    ogrn: str = Field("", max_length=15)
    address: str = Field("", max_length=300)
    district: str | None = Field(
        None, max_length=text_limit(District, "slug"), description="district slug"
    )
    phone: str = Field("", max_length=PHONE)
    email: str = Field("", max_length=text_limit(Organization, "email"))
    website: str = Field("", max_length=text_limit(Organization, "website"))
    vk_url: str = Field("", max_length=text_limit(Organization, "vk_url"))
    telegram_url: str = Field("", max_length=text_limit(Organization, "telegram_url"))
    ok_url: str = Field("", max_length=text_limit(Organization, "ok_url"))
    description: str = Field("", max_length=text_limit(Organization, "description"))
    founded_on: HistoricalDay | None = None
    areas: list[Area] = []


class OrganizationPatch(InputSchema):
    kind: Organization.Kind | None = None
    name: str | None = Field(None, min_length=2, max_length=300)
    short_name: str | None = Field(None, max_length=120)
    legal_form: str | None = Field(None, max_length=200)
    inn: str | None = Field(None, max_length=12)
    ogrn: str | None = Field(None, max_length=15)
    address: str | None = Field(None, max_length=300)
    district: str | None = Field(None, max_length=text_limit(District, "slug"))
    phone: str | None = Field(None, max_length=PHONE)
    email: str | None = Field(None, max_length=text_limit(Organization, "email"))
    website: str | None = Field(None, max_length=text_limit(Organization, "website"))
    vk_url: str | None = Field(None, max_length=text_limit(Organization, "vk_url"))
    telegram_url: str | None = Field(None, max_length=text_limit(Organization, "telegram_url"))
    ok_url: str | None = Field(None, max_length=text_limit(Organization, "ok_url"))
    description: str | None = Field(None, max_length=text_limit(Organization, "description"))
    founded_on: HistoricalDay | None = None
    areas: list[Area] | None = None
    confirm_review: bool = Field(
        False,
        description="true: the caller knows that changing a verified organisation's kind, name, "
        "short name, legal form, ИНН or ОГРН sends it back to review (`status` becomes `pending`); without it such a "
        "change is a 422 at `confirm_review` and nothing is saved",
    )


class ReturnIn(InputSchema):
    reason: str = Field(min_length=1, max_length=2000)


def _fields(data: dict) -> tuple[dict, list[str] | None]:
    areas = data.pop("areas", None)
    if "district" in data:
        data["district"] = district_by_slug(data["district"])
    return data, [str(a) for a in areas] if areas is not None else None


def _get(request: HttpRequest, pk: int, action: str) -> Organization:
    user = api_viewer(request)
    return permissions.get_organization_for_user(user, pk, action=action)


def _shown(page: list[Organization], request: HttpRequest) -> list[Organization]:
    """A page of the catalogue as the caller may see it: of an organisation not verified
    yet only the name, but to its members and coordinators (`permissions.as_shown_to`)."""
    return permissions.as_shown_to(api_viewer(request), page)


@router.get("", response=list[OrganizationOut], auth=OPTIONAL_AUTH, summary="The catalogue")
@decorate_view(public_page)
@paginate(Pages, page_size=20, then=_shown)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> object:
    organizations = (
        Organization.objects.listed()
        if filters.include_pending
        else Organization.objects.verified()
    )
    organizations = organizations.search(filters.q or "")
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.area:
        organizations = organizations.with_area(filters.area)
    if filters.district:  # an unknown slug is a 422, not an empty catalogue
        organizations = organizations.filter(district=district_by_slug(filters.district))
    return organizations.for_list().order_by("name", "pk")


@router.get(
    "/{int:pk}",
    response=OrganizationOut,
    auth=OPTIONAL_AUTH,
    summary="An organisation (a returned one for its members and coordinators only; one not "
    "verified yet: only its name, to all but its members and coordinators)",
)
def get_organization(request: HttpRequest, pk: int) -> Organization:
    organization = _get(request, pk, "view")
    [shown] = permissions.as_shown_to(
        api_viewer(request), [Organization.objects.for_list().get(pk=organization.pk)]
    )
    return shown


@router.post("", response={201: OrganizationOut}, summary="Propose an organisation")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    fields, areas = _fields(payload.dict())
    organization = services.organization_propose(
        user=api_user(request), fields=fields, areas=areas or []
    )
    return Status(201, organization)


@router.patch("/{int:pk}", response=OrganizationOut, summary="Edit (owner, editor, coordinator)")
def update_organization(request: HttpRequest, pk: int, payload: OrganizationPatch) -> Organization:
    """The edit page's service (`services.organization_update`): a returned organisation goes
    back to review; a verified one too when its kind, name, ИНН or ОГРН change — only with
    `confirm_review: true`, else a 422 at `confirm_review` (and the changed fields) saying so.
    The answer's `status` is the organisation's after the change."""
    organization = _get(request, pk, "edit")
    sent = sent_fields(payload, nullable={"district", "founded_on"})
    confirm_review = bool(sent.pop("confirm_review", False))
    fields, areas = _fields(sent)
    return services.organization_update(
        actor=api_user(request),
        organization=organization,
        fields=fields,
        areas=areas,
        confirm_review=confirm_review,
    )


@router.post("/{int:pk}/verify", response=OrganizationOut, summary="Verify (coordinator)")
def verify_organization(request: HttpRequest, pk: int) -> Organization:
    organization = _get(request, pk, "review")
    return services.organization_verify(actor=api_user(request), organization=organization)


@router.post(
    "/{int:pk}/return", response=OrganizationOut, summary="Return with a reason (coordinator)"
)
def return_organization(request: HttpRequest, pk: int, payload: ReturnIn) -> Organization:
    organization = _get(request, pk, "review")
    return services.organization_return(
        actor=api_user(request), organization=organization, reason=payload.reason
    )


# --- members and invitations (the members page, the invitation page) -------------------------


class OrganizationMemberOut(Schema):
    id: int
    user_id: int
    name: str
    email: str | None = Field(
        None, alias="shown_email", description="shown to the organisation's owners only"
    )
    role: Membership.Role
    since: datetime = Field(alias="created_at")

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.display_name


class OrganizationRoleIn(InputSchema):
    role: Membership.Role


class InvitationIn(InputSchema):
    email: str = Field(max_length=text_limit(Invitation, "email"))
    role: Membership.Role = Membership.Role.MEMBER


class InvitationOut(Schema):
    id: int
    email: str
    role: Membership.Role
    status: Invitation.Status
    created_at: datetime
    expires_at: datetime
    moves: list[str] = Field([], description="what the caller may do with it now: `revoke`")


class InvitationPageOut(Schema):
    """What the invitation's link shows to whoever is signed in."""

    organization_id: int
    organization: str
    role: Membership.Role
    status: Invitation.Status
    expires_at: datetime
    moves: list[str] = Field(description="`accept` when the caller may accept it now")
    refusal: str = Field(
        description="why the caller may not accept an invitation that still waits for an "
        "answer (someone else's address, expired); empty otherwise"
    )


class InvitationAcceptedOut(Schema):
    organization_id: int
    organization: str
    role: Membership.Role


Token = Path(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _invitation_out(user: User, invitation: Invitation) -> dict:
    return {
        **InvitationOut.from_orm(invitation).dict(exclude={"moves"}),
        "moves": [move.name for move in permissions.invitation_moves(user, invitation)],
    }


@router.get(
    "/{int:pk}/members",
    response=list[OrganizationMemberOut],
    summary="Members and their roles (members and coordinators; addresses for owners)",
)
@paginate(Pages, page_size=50)
def list_members(request: HttpRequest, pk: int) -> object:
    user = api_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="see_members")
    shows_emails = bool(permissions.can_manage_members(user, organization))
    return selectors.members_of(organization, with_emails=shows_emails)


@router.post(
    "/{int:pk}/members/{int:membership_pk}/role",
    response=OrganizationMemberOut,
    summary="Give a member another role (owner; the last owner cannot step down)",
)
def set_member_role(
    request: HttpRequest, pk: int, membership_pk: int, payload: OrganizationRoleIn
) -> Membership:
    user = api_user(request)
    membership = permissions.get_membership_for_user(user, pk, membership_pk, action="role")
    services.membership_set_role(actor=user, membership=membership, role=payload.role)
    return selectors.members_of(membership.organization, with_emails=True).get(pk=membership.pk)


@router.post(
    "/{int:pk}/members/{int:membership_pk}/remove",
    response={204: None},
    summary="Remove a member (owner), or leave (the member); the last owner stays",
)
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> Status[None]:
    user = api_user(request)
    membership = permissions.get_membership_for_user(user, pk, membership_pk, action="remove")
    services.membership_remove(actor=user, membership=membership)
    return Status(204, None)


@router.get(
    "/{int:pk}/invitations",
    response=list[InvitationOut],
    summary="Invitations nobody has answered yet (owner)",
)
@paginate(Pages, page_size=50)
def list_invitations(request: HttpRequest, pk: int) -> list[dict]:
    user = api_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="members")
    return [
        _invitation_out(user, invitation)
        for invitation in selectors.pending_invitations_of(organization)
    ]


@router.post(
    "/{int:pk}/invitations",
    response={201: InvitationOut},
    summary="Invite someone by email (owner); an earlier invitation to the address is revoked",
)
def create_invitation(request: HttpRequest, pk: int, payload: InvitationIn) -> Status[dict]:
    user = api_user(request)
    organization = permissions.get_organization_for_user(user, pk, action="members")
    invitation = services.invitation_create(
        actor=user, organization=organization, email=payload.email, role=payload.role
    )
    invitation.organization = organization
    return Status(201, _invitation_out(user, invitation))


@router.post(
    "/{int:pk}/invitations/{int:invitation_pk}/revoke",
    response=InvitationOut,
    summary="Take back an invitation nobody has answered (owner)",
)
def revoke_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> dict:
    user = api_user(request)
    invitation = permissions.get_invitation_for_user(user, pk, invitation_pk)
    revoked = services.invitation_revoke(actor=user, invitation=invitation)
    return _invitation_out(user, revoked)


@router.get(
    "/invitations/{token}",
    response=InvitationPageOut,
    summary="The invitation a link names (the token from the invitation's email)",
)
def get_invitation(request: HttpRequest, token: str = Token) -> dict:
    user = api_user(request)
    invitation = permissions.get_invitation_by_token(token)
    return {
        "organization_id": invitation.organization_id,
        "organization": str(invitation.organization),
        "role": invitation.role,
        "status": invitation.status,
        "expires_at": invitation.expires_at,
        "moves": [move.name for move in permissions.invitation_moves(user, invitation)],
        "refusal": permissions.invitation_refusal(user, invitation),
    }


@router.post(
    "/invitations/{token}/accept",
    response=InvitationAcceptedOut,
    summary="Accept an invitation (signed in under the invited address, before it expires)",
)
def accept_invitation(request: HttpRequest, token: str = Token) -> dict:
    user = api_user(request)
    invitation = permissions.get_invitation_by_token(token)
    membership = services.invitation_accept(user=user, invitation=invitation)
    return {
        "organization_id": membership.organization_id,
        "organization": str(invitation.organization),
        "role": membership.role,
    }
