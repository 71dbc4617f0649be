"""The communications app's tables, a module per sub-domain: the notification hub and the
outbox (`notifications.py`), news (`news.py`). Everything is re-exported here, so
`from dobry.communications.models import Notification` works whichever module holds it;
a new sub-domain (mailings, channels) adds its own module and a line below."""

from dobry.communications.models.notifications import (
    Notification,
    NotificationPreference,
    NotificationQuerySet,
    OutboundEmail,
)

__all__ = [
    "Notification",
    "NotificationPreference",
    "NotificationQuerySet",
    "OutboundEmail",
]
