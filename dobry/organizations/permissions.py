"""Who may do what with an organisation: one place, plain functions."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.workflow import Move
from dobry.organizations.models import (
    INVITATION_WORKFLOW,
    ORGANIZATION_WORKFLOW,
    Invitation,
    Membership,
    Organization,
    OrganizationArea,
    OrganizationQuerySet,
)


def _membership(user: Actor, organization: Organization) -> Membership | None:
    pk = user.pk
    if pk is None or not user.is_authenticated:
        return None
    # One query per request and organisation, however many checks a page makes.
    cache: dict[int, Membership | None] = getattr(organization, "_membership_cache", {})
    if pk not in cache:
        cache[pk] = organization.memberships.filter(user_id=pk).first()
        organization._membership_cache = cache  # type: ignore[attr-defined]
    return cache[pk]


def membership_of(user: Actor, organization: Organization) -> Membership | None:
    """The user's membership of the organisation, if any (cached per organisation)."""
    return _membership(user, organization)


def remember_memberships(user: Actor, organizations: Iterable[Organization]) -> None:
    """Read the user's memberships of all these organisations in one query, so that the
    checks of a list's rows (`membership_of`) cost none each."""
    pk = user.pk
    if pk is None or not user.is_authenticated:
        return
    pending = [o for o in organizations if pk not in getattr(o, "_membership_cache", {})]
    if not pending:
        return
    found = {
        m.organization_id: m
        for m in Membership.objects.filter(user_id=pk, organization__in=[o.pk for o in pending])
    }
    for organization in pending:
        cache: dict[int, Membership | None] = getattr(organization, "_membership_cache", {})
        cache[pk] = found.get(organization.pk)
        organization._membership_cache = cache  # type: ignore[attr-defined]


def is_reviewer(user: Actor) -> bool:
    """Coordinators of the resource centre and platform admins review organisations."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (getattr(user, "is_coordinator", False) or getattr(user, "is_superuser", False))
    )


def can_view(user: Actor, organization: Organization) -> Decision:
    if organization.status != Organization.Status.RETURNED:
        return ALLOW
    if is_reviewer(user) or _membership(user, organization):
        return ALLOW
    return deny(_("Организация возвращена на доработку и скрыта из каталога."))


def can_see_details(user: Actor, organization: Organization) -> Decision:
    """Everything an organisation's proposer typed — description, contacts, links, logo,
    details — is public once coordinators verified it. Until then anyone else sees only
    its name (the text and links are not moderated yet); its members and the reviewers see
    all of it."""
    if organization.status == Organization.Status.VERIFIED:
        return ALLOW
    if is_reviewer(user) or _membership(user, organization):
        return ALLOW
    return deny(
        _("Организация ещё не проверена координаторами: до проверки видно только её название.")
    )


def as_shown_to(user: Actor, organizations: Iterable[Organization]) -> list[Organization]:
    """The organisations of a list as `user` may see them: each one whose details they may
    not see yet (`can_see_details`) replaced by its name-only copy (`name_only`). One query
    for the user's memberships, whatever the length of the list."""
    organizations = list(organizations)
    hidden = [o for o in organizations if o.status != Organization.Status.VERIFIED]
    if not hidden or is_reviewer(user):
        return organizations
    own: set[int] = set()
    if user.is_authenticated and user.pk is not None:
        own = set(
            Membership.objects.filter(
                user_id=user.pk, organization__in=[o.pk for o in hidden]
            ).values_list("organization_id", flat=True)
        )
    return [
        o if o.status == Organization.Status.VERIFIED or o.pk in own else name_only(o)
        for o in organizations
    ]


def name_only(organization: Organization) -> Organization:
    """An unsaved copy of `organization` holding its id, names, kind and status and nothing
    else its proposer typed: what a page or the API shows of an organisation not verified
    yet to those who may not see its details."""
    copy = Organization(
        pk=organization.pk,
        kind=organization.kind,
        name=organization.name,
        short_name=organization.short_name,
        status=organization.status,
    )
    copy._prefetched_objects_cache = {"area_links": OrganizationArea.objects.none()}  # type: ignore[attr-defined]
    return copy


def can_edit(user: Actor, organization: Organization) -> Decision:
    if is_reviewer(user):
        return ALLOW
    membership = _membership(user, organization)
    if membership and membership.can_edit:
        return ALLOW
    return deny(_("Редактировать могут владелец и редакторы организации."))


def can_manage_members(user: Actor, organization: Organization) -> Decision:
    if getattr(user, "is_superuser", False):
        return ALLOW
    membership = _membership(user, organization)
    if membership and membership.role == Membership.Role.OWNER:
        return ALLOW
    return deny(_("Участниками управляет владелец организации."))


def can_see_members(user: Actor, organization: Organization) -> Decision:
    if is_reviewer(user) or _membership(user, organization):
        return ALLOW
    return deny(_("Состав организации видят её участники и координаторы."))


def can_remove_member(user: Actor, membership: Membership) -> Decision:
    """An owner removes a member; every member may leave (remove themselves)."""
    if user.is_authenticated and membership.user_id == user.pk:
        return ALLOW
    return can_manage_members(user, membership.organization)


def can_review(user: Actor, organization: Organization) -> Decision:
    if is_reviewer(user):
        return ALLOW
    return deny(_("Проверяют организации координаторы ресурсного центра."))


def can_move_organization(user: Actor, organization: Organization, move: Move) -> Decision:
    """Coordinators verify and return an organisation; its editors send it back to review
    by editing it."""
    if move.name == "resubmit":
        return can_edit(user, organization)
    return can_review(user, organization)


def review_moves(user: Actor, organization: Organization) -> list[Move]:
    """The review buttons `user` has on the organisation's page now."""
    return [
        move
        for move in ORGANIZATION_WORKFLOW.moves_for(user, organization, can_move_organization)
        if move.button
    ]


def can_move_invitation(user: Actor, invitation: Invitation, move: Move) -> Decision:
    """An owner revokes; the invitee accepts — signed in under the invited address, before
    the invitation expires."""
    if move.target == Invitation.Status.REVOKED:
        return can_manage_members(user, invitation.organization)
    email = getattr(user, "email", "") if user.is_authenticated else ""
    if email.lower() != invitation.email.lower():
        return deny(
            _("Приглашение отправлено на адрес %(email)s. Войдите под этим адресом.")
            % {"email": invitation.email}
        )
    if invitation.expires_at <= timezone.now():
        return not_now(_("Приглашение уже недействительно."))
    return ALLOW


def invitation_moves(user: Actor, invitation: Invitation) -> list[Move]:
    """What `user` may do with the invitation now: its page's and the members page's buttons."""
    return INVITATION_WORKFLOW.moves_for(user, invitation, can_move_invitation)


def invitation_refusal(user: Actor, invitation: Invitation) -> str:
    """Why `user` may not accept an invitation that still waits for an answer (someone
    else's, or expired); empty when they may, or when it was already answered (its page
    then just says it is no longer valid)."""
    if invitation.status != Invitation.Status.PENDING:
        return ""
    decision = can_move_invitation(user, invitation, INVITATION_WORKFLOW.move("accept"))
    return "" if decision else str(decision.reason)


def visible_organizations(user: Actor) -> QuerySet[Organization]:
    """The list form of `can_view`: returned organisations only to reviewers and members."""
    if is_reviewer(user):
        return Organization.objects.all()
    condition = ~Q(status=Organization.Status.RETURNED)
    if user.is_authenticated and user.pk is not None:
        condition |= Q(pk__in=Membership.objects.filter(user_id=user.pk).values("organization"))
    return Organization.objects.filter(condition)


def organizations_edited_by(user: Actor) -> OrganizationQuerySet:
    """The organisations whose owner or editor `user` is, by membership (a coordinator's
    right to edit every organisation is not membership): what they may speak for."""
    if not user.is_authenticated or user.pk is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=user.pk,
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
    )


def get_organization_for_user(user: Actor, pk: int, *, action: str = "view") -> Organization:
    """The organisation if `user` may do `action` with it; 404 if hidden, 403 if not allowed."""
    organization = Organization.objects.select_related("district").filter(pk=pk).first()
    if organization is None or not can_view(user, organization):
        raise Http404
    check = {
        "view": can_view,
        "edit": can_edit,
        "see_members": can_see_members,
        "members": can_manage_members,
        "review": can_review,
    }[action]
    decision = check(user, organization)
    if not decision:
        raise PermissionDenied(decision.reason)
    return organization


def get_membership_for_user(
    user: Actor, pk: int, membership_pk: int, *, action: str = "role"
) -> Membership:
    """A membership of organisation `pk` for `action`: «role» (its owner changes the role)
    or «remove» (its owner removes the member, or the member leaves). 404 when the
    organisation is hidden or the membership is not one of its own, 403 when not allowed."""
    organization = get_organization_for_user(
        user, pk, action={"role": "members", "remove": "view"}[action]
    )
    membership = organization.memberships.select_related("user").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404
    membership.organization = organization  # checked above, its membership cache kept
    if action == "remove":
        decision = can_remove_member(user, membership)
        if not decision:
            raise PermissionDenied(decision.reason)
    return membership


def get_invitation_for_user(user: Actor, pk: int, invitation_pk: int) -> Invitation:
    """An invitation of organisation `pk` for its owner to manage: 404 when the organisation
    is hidden or the invitation is not its own, 403 for anyone but an owner."""
    organization = get_organization_for_user(user, pk, action="members")
    invitation = organization.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    invitation.organization = organization
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation its link names: the token is the secret, so whoever holds the link
    sees it (whether they may accept is `can_move_invitation`); 404 for an unknown token."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(token=token).first()
    )
    if invitation is None:
        raise Http404
    return invitation
