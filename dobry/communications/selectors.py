"""The notification hub's lists that pages and the API share."""

from dataclasses import dataclass

from django.db.models import QuerySet

from dobry.accounts.models import User
from dobry.communications.kinds import KINDS
from dobry.communications.models import Notification, NotificationPreference


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; only the unread ones when `unread`."""
    notifications = Notification.objects.filter(user=user)
    if unread:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-id")


@dataclass(frozen=True)
class Preference:
    """One kind of notification and whether the user gets it by email too (the in-app
    notification is always made)."""

    kind: str
    label: str
    email: bool
    email_by_default: bool


def notification_preferences(user: User) -> list[Preference]:
    """Every registered kind with the user's choice, or the kind's default where they made
    none, in the order of their labels."""
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    preferences = [
        Preference(
            kind=key,
            label=str(kind.label),
            email=saved.get(key, kind.email_by_default),
            email_by_default=kind.email_by_default,
        )
        for key, kind in KINDS.items()
    ]
    return sorted(preferences, key=lambda preference: preference.label)
