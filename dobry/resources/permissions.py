"""Who sees and does what at the resource centre's desk."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, allow_if, deny
from dobry.organizations.models import Membership
from dobry.organizations.permissions import is_reviewer
from dobry.resources.models import Consultation


def is_consultant(user: Actor) -> bool:
    """Coordinators of the resource centre (and platform admins) answer consultations."""
    return is_reviewer(user)


def can_read_support_registry(user: Actor) -> Decision:
    return allow_if(
        is_reviewer(user) or bool(getattr(user, "is_official", False)),
        _("Реестр поддержки видят сотрудники ресурсного центра и администрации."),
    )


def can_view_consultation(user: Actor, consultation: Consultation) -> Decision:
    """The asker, the members of the organisation asked for, and the consultants."""
    if user.is_authenticated and (is_consultant(user) or consultation.asker_id == user.pk):
        return ALLOW
    if (
        user.is_authenticated
        and consultation.organization_id
        and Membership.objects.filter(
            organization_id=consultation.organization_id, user_id=user.pk
        ).exists()
    ):
        return ALLOW
    return deny(_("Консультацию видят задавший вопрос, его организация и консультанты."))


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
