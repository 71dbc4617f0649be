"""Mailings obey the same city-wide suppression list as every other sender: a suppressed or
unsubscribed address gets nothing, and every message carries the one-click headers and link
(its token names the recipient and the «mailing» kind)."""

import pytest
from django.core import mail

from dobry.communications.mailings import delivery, services
from dobry.communications.mailings.policy import mailable_addresses
from dobry.communications.models import Delivery, Suppression
from dobry.communications.tests.mailing_factories import contact, scheduled, subscriber
from dobry.communications.unsubscribe import (
    MAILING_KIND,
    read_token,
    subscriptions_set,
    suppression_add,
)

pytestmark = pytest.mark.django_db


def test_a_suppressed_or_unsubscribed_address_is_not_mailable():
    kept, listed, dropped = subscriber(), subscriber(), subscriber()
    contact("Friend@Example.org")
    suppression_add(address=listed.email.upper(), reason=Suppression.Reason.COMPLAINT)
    subscriptions_set(address=dropped.email, keep={MAILING_KIND: False})
    suppression_add(address="friend@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    emails = [kept.email, listed.email, dropped.email, "friend@example.org"]
    assert mailable_addresses(emails) == {kept.email.lower()}


def test_a_mailing_skips_the_suppressed_and_carries_the_one_click_headers(settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    kept, listed = subscriber(), subscriber()
    suppression_add(address=listed.email, reason=Suppression.Reason.UNSUBSCRIBED)
    m = scheduled()
    services.mailing_start(m.pk)
    assert [message.to for message in mail.outbox] == [[kept.email]]
    assert delivery.counts(m)[Delivery.State.SUPPRESSED] == 1
    [message] = mail.outbox
    https = message.extra_headers["List-Unsubscribe"].split(", ")[0][1:-1]
    assert https.startswith("https://dobry.example.org/u/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert https in message.body
    token = read_token(https.rsplit("/u/", 1)[1].rstrip("/"))
    assert (token.email, token.kind) == (kept.email.lower(), MAILING_KIND)
