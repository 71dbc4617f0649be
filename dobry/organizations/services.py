"""Organisation registry services: propose, update, review, members and invitations."""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import email_kind_to_address, notify
from dobry.core import errors
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, TooMany
from dobry.core.locking import lock_rows
from dobry.core.permissions import Decision
from dobry.core.uploads import Upload, public_image
from dobry.core.validators import normalize_phone
from dobry.organizations import notifications as kinds
from dobry.organizations import permissions
from dobry.organizations.areas import Area
from dobry.organizations.models import (
    INVITATION_WORKFLOW,
    ORGANIZATION_WORKFLOW,
    Invitation,
    Membership,
    Organization,
    OrganizationArea,
)

EDITABLE_FIELDS = (
    "kind",
    "name",
    "short_name",
    "legal_form",
    "inn",
    "ogrn",
    "address",
    "district",
    "phone",
    "email",
    "website",
    "vk_url",
    "telegram_url",
    "ok_url",
    "description",
    "founded_on",
)
# Changing these on a verified organisation sends it back to review: what names it on its
# card, on events and bookings (`Organization.__str__` is the short name), and what
# identifies it in registers; a new logo too (`identity_changes`). The legal form is shown
# on the card and follows from the registration, so it is one of them.
IDENTITY_FIELDS = ("kind", "name", "short_name", "legal_form", "inn", "ogrn")


def _reviewers() -> Iterable[User]:
    return User.objects.filter(is_active=True, is_coordinator=True)


def _apply(
    organization: Organization,
    fields: Mapping[str, Any],
    areas: Iterable[str] | None,
    logo: Upload | None,
) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля: %s.") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(organization, name, value.strip() if isinstance(value, str) else value)
    if organization.phone:
        try:
            organization.phone = normalize_phone(organization.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    if logo is not None:
        organization.logo = public_image(logo, field="logo")
    organization.full_clean()
    organization.save()
    if areas is not None:
        _set_areas(organization, areas)


def _set_areas(organization: Organization, areas: Iterable[str]) -> None:
    wanted = set(areas)
    invalid = wanted - set(Area.values)
    if invalid:
        raise DomainError(
            _("Неизвестные направления деятельности: %s.") % ", ".join(sorted(invalid)),
            field_errors={"areas": [_("Выберите направления из списка.")]},
        )
    organization.area_links.exclude(area__in=wanted).delete()
    existing = set(organization.area_links.values_list("area", flat=True))
    OrganizationArea.objects.bulk_create(
        OrganizationArea(organization=organization, area=area) for area in wanted - existing
    )


def organization_propose(
    *,
    user: User,
    fields: Mapping[str, Any],
    areas: Iterable[str] = (),
    logo: Upload | None = None,
) -> Organization:
    """A resident proposes an organisation; they become its owner; coordinators review it."""
    with transaction.atomic():
        organization = Organization(status=Organization.Status.PENDING)
        _apply(organization, fields, areas, logo)
        Membership.objects.create(organization=organization, user=user, role=Membership.Role.OWNER)
        log_action(actor=user, action="organization.propose", obj=organization)
        notify(
            kinds.ORGANIZATION_PROPOSED,
            _reviewers(),
            {"organization": organization, "proposer": user},
            url=organization.get_absolute_url(),
        )
    return organization


def identity_changes(
    organization: Organization, fields: Mapping[str, Any], logo: Upload | None = None
) -> list[str]:
    """Which of the organisation's identity fields (`IDENTITY_FIELDS`, and "logo" when a new
    logo is given) `fields` would change, as `organization_update` would store them
    (strings stripped)."""
    changed = []
    for name in IDENTITY_FIELDS:
        if name in fields:
            value = fields[name]
            value = value.strip() if isinstance(value, str) else value
            if value != getattr(organization, name):
                changed.append(name)
    if logo is not None:
        changed.append("logo")
    return changed


def back_to_review_refusal(changed: Iterable[str]) -> DomainError:
    """A verified organisation's identity changed without the person saying they know it
    goes back to review: at `confirm_review` (the form's tick, the API's flag) and at each
    changed field."""
    return DomainError(
        _(
            "Организация проверена: после изменения названия, краткого названия, вида, "
            "правовой формы, ИНН, ОГРН или логотипа она вернётся на проверку. Подтвердите "
            "изменение."
        ),
        field_errors={
            "confirm_review": [_("Отметьте, что организация вернётся на проверку.")],
            **{name: [_("Изменение вернёт организацию на проверку.")] for name in changed},
        },
    )


def organization_update(
    *,
    actor: User,
    organization: Organization,
    fields: Mapping[str, Any],
    areas: Iterable[str] | None = None,
    logo: Upload | None = None,
    confirm_review: bool = False,
) -> Organization:
    """Edit an organisation. A returned one goes back to review; a verified one does too
    when its identity (`identity_changes`: kind, name, short name, legal form, ИНН, ОГРН,
    logo) changes — only with `confirm_review`, the
    person having been told (the form's tick, the API's flag): otherwise nothing is saved
    (`back_to_review_refusal`, a DomainError at `confirm_review` and the changed fields)."""
    changed = identity_changes(organization, fields, logo)
    verified = organization.status == Organization.Status.VERIFIED
    back_to_review = organization.status == Organization.Status.RETURNED or (
        verified and bool(changed)
    )
    move = (
        ORGANIZATION_WORKFLOW.check_for(
            actor, organization, "resubmit", permissions.can_move_organization
        )
        if back_to_review
        else None
    )
    if verified and changed and not confirm_review:
        raise back_to_review_refusal(changed)
    with transaction.atomic():
        _apply(organization, fields, areas, logo)
        if move is not None:
            organization.status = move.target
            organization.save(update_fields=["status"])
        log_action(
            actor=actor,
            action="organization.update",
            obj=organization,
            data={"fields": sorted(fields), "back_to_review": back_to_review},
        )
        if back_to_review:
            notify(
                kinds.ORGANIZATION_PROPOSED,
                _reviewers(),
                {"organization": organization, "proposer": actor},
                url=organization.get_absolute_url(),
            )
    return organization


def _owners_and_editors(organization: Organization) -> Iterable[User]:
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
    )


def organization_verify(*, actor: User, organization: Organization) -> Organization:
    """A coordinator confirms the organisation: it gets the verified badge."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        move = ORGANIZATION_WORKFLOW.check_for(
            actor, organization, "verify", permissions.can_move_organization
        )
        organization.status = move.target
        organization.review_note = ""
        organization.reviewed_at = timezone.now()
        organization.reviewed_by = actor
        organization.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
        log_action(actor=actor, action="organization.verify", obj=organization)
        notify(
            kinds.ORGANIZATION_VERIFIED,
            _owners_and_editors(organization),
            {"organization": organization},
            url=organization.get_absolute_url(),
        )
    return organization


def organization_return(*, actor: User, organization: Organization, reason: str) -> Organization:
    """A coordinator returns the organisation to its members with a reason."""
    reason = reason.strip()
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        move = ORGANIZATION_WORKFLOW.check_for(
            actor, organization, "return", permissions.can_move_organization, reason=reason
        )
        organization.status = move.target
        organization.review_note = reason
        organization.reviewed_at = timezone.now()
        organization.reviewed_by = actor
        organization.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
        log_action(
            actor=actor, action="organization.return", obj=organization, data={"reason": reason}
        )
        notify(
            kinds.ORGANIZATION_RETURNED,
            _owners_and_editors(organization),
            {"organization": organization, "reason": reason},
            url=organization.get_absolute_url(),
        )
    return organization


def _check(decision: Decision) -> None:
    """The permission function's refusal, as the service's own (403 in the API)."""
    if not decision:
        raise errors.PermissionDenied(str(decision.reason))


def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str
) -> Invitation:
    """An owner invites someone by email; the link works for the account with that email.
    The address is kept trimmed and lower-case; `role` is a `Membership.Role` value.
    PermissionDenied for anyone but an owner; DomainError with field errors (`email`,
    `role`) for a bad address, an unknown role or someone already a member."""
    _check(permissions.can_manage_members(actor, organization))
    email = _invitable_email(organization, email, role)
    _check_invitations_per_day(organization)
    with transaction.atomic():
        # a new invitation replaces an unanswered one to the same address: it is revoked
        # as an owner would revoke it, audit entry included
        INVITATION_WORKFLOW.move_rows(
            organization.invitations.pending().filter(email=email),
            "revoke",
            actor=actor,
            action="invitation.revoke",
            audit=lambda old: (organization, {"email": old.email}),
        )
        invitation = Invitation.objects.create(
            organization=organization, email=email, role=role, invited_by=actor
        )
        log_action(
            actor=actor,
            action="invitation.create",
            obj=organization,
            data={"email": email, "role": role},
        )
        _send_invitation(invitation, actor)
    return invitation


def _check_invitations_per_day(organization: Organization) -> None:
    """TooMany (429) past the organisation's invitations of the last 24 hours: a verified
    organisation's `DOBRY_INVITATIONS_PER_DAY`, an unverified one's fewer — its unchecked
    name is in every letter the platform sends (issue 11: invitations used as spam)."""
    limit = (
        settings.DOBRY_INVITATIONS_PER_DAY
        if organization.is_verified
        else settings.DOBRY_UNVERIFIED_INVITATIONS_PER_DAY
    )
    since = timezone.now() - timedelta(hours=24)
    if organization.invitations.filter(created_at__gte=since).count() >= limit:
        raise TooMany(
            _(
                "Организация отправила много приглашений за сутки (предел — %(limit)s): попробуйте завтра."
            )
            % {"limit": limit}
        )


def _invitable_email(organization: Organization, email: str, role: str) -> str:
    """The address normalised, once it is valid, the role known, and the address not a
    member's already."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Проверьте данные."), field_errors={"email": error.messages}) from None
    if role not in Membership.Role.values:
        raise DomainError(_("Неизвестная роль."), field_errors={"role": [_("Выберите роль.")]})
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(
            _("Этот человек уже состоит в организации."),
            field_errors={"email": [_("Уже участник.")]},
        )
    return email


def _send_invitation(invitation: Invitation, inviter: User) -> None:
    """To the account with the address if there is one (a notification), else by email."""
    url = reverse("organizations:invitation", args=[invitation.token])
    context = {
        "organization": invitation.organization,
        "invitation": invitation,
        "inviter": inviter,
    }
    existing = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if existing is not None:
        notify(kinds.MEMBERSHIP_INVITED, [existing], context, url=url)
    else:
        email_kind_to_address(
            key=f"invitation:{invitation.pk}",
            to=invitation.email,
            kind=kinds.MEMBERSHIP_INVITED,
            context=context,
            url=url,
        )


def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    """The invitee joins with the invited role (once: a second accept is refused)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=invitation.pk)
        )
        INVITATION_WORKFLOW.check_for(
            user,
            invitation,
            "accept",
            permissions.can_move_invitation,
        )
        membership, _created = Membership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_at"])
        log_action(
            actor=user,
            action="invitation.accept",
            obj=invitation.organization,
            data={"role": membership.role},
        )
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """An owner takes back an invitation nobody has answered."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=invitation.pk)
        )
        INVITATION_WORKFLOW.check_for(
            actor,
            invitation,
            "revoke",
            permissions.can_move_invitation,
        )
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status"])
        log_action(
            actor=actor,
            action="invitation.revoke",
            obj=invitation.organization,
            data={"email": invitation.email},
        )
    return invitation


def _ensure_an_owner_remains(membership: Membership) -> None:
    if membership.role != Membership.Role.OWNER:
        return
    others = membership.organization.memberships.filter(role=Membership.Role.OWNER).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise DomainError(
            _("У организации должен остаться владелец. Сначала назначьте другого владельца.")
        )


def _lock_owners(membership: Membership) -> None:
    """Hold the organisation's row for the rest of the transaction, so that two owners who
    step down or leave at once are counted one after the other (each would otherwise see
    the other as the owner who remains), and read the membership again under it."""
    lock_rows(Organization.objects.all(), [membership.organization_id])
    membership.refresh_from_db(fields=["role"])


def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """An owner gives a member another role; the last owner cannot step down."""
    _check(permissions.can_manage_members(actor, membership.organization))
    if role not in Membership.Role.values:
        raise DomainError(_("Неизвестная роль."), field_errors={"role": [_("Выберите роль.")]})
    if role == membership.role:
        return membership
    with transaction.atomic():
        _lock_owners(membership)
        if role == membership.role:
            return membership
        if role != Membership.Role.OWNER:
            _ensure_an_owner_remains(membership)
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        log_action(
            actor=actor,
            action="membership.set_role",
            obj=membership.organization,
            data={"user": membership.user_id, "from": old, "to": role},
        )
        notify(
            kinds.MEMBERSHIP_CHANGED,
            [membership.user],
            {"organization": membership.organization, "membership": membership},
            url=membership.organization.get_absolute_url(),
        )
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    """An owner removes a member, or a member leaves (actor == member)."""
    _check(permissions.can_remove_member(actor, membership))
    with transaction.atomic():
        _lock_owners(membership)
        _ensure_an_owner_remains(membership)
        action = "membership.leave" if actor.pk == membership.user_id else "membership.remove"
        log_action(
            actor=actor,
            action=action,
            obj=membership.organization,
            data={"user": membership.user_id, "role": membership.role},
        )
        membership.delete()
