"""Bounces and complaints from the mail provider, scored like Mailman's bounce processing.

A hard bounce adds 1.0 to the address's score, a soft one 0.5, at most one per city day
(a provider retrying all day is one bad day, not twenty). After `DOBRY_BOUNCE_STALE_DAYS`
without a bounce the score starts again from zero. At `DOBRY_BOUNCE_THRESHOLD` the address
goes on the city-wide suppression list («письма не доходят»); a complaint (the person
pressed «Спам») suppresses at once.

Two ways in: the provider's webhook (`bounce_webhook` view, a shared secret) and the
`read_bounces` command, which reads a bounce mailbox over IMAP or POP3 and takes the
failed recipients from each DSN's `message/delivery-status` part (RFC 3464)."""

import email
import imaplib
import poplib
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from email.message import Message
from email.policy import compat32

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dobry.communications.mailings import feedback
from dobry.communications.models import BounceScore, Suppression, normalise_email
from dobry.communications.unsubscribe import suppression_add
from dobry.communications.unsubscribe_mail import unsubscribe_by_mail
from dobry.core.clock import local_date

HARD, SOFT, COMPLAINT = "hard", "soft", "complaint"
WEIGHTS = {HARD: Decimal("1.0"), SOFT: Decimal("0.5")}


@dataclass(frozen=True)
class Bounce:
    address: str
    type: str  # HARD, SOFT or COMPLAINT
    at: datetime
    key: str = ""  # the reported message's X-Dobry-Key, when the report quotes it


def bounce_record(bounce: Bounce, *, source: str) -> BounceScore | Suppression | None:
    """Score one bounce (or act on a complaint); returns the suppression when the address
    was put on the list, else the updated score (None for a bounce already counted today).
    """
    address = normalise_email(bounce.address)
    feedback.delivery_bounced(feedback.delivery_key(bounce.key), address, bounce.type, bounce.at)
    if bounce.type == COMPLAINT:
        return suppression_add(address=address, reason=Suppression.Reason.COMPLAINT, source=source)
    day = local_date(bounce.at)
    with transaction.atomic():
        score = BounceScore.objects.select_for_update().filter(email=address).first()
        if score is None:
            score = BounceScore(email=address, last_bounce_on=day)
        elif day <= score.last_bounce_on:
            return None  # once a day; an older report changes nothing either
        elif _stale(score.last_bounce_on, day):
            score.score = Decimal(0)
        score.score += WEIGHTS[bounce.type]
        score.last_bounce_on = day
        score.bounces += 1
        score.save()
        if score.score >= settings.DOBRY_BOUNCE_THRESHOLD:
            note = f"{source}; score {score.score}"
            return suppression_add(
                address=address, reason=Suppression.Reason.HARD_BOUNCE, source=note
            )
    return score


def _stale(last: date, day: date) -> bool:
    return (day - last).days > settings.DOBRY_BOUNCE_STALE_DAYS


# --- reading a bounce mailbox ---------------------------------------------------------


def bounces_in_message(raw: bytes, *, received: datetime) -> list[Bounce]:
    """The failed recipients a DSN reports (RFC 3464): each per-recipient block of its
    `message/delivery-status` part with `Action: failed` is a bounce, hard for a 5.x.x
    status and soft for 4.x.x; `Action: delayed` is soft. An ARF report (`feedback-report`,
    RFC 5965) is a complaint about its `Original-Rcpt-To`. Anything else: none."""
    message = email.message_from_bytes(raw, policy=compat32)
    found: list[Bounce] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            found += _from_delivery_status(part, received)
        elif content_type == "message/feedback-report":
            found += _from_feedback_report(part, received)
    key = _returned_key(message)
    return [replace(bounce, key=key) for bounce in found] if key else found


def _returned_key(message: Message) -> str:
    """The `X-Dobry-Key` of the message a report is about, from the copy it returns (RFC
    3464 and RFC 5965 attach it whole, `message/rfc822`, or its headers only,
    `text/rfc822-headers`); "" when it returns none."""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message) and inner.get("X-Dobry-Key"):
                return str(inner["X-Dobry-Key"]).strip()
        elif content_type == "text/rfc822-headers":
            text = part.get_payload(decode=True) or b""
            headers = email.message_from_bytes(bytes(text), policy=compat32)
            if headers.get("X-Dobry-Key"):
                return str(headers["X-Dobry-Key"]).strip()
    return ""


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses the fields into blocks
        return [block for block in payload if isinstance(block, Message)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(chunk) for chunk in text.replace("\r\n", "\n").split("\n\n")]


def _from_delivery_status(part: Message, received: datetime) -> list[Bounce]:
    found = []
    for block in _blocks(part)[1:]:  # the first block is about the message
        recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).strip()
        address = recipient.split(";", 1)[-1].strip()
        if "@" not in address or action not in ("failed", "delayed"):
            continue
        hard = action == "failed" and status.startswith("5")
        found.append(Bounce(address=address, type=HARD if hard else SOFT, at=received))
    return found


def _from_feedback_report(part: Message, received: datetime) -> list[Bounce]:
    found = []
    for block in _blocks(part):
        address = str(block.get("Original-Rcpt-To", "")).strip()
        if "@" in address:
            found.append(Bounce(address=address, type=COMPLAINT, at=received))
    return found


@dataclass(frozen=True)
class Mailbox:
    protocol: str  # "imap" or "pop3"
    host: str
    port: int
    user: str
    password: str
    ssl: bool = True


DEFAULT_PORTS = {
    ("imap", True): 993,
    ("imap", False): 143,
    ("pop3", True): 995,
    ("pop3", False): 110,
}


def configured_mailbox() -> Mailbox | None:
    """The bounce mailbox of the settings (`DOBRY_BOUNCE_MAILBOX_*`), or None when no host
    and user are set (the periodic job then does nothing)."""
    if not (settings.DOBRY_BOUNCE_MAILBOX_HOST and settings.DOBRY_BOUNCE_MAILBOX_USER):
        return None
    protocol, ssl = settings.DOBRY_BOUNCE_MAILBOX_PROTOCOL, settings.DOBRY_BOUNCE_MAILBOX_SSL
    return Mailbox(
        protocol=protocol,
        host=settings.DOBRY_BOUNCE_MAILBOX_HOST,
        port=settings.DOBRY_BOUNCE_MAILBOX_PORT or DEFAULT_PORTS[(protocol, ssl)],
        user=settings.DOBRY_BOUNCE_MAILBOX_USER,
        password=settings.DOBRY_BOUNCE_MAILBOX_PASSWORD,
        ssl=ssl,
    )


def empty_mailbox(mailbox: Mailbox) -> dict[str, int]:
    """Read the mailbox, score each bounce and complaint it holds (matched to a mailing's
    delivery when the report returns the message's key), honour the unsubscribe requests
    sent to the `List-Unsubscribe` mailto address (`unsubscribe_mail`), and delete what
    was read. Returns how many messages, bounces, newly suppressed addresses and
    unsubscribe requests there were."""
    raws = fetch_mailbox(mailbox)
    received = timezone.now()
    found = [b for raw in raws for b in bounces_in_message(raw, received=received)]
    suppressed = 0
    for bounce in found:
        result = bounce_record(bounce, source=f"mailbox:{mailbox.protocol}")
        suppressed += isinstance(result, Suppression)
    unsubscribed = unsubscribe_by_mail(raws)
    return {
        "messages": len(raws),
        "bounces": len(found),
        "suppressed": suppressed,
        "unsubscribed": unsubscribed,
    }


def fetch_mailbox(mailbox: Mailbox) -> list[bytes]:
    """Fetch every message of the mailbox and delete the messages fetched (a mailbox of
    bounces is a queue, not an archive)."""
    return _read_imap(mailbox) if mailbox.protocol == "imap" else _read_pop3(mailbox)


def _read_imap(mailbox: Mailbox) -> list[bytes]:
    client_class = imaplib.IMAP4_SSL if mailbox.ssl else imaplib.IMAP4
    client = client_class(mailbox.host, mailbox.port)
    try:
        client.login(mailbox.user, mailbox.password)
        client.select("INBOX")
        _status, data = client.search(None, "ALL")
        raws = []
        for number in (data[0] or b"").decode().split():
            _status, parts = client.fetch(number, "(RFC822)")
            raws += [part[1] for part in parts if isinstance(part, tuple)]
            client.store(number, "+FLAGS", "\\Deleted")
        client.expunge()
        return raws
    finally:
        client.logout()


def _read_pop3(mailbox: Mailbox) -> list[bytes]:
    client_class = poplib.POP3_SSL if mailbox.ssl else poplib.POP3
    client = client_class(mailbox.host, mailbox.port)
    try:
        client.user(mailbox.user)
        client.pass_(mailbox.password)
        count, _size = client.stat()
        raws = []
        for number in range(1, count + 1):
            _response, lines, _octets = client.retr(number)
            raws.append(b"\r\n".join(lines))
            client.dele(number)
        return raws
    finally:
        client.quit()
