"""DKIM signatures on outgoing email (RFC 6376), with `dkimpy`.

When `DOBRY_DKIM_SELECTOR`, `DOBRY_DKIM_DOMAIN` and `DOBRY_DKIM_PRIVATE_KEY_FILE` are all
set, every message the outbox sends is signed; the signed headers include
`List-Unsubscribe` and `List-Unsubscribe-Post`, which large providers honour only when a
valid signature covers them (RFC 8058 §4)."""

from email.generator import BytesGenerator
from email.message import Message
from functools import cache
from io import BytesIO
from pathlib import Path

import dkim
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

SIGNED_HEADERS = (
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"MIME-Version",
    b"Content-Type",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
)


def dkim_configured() -> bool:
    return bool(
        settings.DOBRY_DKIM_SELECTOR
        and settings.DOBRY_DKIM_DOMAIN
        and settings.DOBRY_DKIM_PRIVATE_KEY_FILE
    )


@cache
def _read_key(path: str) -> bytes:
    return Path(path).read_bytes()


def dkim_signature(message_bytes: bytes) -> bytes:
    """The `DKIM-Signature: …` header line (no trailing CRLF) for a message as it will be
    sent (CRLF line ends), relaxed/relaxed canonicalisation."""
    signature = dkim.sign(
        message_bytes,
        settings.DOBRY_DKIM_SELECTOR.encode(),
        settings.DOBRY_DKIM_DOMAIN.encode(),
        _read_key(settings.DOBRY_DKIM_PRIVATE_KEY_FILE),
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=[h for h in SIGNED_HEADERS if _has_header(message_bytes, h)],
    )
    return signature.rstrip(b"\r\n")


def _has_header(message_bytes: bytes, name: bytes) -> bool:
    head = message_bytes.split(b"\r\n\r\n", 1)[0].lower()
    return head.startswith(name.lower() + b":") or (b"\r\n" + name.lower() + b":") in head


class SignedEmail(EmailMultiAlternatives):
    """An email that adds its DKIM signature when built for sending (when configured).

    Django's backends send `message().as_bytes(linesep="\\r\\n")`; the signature is made
    over exactly those bytes, then its header is put first."""

    def message(self) -> Message:  # type: ignore[override]
        built = super().message()
        if dkim_configured():
            sign_built(built)
        return built


def as_sent(built: Message) -> bytes:
    """The bytes Django's SMTP backend sends (`as_bytes(linesep="\\r\\n")`, no From_
    mangling)."""
    buffer = BytesIO()
    BytesGenerator(buffer, mangle_from_=False).flatten(built, linesep="\r\n")
    return buffer.getvalue()


def sign_built(built: Message) -> None:
    """Sign a message object in place (the signature header is added; verifiers find it
    wherever it stands, and relaxed canonicalisation survives the header's refolding)."""
    raw = as_sent(built)
    name, value = dkim_signature(raw).split(b":", 1)
    built[name.decode()] = b" ".join(line.strip() for line in value.split(b"\r\n")).decode()
