"""What happened to a mailing's messages after they left, in its statistics: a bounce or
a complaint matched back to its delivery by the `X-Dobry-Key` the message carried (the
provider's webhook, a DSN or an ARF report in the bounce mailbox), and an unsubscription by
the message's own link — one click, the page's «keep only…», or the API."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications.bounces import Bounce, bounce_record, bounces_in_message
from dobry.communications.mailings import delivery, feedback, selectors
from dobry.communications.models import Delivery, Mailing, Suppression
from dobry.communications.tests.mailing_factories import mailing, subscriber
from dobry.communications.unsubscribe import MAILING_KIND, read_token, unsubscribe_token

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
SECRET = "s3cret-of-the-provider"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_BOUNCE_WEBHOOK_SECRET = SECRET
    settings.DOBRY_BOUNCE_THRESHOLD = 5


def sent(*addresses: str) -> Mailing:
    """A mailing sent by the worker to these subscribers (its messages in mail.outbox)."""
    for address in addresses:
        if not User.objects.filter(email=address).exists():
            subscriber(email=address)
    m = mailing(status=Mailing.Status.SCHEDULED, scheduled_at=timezone.now())
    from dobry.communications.mailings import services

    services.mailing_start(m.pk)
    delivery.run(m.pk)
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    return m


def message_to(address: str):  # type: ignore[no-untyped-def]
    return next(message for message in mail.outbox if message.to == [address])


def stats(m: Mailing) -> dict[str, int]:
    return selectors.progress(m)["stats"]


def link_token(address: str) -> str:
    header = message_to(address).extra_headers["List-Unsubscribe"]
    return re.search(r"/u/([^/>]+)/>", header).group(1)


# --- the key a message carries --------------------------------------------------------------


def test_each_message_carries_its_deliverys_key_and_link():
    m = sent("anna@example.org")
    row = m.deliveries.get()
    message = message_to("anna@example.org")
    assert message.extra_headers["X-Dobry-Key"] == f"mailing:{row.key}"
    token = read_token(link_token("anna@example.org"))
    assert (token.email, token.kind, token.delivery) == ("anna@example.org", MAILING_KIND, row.key)
    assert f"/u/{link_token('anna@example.org')}/" in message.body


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("mailing:abc123", "abc123"),
        (" mailing:abc123 \r\n", "abc123"),
        ("abc123", ""),  # the outbox's own key: not a mailing's
        ("mailing:", ""),
        ("mailing:" + "x" * 65, ""),
        ("", ""),
    ],
)
def test_only_a_mailings_key_is_read_from_the_header(header, key):
    assert feedback.delivery_key(header) == key


# --- unsubscribing by the message's link ------------------------------------------------------


def test_the_one_click_post_counts_in_the_mailing_that_carried_the_link():
    m = sent("anna@example.org", "boris@example.org")
    other = sent("anna@example.org")
    response = Client().post(f"/u/{link_token('anna@example.org')}/")
    assert response.status_code == 200
    assert stats(m)["unsubscribed"] == 1
    assert stats(other)["unsubscribed"] == 0
    assert Suppression.objects.get().email == "anna@example.org"
    Client().post(f"/u/{link_token('anna@example.org')}/")  # again: still one
    assert stats(m)["unsubscribed"] == 1


def test_dropping_mailings_on_the_link_page_counts_and_keeping_them_does_not():
    m = sent("anna@example.org", "boris@example.org")
    anna, boris = link_token("anna@example.org"), link_token("boris@example.org")
    page = Client().post(f"/u/{anna}/keep/", {"weekly_digest": "on"})
    assert page.status_code == 200
    assert stats(m)["unsubscribed"] == 1
    Client().post(f"/u/{boris}/keep/", {MAILING_KIND: "on"})
    assert stats(m)["unsubscribed"] == 1


def test_unsubscribing_by_token_through_the_api_counts_too():
    m = sent("anna@example.org")
    response = Client().post(
        "/api/v1/unsubscribe",
        json.dumps({"token": link_token("anna@example.org")}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert stats(m)["unsubscribed"] == 1


def test_a_token_naming_another_persons_delivery_marks_nothing():
    m = sent("anna@example.org", "boris@example.org")
    anna_row = m.deliveries.get(email="anna@example.org")
    forged = unsubscribe_token("boris@example.org", kind=MAILING_KIND, delivery=anna_row.key)
    Client().post(f"/u/{forged}/")
    assert stats(m)["unsubscribed"] == 0


def test_the_first_moment_of_leaving_is_kept():
    m = sent("anna@example.org")
    row = m.deliveries.get()
    assert feedback.delivery_unsubscribed(row.key, "Anna@Example.org", at=DAY)
    assert not feedback.delivery_unsubscribed(row.key, "anna@example.org", at=DAY + timedelta(1))
    row.refresh_from_db()
    assert row.unsubscribed_at == DAY
    assert not feedback.delivery_unsubscribed("", "anna@example.org")


# --- bounces and complaints ------------------------------------------------------------------


def webhook(body: object) -> object:
    return Client().post(
        reverse("suppression:bounce_webhook"),
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-Dobry-Bounce-Secret": SECRET},
    )


def test_the_webhooks_key_matches_a_bounce_and_a_complaint_to_their_messages():
    m = sent("anna@example.org", "boris@example.org", "vera@example.org")
    key = {row.email: f"mailing:{row.key}" for row in m.deliveries.all()}
    response = webhook(
        [
            {"address": "anna@example.org", "type": "hard", "key": key["anna@example.org"]},
            {"address": "boris@example.org", "type": "complaint", "key": key["boris@example.org"]},
            {"address": "vera@example.org", "type": "soft"},  # no key: scored, not matched
        ]
    )
    assert response.json() == {"recorded": 3}
    assert (stats(m)["bounced"], stats(m)["complained"]) == (1, 1)
    assert m.deliveries.get(email="anna@example.org").bounced_at is not None
    assert Suppression.objects.get().email == "boris@example.org"


@pytest.mark.parametrize("key", [5, ["mailing:x"], "k" * 101])
def test_a_key_that_is_not_a_header_value_is_a_400(key):
    response = webhook({"address": "anna@example.org", "type": "hard", "key": key})
    assert response.status_code == 400
    assert "X-Dobry-Key" in response.json()["message"]


def test_a_reported_key_with_another_address_marks_nothing():
    m = sent("anna@example.org", "boris@example.org")
    anna = m.deliveries.get(email="anna@example.org")
    bounce_record(
        Bounce("boris@example.org", "hard", DAY, key=f"mailing:{anna.key}"), source="test"
    )
    assert stats(m)["bounced"] == 0


def test_a_message_counts_as_bounced_once_however_often_reported():
    m = sent("anna@example.org")
    key = f"mailing:{m.deliveries.get().key}"
    for day in range(3):
        bounce_record(
            Bounce("anna@example.org", "soft", DAY + timedelta(days=day), key), source="t"
        )
    row = m.deliveries.get()
    assert row.bounced_at == DAY
    assert stats(m)["bounced"] == 1


def returned(recipient: str, key: str, *, whole: bool) -> bytes:
    """A DSN returning the original message whole, or its headers only."""
    original = (
        f"From: noreply@dobry.example.org\r\nTo: {recipient}\r\nSubject: Новости\r\n"
        f"X-Dobry-Key: {key}\r\n"
    )
    returned_part = (
        "Content-Type: message/rfc822\r\n\r\n" + original + "\r\nТекст письма.\r\n"
        if whole
        else "Content-Type: text/rfc822-headers\r\n\r\n" + original
    )
    return (
        "From: MAILER-DAEMON@mx.example.org\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--B\r\n{returned_part}--B--\r\n"
    ).encode()


@pytest.mark.parametrize("whole", [True, False])
def test_a_dsn_returning_the_message_is_matched_to_its_delivery(whole):
    m = sent("anna@example.org")
    key = f"mailing:{m.deliveries.get().key}"
    [found] = bounces_in_message(returned("anna@example.org", key, whole=whole), received=DAY)
    assert (found.address, found.type, found.key) == ("anna@example.org", "hard", key)
    bounce_record(found, source="mailbox:imap")
    assert stats(m)["bounced"] == 1


def test_an_arf_complaint_returning_the_message_is_matched_too():
    m = sent("anna@example.org")
    key = f"mailing:{m.deliveries.get().key}"
    report = (
        "From: fbl@mail.example.net\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r\n\r\n'
        "--F\r\nContent-Type: message/feedback-report\r\n\r\n"
        "Feedback-Type: abuse\r\nOriginal-Rcpt-To: anna@example.org\r\n\r\n"
        "--F\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"To: anna@example.org\r\nX-Dobry-Key: {key}\r\n\r\n--F--\r\n"
    ).encode()
    [found] = bounces_in_message(report, received=DAY)
    bounce_record(found, source="mailbox:imap")
    assert stats(m)["complained"] == 1
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_a_dsn_without_the_returned_message_is_scored_but_matched_to_nothing():
    m = sent("anna@example.org")
    [found] = bounces_in_message(
        returned("anna@example.org", "", whole=False).replace(b"X-Dobry-Key: \r\n", b""),
        received=DAY,
    )
    assert found.key == ""
    bounce_record(found, source="mailbox:imap")
    assert stats(m)["bounced"] == 0


def test_the_statistics_page_shows_what_happened_after_sending(coordinator, login_as):
    m = sent("anna@example.org", "boris@example.org")
    Delivery.objects.filter(email="anna@example.org").update(bounced_at=DAY)
    Delivery.objects.filter(email="boris@example.org").update(unsubscribed_at=DAY)
    html = login_as(coordinator).get(reverse("mailings:progress", args=[m.pk])).content.decode()
    assert re.search(r"Вернулись \(не доставлены\)</dt><dd[^>]*>1<", html)
    assert re.search(r"Отписались по ссылке из письма</dt><dd[^>]*>1<", html)
    api = login_as(coordinator).get(f"/api/v1/mailings/{m.pk}/stats").json()
    assert (api["bounced"], api["unsubscribed"], api["complained"]) == (1, 1, 0)
