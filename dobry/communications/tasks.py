"""Email delivery through the task worker."""

import base64
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django_tasks import task

from dobry.communications import bounces, outbox
from dobry.communications.dkim import SignedEmail
from dobry.communications.models import OutboundEmail
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


def _unreachable(email: OutboundEmail) -> bool:
    """The recipient's account is gone, or the address may not get this kind of mail."""
    gone = email.user is not None and (not email.user.is_active or email.user.erased_at)
    return bool(gone) or not may_mail(email.to, kind=email.kind)


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
    after a success does nothing; the state is claimed under a row lock first
    (`communications.outbox`). Every change of state is a move of `OUTBOX_WORKFLOW`.

    A row for a suppressed address (the city-wide list, or unsubscribed from its kind) is
    marked suppressed unless its kind is transactional (`unsubscribe.TRANSACTIONAL_KINDS`);
    a message that is not transactional carries the one-click unsubscribe headers and
    link, and everything is DKIM-signed when configured (`communications.dkim`)."""
    email = outbox.claim(OutboundEmail, email_id, unreachable=_unreachable)
    if isinstance(email, str):
        return email
    try:
        _message(email).send()
    except Exception as error:  # the backend's errors vary (SMTP, socket, TLS)
        return outbox.failed(email, error)
    return outbox.sent(email)


@task()
def retry_failed_emails() -> int:
    """Periodic: enqueue failed emails again, up to MAX_ATTEMPTS each."""
    ids = outbox.due_for_retry(OutboundEmail, MAX_ATTEMPTS)
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
