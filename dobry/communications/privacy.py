"""Notifications, emails, Telegram, mailings and news. On erasure the person's own
notifications, emails, Telegram chat id, link codes and bot messages go; in those kept for
others (a coordinator told «Иван Петров спросил…») the person's values are replaced. Their
imported mailing contact goes; the deliveries of mailings keep counting without the address.
News they wrote and nobody has read yet (a draft, on moderation, returned) is theirs: it goes.
Published news is the organisation's or the city's publication: it stays, without its author,
and without the person's values in its title, lead, text and search copy."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.communications.models import (
    BounceScore,
    Delivery,
    MailingContact,
    NewsItem,
    Notification,
    NotificationPreference,
    OutboundEmail,
    OutboundTelegram,
    Suppression,
    TelegramLink,
    TelegramLinkCode,
    Unsubscription,
    normalise_email,
)
from dobry.communications.rendering import notifications_render
from dobry.communications.unsubscribe import erased_key
from dobry.core.erasure import Traces, scrub_rows

LIMIT = 5000  # rows of one kind in an export


def _at(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _export(user: User) -> dict[str, Any]:
    """The person's data in this app, a key per kind of row (each at most LIMIT rows)."""
    return {
        "notifications": _notifications(user),
        **_preferences(user),
        **_telegram(user),
        **_lists(user),
        "emails_sent": _emails(user),
        "mailings_received": _deliveries(user),
        "mailing_contact": _contacts(user),
        "news_written": [
            {"title": n.title, "status": n.status, "created_at": n.created_at.isoformat()}
            for n in NewsItem.objects.filter(author=user).order_by("pk")[:LIMIT]
        ],
    }


def _notifications(user: User) -> list[dict[str, Any]]:
    """The bell's notifications, rendered in the active language."""
    rows = notifications_render(list(Notification.objects.filter(user=user)[:LIMIT]))
    return [
        {
            "kind": n.kind,
            "title": n.title,
            "created_at": n.created_at.isoformat(),
            "read_at": _at(n.read_at),
        }
        for n in rows
    ]


def _preferences(user: User) -> dict[str, dict[str, bool]]:
    """The channels chosen per kind: email and Telegram."""
    prefs = list(NotificationPreference.objects.filter(user=user))
    return {
        "email_preferences": {p.kind: p.email for p in prefs},
        "telegram_preferences": {p.kind: p.telegram for p in prefs},
    }


def _telegram(user: User) -> dict[str, list[dict[str, Any]]]:
    """The linked chat and the bot's messages."""
    return {
        "telegram": [
            {"chat_id": link.chat_id, "linked_at": link.linked_at.isoformat()}
            for link in TelegramLink.objects.filter(user=user)
        ],
        "telegram_messages": [
            {"text": m.text, "state": m.state, "created_at": m.created_at.isoformat()}
            for m in OutboundTelegram.objects.filter(user=user)[:LIMIT]
        ],
    }


def _lists(user: User) -> dict[str, list[str]]:
    """The kinds the address is unsubscribed from, and why it is suppressed."""
    email = normalise_email(user.email)
    return {
        "unsubscribed_from": list(
            Unsubscription.objects.filter(email=email).values_list("kind", flat=True)
        ),
        "suppressed": list(
            Suppression.objects.filter(email=email).values_list("reason", flat=True)
        ),
    }


def _emails(user: User) -> list[dict[str, Any]]:
    """The outbox rows to the person's account or address."""
    rows = OutboundEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email))[:LIMIT]
    return [
        {"subject": e.subject, "state": e.state, "created_at": e.created_at.isoformat()}
        for e in rows
    ]


def _deliveries(user: User) -> list[dict[str, Any]]:
    """The mailings delivered (or not) to the person's account or address."""
    rows = Delivery.objects.filter(Q(user=user) | Q(email=normalise_email(user.email)))
    return [
        {"subject": d.mailing.subject, "state": d.state, "sent_at": _at(d.sent_at)}
        for d in rows.select_related("mailing")[:LIMIT]
    ]


def _contacts(user: User) -> list[dict[str, Any]]:
    """The imported mailing contact with the person's address, as imported."""
    rows = MailingContact.objects.filter(email=normalise_email(user.email))
    return [
        {
            "email": c.email,
            "name": c.name,
            "district": str(c.district) if c.district_id else None,
            "interests": c.interests,
            "source": c.source,
            "created_at": c.created_at.isoformat(),
            "invited_at": _at(c.invited_at),
            "confirmed_at": _at(c.confirmed_at),
        }
        for c in rows.select_related("district")
    ]


def _erase(user: User) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    addresses = Q(to__iexact=user.email)
    for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True):
        addresses |= Q(to__iexact=email)
    OutboundEmail.objects.filter(Q(user=user) | addresses).delete()
    _erase_telegram(user)
    _erase_from_lists(user)
    _erase_from_mailings(user)
    _erase_news(user)


# News nobody outside has read: the author's own unfinished text.
UNPUBLISHED_NEWS = (
    NewsItem.Status.DRAFT,
    NewsItem.Status.MODERATION,
    NewsItem.Status.RETURNED,
)


def _erase_news(user: User) -> None:
    # their covers go with the rows (core.file_lifecycle)
    NewsItem.objects.filter(author=user, status__in=UNPUBLISHED_NEWS).delete()
    NewsItem.objects.filter(author=user).update(author=None)


def _erase_telegram(user: User) -> None:
    """The chat id goes with the link, and every message the bot sent or meant to send to
    that chat (a chat once linked to the person is theirs)."""
    chats = set(TelegramLink.objects.filter(user=user).values_list("chat_id", flat=True))
    OutboundTelegram.objects.filter(Q(user=user) | Q(chat_id__in=chats)).delete()
    TelegramLink.objects.filter(user=user).delete()
    TelegramLinkCode.objects.filter(user=user).delete()


def _erase_from_lists(user: User) -> None:
    """The suppression list keeps refusing the address without keeping it: the address
    becomes its keyed hash (`unsubscribe.erased_key`); unsubscriptions and bounce scores go."""
    emails = {normalise_email(user.email)}
    emails |= {
        normalise_email(e)
        for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    Unsubscription.objects.filter(email__in=emails).delete()
    BounceScore.objects.filter(email__in=emails).delete()
    for suppression in Suppression.objects.filter(email__in=emails):
        suppression.email, suppression.source = erased_key(suppression.email), ""
        suppression.save(update_fields=["email", "source"])


def _erase_from_mailings(user: User) -> None:
    """A mailing's delivery keeps counting in its statistics and the reach (indicator 2)
    without the address: the address becomes its keyed hash, the account and the last SMTP
    error (which may quote it) go. An imported contact with the person's address is the
    person's own record: it goes."""
    emails = {normalise_email(user.email)}
    emails |= {
        normalise_email(e)
        for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    # Rows kept before addresses were normalised, or typed by staff in the admin, may
    # spell the address in capitals: matched in any case.
    spelled = Q()
    for email in emails:
        spelled |= Q(email__iexact=email)
    rows = Delivery.objects.filter(Q(user=user) | spelled)
    for email in set(rows.values_list("email", flat=True)):
        rows.filter(email=email).update(
            email=erased_key(normalise_email(email)), user=None, last_error=""
        )
    MailingContact.objects.filter(spelled).delete()


def _copies(traces: Traces) -> None:
    scrub_rows(Notification.objects.all(), ["stored_title", "stored_body", "params"], traces)
    fields = ["subject", "body_text", "body_html", "attachments", "last_error"]
    scrub_rows(OutboundEmail.objects.all(), fields, traces)
    # News kept for readers (published by the person, or naming them); the search copy
    # follows (`scrub_rows` refolds it).
    news = ["title", "lead", "body", "cover_alt", "return_reason"]
    scrub_rows(NewsItem.objects.all(), news, traces)
    # Contacts imported by others keep their own address; a note naming the person goes.
    scrub_rows(MailingContact.objects.all(), ["name", "source"], traces)
    scrub_rows(OutboundTelegram.objects.all(), ["text", "last_error"], traces)


personal_data.register(
    "communications",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "communications.Notification.user": "communications.notifications",
        "communications.NotificationPreference.user": "communications.email_preferences",
        "communications.OutboundEmail.user": "communications.emails_sent",
        "communications.Delivery.user": "communications.mailings_received",
        "communications.NewsItem.author": "communications.news_written",
        "communications.TelegramLink.user": "communications.telegram",
        "communications.OutboundTelegram.user": "communications.telegram_messages",
    },
)
personal_data.not_personal(
    {
        "communications.MailingContact.imported_by": "a coordinator's work: the contact is the "
        "addressee's (their «mailing_contact»); importing it is in the coordinator's actions",
        "communications.Segment.created_by": "a coordinator's work: a mailing audience's rules; "
        "creating it is in the coordinator's actions",
        "communications.Mailing.created_by": "a coordinator's work: the mailing is the "
        "centre's; its deliveries are in each addressee's export",
        "communications.TelegramLinkCode.user": "the hash of a one-time secret, useless once "
        "used or expired; the link it made is in «telegram»",
        "communications.ChannelPost.approved_by": "a coordinator's work: the post is the "
        "city's; approving it is in the coordinator's actions",
    }
)
