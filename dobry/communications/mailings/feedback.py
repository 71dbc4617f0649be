"""What recipients did with a mailing's message after it left, matched to its delivery by
the key every message carries (`X-Dobry-Key: mailing:<key>`, and the unsubscribe link's
token): a bounce or a complaint reported by the provider or the bounce mailbox
(`communications.bounces`), an unsubscription by the link (`communications.unsubscribe`).
The mailing's statistics count them (`selectors.progress`). Each is matched by the key AND
the address, so a report naming a key cannot mark another person's delivery."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from dobry.communications.models import Delivery, normalise_email

KEY_PREFIX = "mailing:"
HARD, SOFT, COMPLAINT = "hard", "soft", "complaint"  # as communications.bounces


def delivery_key(header: str) -> str:
    """The delivery's key in an `X-Dobry-Key` value (`mailing:<key>`); "" for another
    sender's key (the outbox's) or none."""
    value = header.strip()
    if not value.startswith(KEY_PREFIX):
        return ""
    key = value.removeprefix(KEY_PREFIX)
    return key if 0 < len(key) <= 64 else ""


def _delivery(key: str, address: str) -> QuerySet[Delivery]:
    return Delivery.objects.filter(key=key, email=normalise_email(address))


def delivery_unsubscribed(key: str, address: str, at: datetime | None = None) -> bool:
    """The recipient left by this message's link: counted once (the first moment kept)."""
    if not key:
        return False
    marked = _delivery(key, address).filter(unsubscribed_at__isnull=True)
    return bool(marked.update(unsubscribed_at=at or timezone.now()))


def delivery_bounced(key: str, address: str, kind: str, at: datetime) -> bool:
    """The provider reported this message: a hard or soft bounce marks it bounced (it did
    not reach the person), a complaint marks it complained. Counted once per message."""
    if not key:
        return False
    field = "complained_at" if kind == COMPLAINT else "bounced_at"
    marked = _delivery(key, address).filter(**{f"{field}__isnull": True})
    return bool(marked.update(**{field: at}))
