"""Who sees and does what at the resource centre's desk."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dobry.core.permissions import Actor
from dobry.organizations.models import Membership
from dobry.organizations.permissions import is_reviewer
from dobry.resources.models import Consultation


def is_consultant(user: Actor) -> bool:
    """Coordinators of the resource centre (and platform admins) answer consultations."""
    return is_reviewer(user)


def can_read_support_registry(user: Actor) -> bool:
    return is_reviewer(user) or bool(getattr(user, "is_official", False))


def can_view_consultation(user: Actor, consultation: Consultation) -> bool:
    if not user.is_authenticated:
        return False
    if is_consultant(user) or consultation.asker_id == user.pk:
        return True
    return bool(
        consultation.organization_id
        and Membership.objects.filter(
            organization_id=consultation.organization_id, user_id=user.pk
        ).exists()
    )


def get_consultation_for_user(user: Actor, pk: int, *, answer: bool = False) -> Consultation:
    consultation = (
        Consultation.objects.select_related("asker", "organization", "consultant")
        .filter(pk=pk)
        .first()
    )
    if consultation is None or not can_view_consultation(user, consultation):
        raise Http404
    if answer and not is_consultant(user):
        raise PermissionDenied
    return consultation
