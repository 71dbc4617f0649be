"""Unsubscribing by the `mailto:` form of List-Unsubscribe: the request a mail client
sends to the unsubscribe mailbox is read by `read_bounces` (IMAP and POP3, against the
local test servers) and honoured by its signed token, or by the delivery's key when it
comes from that delivery's own address; forged tokens, other senders and provider
reports are not requests."""

from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications.mailings import delivery, services
from dobry.communications.models import Delivery, Mailing, Suppression
from dobry.communications.tests.mailbox_servers import IMAPHandler, POP3Handler, Store, serving
from dobry.communications.tests.mailing_factories import mailing, subscriber
from dobry.communications.unsubscribe import may_mail
from dobry.communications.unsubscribe_mail import request_in_message, unsubscribe_by_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mailing_settings(settings):
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_UNSUBSCRIBE_EMAIL = "Отписка <leave@dobry.example.org>"
    settings.DOBRY_BOUNCE_MAILBOX_PASSWORD = "pw"


def sent_to(*addresses: str) -> Mailing:
    for address in addresses:
        if not User.objects.filter(email=address).exists():
            subscriber(email=address)
    m = mailing(status=Mailing.Status.SCHEDULED, scheduled_at=timezone.now())
    services.mailing_start(m.pk)
    delivery.run(m.pk)
    return m


def mailto_of(address: str) -> tuple[str, str]:
    """The (mailbox, subject) of the mailto form in the message the address got."""
    message = next(m for m in mail.outbox if m.to == [address])
    header = message.extra_headers["List-Unsubscribe"]
    mailto = next(p.strip("<> ") for p in header.split(",") if "mailto:" in p)
    mailbox, _sep, query = mailto.removeprefix("mailto:").partition("?subject=")
    return mailbox, unquote(query)


def request(sender: str, to: str, subject: str, body: str = "", extra: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n{extra}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.mark.parametrize(("protocol", "handler"), [("pop3", POP3Handler), ("imap", IMAPHandler)])
def test_a_request_to_the_mailto_address_unsubscribes_and_counts(protocol, handler, capsys):
    m = sent_to("anna@example.org", "ivan@example.org")
    mailbox, subject = mailto_of("anna@example.org")
    assert mailbox == "leave@dobry.example.org"
    assert subject.startswith("unsubscribe ")
    store = Store([request("anna@example.org", mailbox, subject)], user="bounces", password="pw")
    with serving(handler, store) as port:
        call_command("read_bounces", f"--protocol={protocol}", "--host=127.0.0.1",
                     f"--port={port}", "--user=bounces", "--no-ssl")  # fmt: skip
    assert "unsubscribed=1" in capsys.readouterr().out
    assert store.left == []
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.source) == ("anna@example.org", "mailto:mailing")
    assert not may_mail("anna@example.org", kind="mailing")
    assert may_mail("ivan@example.org", kind="mailing")
    row = m.deliveries.get(email="anna@example.org")
    assert row.unsubscribed_at is not None


def test_the_token_counts_whoever_forwards_it_and_in_the_first_lines_too():
    sent_to("anna@example.org")
    mailbox, subject = mailto_of("anna@example.org")
    forwarded = request("helper@example.org", mailbox, "Fwd: please", body=subject)
    assert request_in_message(forwarded).email == "anna@example.org"
    assert unsubscribe_by_mail([forwarded]) == 1
    assert Suppression.objects.filter(email="anna@example.org").exists()


def test_a_forged_or_broken_token_is_no_request():
    sent_to("anna@example.org")
    mailbox, subject = mailto_of("anna@example.org")
    forged = subject[:-3] + ("abc" if not subject.endswith("abc") else "xyz")
    raws = [request("x@example.org", mailbox, forged), request("x@example.org", mailbox, "hi")]
    assert unsubscribe_by_mail(raws) == 0
    assert not Suppression.objects.exists()


def test_a_reply_with_the_key_counts_only_from_the_deliverys_own_address():
    m = sent_to("anna@example.org")
    key = f"X-Dobry-Key: mailing:{m.deliveries.get().key}\r\n"
    stranger = request("eve@example.org", "leave@dobry.example.org", "Re: news", extra=key)
    own = request("Anna <Anna@Example.org>", "leave@dobry.example.org", "Re: news", extra=key)
    unknown = request(
        "anna@example.org", "leave@dobry.example.org", "Re", extra="X-Dobry-Key: mailing:nope\r\n"
    )
    assert request_in_message(stranger) is None
    assert request_in_message(unknown) is None
    found = request_in_message(own)
    assert (found.email, found.delivery) == ("anna@example.org", m.deliveries.get().key)
    assert unsubscribe_by_mail([stranger, own]) == 1
    assert m.deliveries.get().unsubscribed_at is not None


def test_a_provider_report_quoting_the_message_is_not_a_request():
    m = sent_to("anna@example.org")
    _mailbox, subject = mailto_of("anna@example.org")
    report = (
        "From: MAILER-DAEMON@mail.example.net\r\nSubject: " + subject + "\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"X-Dobry-Key: mailing:{m.deliveries.get().key}\r\n\r\n--B--\r\n"
    ).encode()
    assert request_in_message(report) is None
    assert Delivery.objects.get().unsubscribed_at is None
