"""Who may open what of the notification hub: one's own notifications only."""

from django.http import Http404

from dobry.communications.models import Notification
from dobry.core.permissions import Actor


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
