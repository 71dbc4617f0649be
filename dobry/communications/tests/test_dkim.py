"""DKIM: with the three settings, the outbox signs every message, `List-Unsubscribe` and
`List-Unsubscribe-Post` among the signed headers; the signature verifies with dkimpy against
the public key (DNS replaced by `dnsfunc`), and fails once a signed header is altered."""

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import mail

from dobry.communications.dkim import as_sent
from dobry.communications.services import email_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def dkim_key(tmp_path, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings.DOBRY_DKIM_SELECTOR = "dobry"
    settings.DOBRY_DKIM_DOMAIN = "dobry.example.org"
    settings.DOBRY_DKIM_PRIVATE_KEY_FILE = str(path)
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"dobry._domainkey.dobry.example.org."
        return record

    return dnsfunc


def sent_bytes() -> bytes:
    [message] = mail.outbox
    return as_sent(message.message())


def test_a_mailing_kind_is_signed_with_the_unsubscribe_headers_covered(dkim_key):
    email_queue(
        key="d1", to="anna@example.org", subject="Новости", body_text="Текст", kind="weekly_digest"
    )
    raw = sent_bytes()
    assert dkim.verify(raw, dnsfunc=dkim_key)
    signature = raw.split(b"DKIM-Signature:", 1)[1].split(b"\r\n\r\n", 1)[0]
    signed = b"".join(signature.split()).split(b"h=", 1)[1].split(b";", 1)[0].lower()
    assert b"list-unsubscribe" in signed.split(b":")
    assert b"list-unsubscribe-post" in signed.split(b":")
    assert b"d=dobry.example.org" in b"".join(signature.split())


def test_altering_a_signed_header_breaks_the_signature(dkim_key):
    email_queue(
        key="d2", to="anna@example.org", subject="Тема", body_text="Т", kind="weekly_digest"
    )
    raw = sent_bytes()
    tampered = raw.replace(
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"
    )
    assert tampered != raw
    assert not dkim.verify(tampered, dnsfunc=dkim_key)


def test_a_transactional_message_with_html_is_signed_too(dkim_key):
    email_queue(
        key="d3",
        to="a@example.org",
        subject="Вход",
        body_text="Код",
        body_html="<p>Код</p>",
        kind="account",
    )
    assert dkim.verify(sent_bytes(), dnsfunc=dkim_key)


def test_without_the_settings_nothing_is_signed(settings):
    settings.DOBRY_DKIM_PRIVATE_KEY_FILE = ""
    email_queue(key="d4", to="a@example.org", subject="Т", body_text="Т", kind="weekly_digest")
    assert b"DKIM-Signature" not in sent_bytes()
