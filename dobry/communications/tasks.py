"""Email delivery through the task worker."""

import base64
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from dobry.communications import bounces
from dobry.communications.dkim import SignedEmail
from dobry.communications.models import OUTBOX_WORKFLOW, OutboundEmail
from dobry.communications.unsubscribe import (
    list_headers,
    may_mail,
    unsubscribe_footer,
    with_unsubscribe_link,
)

MAX_ATTEMPTS = 5


def sender() -> str:
    """The From of every email: DEFAULT_FROM_EMAIL, named with the brand (DOBRY_SITE_NAME)
    unless the setting names a sender itself («Ресурсный центр <rc@example.org>»)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name:
        return str(settings.DEFAULT_FROM_EMAIL)
    return str(Address(display_name=settings.DOBRY_SITE_NAME, addr_spec=address))


def _move(email: OutboundEmail, name: str, *fields: str) -> None:
    """The outbox row's move `name` (`OUTBOX_WORKFLOW`), saved with `fields`."""
    email.state = OUTBOX_WORKFLOW.check(email.state, name).target
    email.save(update_fields=["state", *fields])


def _unreachable(email: OutboundEmail) -> bool:
    """The recipient's account is gone, or the address may not get this kind of mail."""
    gone = email.user is not None and (not email.user.is_active or email.user.erased_at)
    return bool(gone) or not may_mail(email.to, kind=email.kind)


def _claim(email_id: int) -> OutboundEmail | str:
    """Under the row lock: the row to send now (moved to «sending»), or the state the row
    is left in — already sent or being sent, suppressed now, or «missing»."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.state not in OUTBOX_WORKFLOW.move("claim").sources:
            return email.state
        if _unreachable(email):
            _move(email, "suppress")
            return email.state
        email.attempts += 1
        _move(email, "claim", "attempts")
    return email


def _message(email: OutboundEmail) -> SignedEmail:
    """The email as sent: in the recipient's language, with the unsubscribe footer, link
    and headers where its kind has them, and its attachments."""
    language = email.user.language if email.user is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        footer = unsubscribe_footer(email.to, kind=email.kind)
        html = with_unsubscribe_link(email.body_html, email.to, kind=email.kind)
    message = SignedEmail(
        subject=email.subject,
        body=email.body_text + footer,
        from_email=sender(),
        to=[email.to],
        headers={"X-Dobry-Key": email.key, **list_headers(email.to, kind=email.kind)},
    )
    if email.body_html:
        message.attach_alternative(html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["name"], base64.b64decode(attachment["base64"]), attachment["content_type"]
        )
    return message


@task()
def deliver_email(email_id: int) -> str:
    """Send one outbox row. Only a queued or failed row is sent, so a retry of the task
    after a success does nothing; the state is claimed under a row lock first. Every
    change of state is a move of `OUTBOX_WORKFLOW`.

    A row for a suppressed address (the city-wide list, or unsubscribed from its kind) is
    marked suppressed unless its kind is transactional (`unsubscribe.TRANSACTIONAL_KINDS`);
    a message that is not transactional carries the one-click unsubscribe headers and
    link, and everything is DKIM-signed when configured (`communications.dkim`)."""
    email = _claim(email_id)
    if isinstance(email, str):
        return email
    try:
        _message(email).send()
    except Exception as error:  # the backend's errors vary (SMTP, socket, TLS)
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        _move(email, "fail", "last_error")
        return email.state
    email.sent_at = timezone.now()
    _move(email, "send", "sent_at")
    return email.state


@task()
def retry_failed_emails() -> int:
    """Periodic: enqueue failed emails again, up to MAX_ATTEMPTS each."""
    ids = list(
        OutboundEmail.objects.filter(
            state=OutboundEmail.State.FAILED, attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        deliver_email.enqueue(email_id)
    return len(ids)


@task()
def read_bounces() -> dict[str, int]:
    """Periodic: empty the bounce mailbox of the settings (`bounces.empty_mailbox`); with no
    mailbox configured, nothing (`{"configured": 0}`)."""
    mailbox = bounces.configured_mailbox()
    if mailbox is None:
        return {"configured": 0}
    return {"configured": 1, **bounces.empty_mailbox(mailbox)}
