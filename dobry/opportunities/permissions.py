"""Who may do what with the catalogue of external grant calls: one place, plain functions."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.permissions import require as require
from dobry.opportunities.models import Opportunity
from dobry.organizations.models import Membership, Organization, OrganizationQuerySet


def _authenticated(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_keep_catalogue(user: Actor) -> Decision:
    """The resource centre's coordinators (and platform admins) keep the catalogue."""
    if _authenticated(user) and (
        getattr(user, "is_coordinator", False) or getattr(user, "is_superuser", False)
    ):
        return ALLOW
    return deny(_("Каталог грантовых программ ведут координаторы ресурсного центра."))


def get_opportunity_for_user(user: Actor, pk: int) -> Opportunity:
    """Every call is public, the archive too: 404 only when there is no such call."""
    opportunity = Opportunity.objects.filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def member_organizations(user: Actor) -> OrganizationQuerySet:
    """The organisations `user` is a member of (any role): whose fit the catalogue shows."""
    if not _authenticated(user) or user.pk is None:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user_id=user.pk).order_by("name", "pk")


def following_organizations(user: Actor) -> OrganizationQuerySet:
    """The organisations whose owner or editor `user` is: those they may follow calls for."""
    if not _authenticated(user) or user.pk is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=user.pk,
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
    ).order_by("name", "pk")


def can_see_suitability(user: Actor, organization: Organization) -> Decision:
    """The ranking for an organisation is shown to its members."""
    if member_organizations(user).filter(pk=organization.pk).exists():
        return ALLOW
    return deny(_("Подбор конкурсов доступен участникам организации."))


def can_follow(user: Actor, opportunity: Opportunity, organization: Organization) -> Decision:
    """An organisation's owner or editor follows a call for it, while the call is open."""
    if not following_organizations(user).filter(pk=organization.pk).exists():
        return deny(_("Следить за конкурсом от имени организации могут её владелец и редакторы."))
    if opportunity.is_past:
        return not_now(_("Приём заявок на этот конкурс закончен."))
    return ALLOW


def can_unfollow(user: Actor, organization: Organization) -> Decision:
    if not following_organizations(user).filter(pk=organization.pk).exists():
        return deny(_("Следить за конкурсом от имени организации могут её владелец и редакторы."))
    return ALLOW
