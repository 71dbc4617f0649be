"""The communications app's tables, a module per sub-domain: the notification hub and the
outbox (`notifications.py`), news (`news.py`), mailings (`mailings.py`), the suppression
list (`suppression.py`), a person's Telegram (`telegram.py`), the posts to the city's
channels (`channels.py`). Everything is re-exported here, so
`from dobry.communications.models import Notification` works whichever module holds it;
a new sub-domain adds its own module and a line below."""

from dobry.communications.models.channels import (
    CHANNEL_POST_WORKFLOW,
    ChannelPost,
    ChannelPostQuerySet,
)
from dobry.communications.models.mailings import (
    DELIVERY_WORKFLOW,
    MAILING_WORKFLOW,
    Delivery,
    Mailing,
    MailingContact,
    Segment,
    SendingAllowance,
)
from dobry.communications.models.news import (
    NEWS_WORKFLOW,
    NewsItem,
    NewsItemQuerySet,
    NewsTag,
)
from dobry.communications.models.notifications import (
    OUTBOX_WORKFLOW,
    Notification,
    NotificationPreference,
    NotificationQuerySet,
    OutboundEmail,
)
from dobry.communications.models.suppression import (
    BounceScore,
    Suppression,
    Unsubscription,
    normalise_email,
)
from dobry.communications.models.telegram import (
    OutboundTelegram,
    TelegramLink,
    TelegramLinkCode,
)

__all__ = [
    "CHANNEL_POST_WORKFLOW",
    "DELIVERY_WORKFLOW",
    "MAILING_WORKFLOW",
    "NEWS_WORKFLOW",
    "OUTBOX_WORKFLOW",
    "BounceScore",
    "ChannelPost",
    "ChannelPostQuerySet",
    "Delivery",
    "Mailing",
    "MailingContact",
    "NewsItem",
    "NewsItemQuerySet",
    "NewsTag",
    "Notification",
    "NotificationPreference",
    "NotificationQuerySet",
    "OutboundEmail",
    "OutboundTelegram",
    "Segment",
    "SendingAllowance",
    "Suppression",
    "TelegramLink",
    "TelegramLinkCode",
    "Unsubscription",
    "normalise_email",
]
