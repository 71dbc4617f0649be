"""Unsubscribing by mail: the `mailto:` form of `List-Unsubscribe` (RFC 2369).

Every non-transactional message offers `<mailto:{DOBRY_UNSUBSCRIBE_EMAIL}?subject=
unsubscribe%20{token}>` beside the HTTPS link; a mail client that uses it sends a message
there. The mailbox reader (`read_bounces`, the same IMAP/POP3 mailbox: point
DOBRY_UNSUBSCRIBE_EMAIL at it or at an alias delivered into it) takes each such request:

- the signed token in the subject (or the first lines of the text) names the address, the
  kind and the mailing's delivery — it is honoured whoever sends it, as the link is;
- without a token, an `X-Dobry-Key: mailing:<key>` in the request (a reply quoting the
  mailing's headers) names a delivery, honoured only when the request comes from that
  delivery's own address — nobody unsubscribes another person by a key.

A report from a provider (a bounce, a complaint: `multipart/report`) is never a request."""

import email
import re
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr

from dobry.communications.mailings import feedback
from dobry.communications.models import Delivery, normalise_email
from dobry.communications.unsubscribe import (
    MAILING_KIND,
    Unsubscribe,
    read_token,
    unsubscribe_all,
)
from dobry.core.errors import DomainError

REQUEST = re.compile(r"unsubscribe\s+([A-Za-z0-9_\-:.]{10,})", re.IGNORECASE)
BODY_LINES = 5


def request_in_message(raw: bytes) -> Unsubscribe | None:
    """The unsubscription a message asks for, or None (see the module's doc)."""
    message = email.message_from_bytes(raw, policy=compat32)
    if message.get_content_type() == "multipart/report":
        return None
    for text in (_decoded_subject(message), *_first_lines(message)):
        found = REQUEST.search(text)
        if found:
            try:
                return read_token(found.group(1).rstrip("."))
            except DomainError:
                continue  # a forged or broken token: perhaps a real one follows
    return _by_key(message)


def _decoded_subject(message: Message) -> str:
    parts = decode_header(str(message.get("Subject", "")))
    return "".join(
        part.decode(charset or "utf-8", errors="replace") if isinstance(part, bytes) else part
        for part, charset in parts
    )


def _first_lines(message: Message) -> list[str]:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
                return text.strip().splitlines()[:BODY_LINES]
    return []


def _by_key(message: Message) -> Unsubscribe | None:
    key = ""
    for part in message.walk():
        key = feedback.delivery_key(str(part.get("X-Dobry-Key", "")))
        if key:
            break
    _name, sender = parseaddr(str(message.get("From", "")))
    if not key or not sender:
        return None
    address = normalise_email(sender)
    if not Delivery.objects.filter(key=key, email=address).exists():
        return None
    return Unsubscribe(email=address, kind=MAILING_KIND, delivery=key)


def unsubscribe_by_mail(raws: list[bytes]) -> int:
    """Honour every request among the messages (`unsubscribe.unsubscribe_all`, idempotent);
    returns how many there were."""
    done = 0
    for raw in raws:
        request = request_in_message(raw)
        if request is not None:
            unsubscribe_all(request, via="mailto")
            done += 1
    return done
