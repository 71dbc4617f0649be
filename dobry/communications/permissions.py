"""Who may open what of communications: one's own notifications only; mailings, their
segments and contacts for coordinators and officials; the suppression list for
coordinators."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.communications.models import Mailing, Notification, Segment, Suppression
from dobry.core.permissions import Actor, Decision, allow_if, deny


def get_notification_for_user(user: Actor, pk: int) -> Notification:
    """The user's own notification; anyone else's, like an unknown one, is 404."""
    notification = (
        Notification.objects.filter(pk=pk, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if notification is None:
        raise Http404
    return notification


def can_manage_mailings(user: Actor) -> Decision:
    """Mailings to the city's base are made by the resource centre's coordinators and the
    administration's officials (and the platform's admins)."""
    return allow_if(
        bool(
            user.is_authenticated
            and (
                getattr(user, "is_coordinator", False)
                or getattr(user, "is_official", False)
                or getattr(user, "is_superuser", False)
            )
        ),
        _("Рассылки готовят координаторы ресурсного центра и сотрудники администрации."),
    )


def get_mailing_for_user(user: Actor, pk: int) -> Mailing:
    """A mailing for the staff who make them; to anyone else, like an unknown one, 404."""
    mailing = Mailing.objects.select_related("segment").filter(pk=pk).first()
    if mailing is None or not can_manage_mailings(user):
        raise Http404
    return mailing


def get_segment_for_user(user: Actor, pk: int) -> Segment:
    """A saved segment, for the same staff as mailings."""
    segment = Segment.objects.filter(pk=pk).first()
    if segment is None or not can_manage_mailings(user):
        raise Http404
    return segment


def can_manage_suppressions(user: Actor) -> Decision:
    """The city-wide suppression list (addresses and why) is for the resource centre's
    coordinators and the platform's administrators."""
    if not user.is_authenticated:
        return deny(_("Войдите, чтобы продолжить."))
    allowed = bool(getattr(user, "is_coordinator", False) or getattr(user, "is_superuser", False))
    return allow_if(allowed, _("Стоп-лист рассылок ведут координаторы."))


def get_suppression_for_user(user: Actor, pk: int) -> Suppression:
    """An entry of the suppression list for staff; anyone else is refused (403) whether or
    not it exists, staff get 404 for an unknown one."""
    if not can_manage_suppressions(user):
        raise PermissionDenied
    suppression = Suppression.objects.filter(pk=pk).first()
    if suppression is None:
        raise Http404
    return suppression
