"""Notifications and emails. On erasure the person's own go; in those kept for others
(a coordinator told «Иван Петров спросил…») the person's values are replaced."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.communications.models import Notification, NotificationPreference, OutboundEmail
from dobry.core.erasure import Traces, scrub_rows


def _export(user: User) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user)[:5000]
        ],
        "email_preferences": {
            p.kind: p.email for p in NotificationPreference.objects.filter(user=user)
        },
        "emails_sent": [
            {"subject": e.subject, "state": e.state, "created_at": e.created_at.isoformat()}
            for e in OutboundEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email))[:5000]
        ],
    }


def _erase(user: User) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    addresses = Q(to__iexact=user.email)
    for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True):
        addresses |= Q(to__iexact=email)
    OutboundEmail.objects.filter(Q(user=user) | addresses).delete()


def _copies(traces: Traces) -> None:
    scrub_rows(Notification.objects.all(), ["title", "body"], traces)
    fields = ["subject", "body_text", "body_html", "attachments", "last_error"]
    scrub_rows(OutboundEmail.objects.all(), fields, traces)


personal_data.register("communications", export=_export, erase=_erase, copies=_copies)
