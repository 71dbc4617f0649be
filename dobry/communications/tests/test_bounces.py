"""Bounces and complaints: Mailman's scoring (hard 1.0, soft 0.5, once a city day, a fresh
start after the stale days, suppression at the threshold, a complaint at once), the
provider's webhook behind its shared secret, and `read_bounces` against local POP3 and IMAP
servers holding real DSNs."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dobry.communications.bounces import Bounce, bounce_record, bounces_in_message
from dobry.communications.models import BounceScore, Suppression
from dobry.communications.tests.mailbox_servers import IMAPHandler, POP3Handler, Store, serving
from dobry.communications.unsubscribe import may_mail

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in the city
SECRET = "s3cret-of-the-provider"


@pytest.fixture(autouse=True)
def bounce_settings(settings):
    settings.DOBRY_BOUNCE_THRESHOLD = 3
    settings.DOBRY_BOUNCE_STALE_DAYS = 7
    settings.DOBRY_BOUNCE_WEBHOOK_SECRET = SECRET


def bounce(kind: str, at: datetime, address: str = "Lost@Example.org") -> object:
    return bounce_record(Bounce(address=address, type=kind, at=at), source="test")


def score() -> Decimal:
    return BounceScore.objects.get(email="lost@example.org").score


def test_hard_counts_one_soft_half_and_the_threshold_suppresses():
    bounce("hard", DAY)
    bounce("soft", DAY + timedelta(days=1))
    assert score() == Decimal("1.5")
    bounce("hard", DAY + timedelta(days=2))
    assert not Suppression.objects.exists()  # 2.5 < 3
    result = bounce("soft", DAY + timedelta(days=3))
    assert isinstance(result, Suppression)
    assert result.reason == Suppression.Reason.HARD_BOUNCE
    assert "score 3.0" in result.source
    assert not may_mail("lost@example.org", kind="weekly_digest")


def test_at_most_one_bounce_counts_per_city_day():
    bounce("hard", DAY)
    assert bounce("hard", DAY + timedelta(hours=5)) is None
    assert bounce("hard", DAY.replace(hour=16, minute=59)) is None  # 23:59 local, same day
    assert score() == Decimal("1.0")
    bounce("hard", DAY.replace(hour=17, minute=0))  # 00:00 local: the next day
    assert score() == Decimal("2.0")
    assert BounceScore.objects.get().bounces == 2


def test_the_score_starts_again_after_the_stale_days():
    bounce("hard", DAY)
    bounce("hard", DAY + timedelta(days=1))
    bounce("soft", DAY + timedelta(days=9))  # 8 days without a bounce > 7
    assert score() == Decimal("0.5")
    assert not Suppression.objects.exists()


def test_a_complaint_suppresses_at_once():
    result = bounce("complaint", DAY)
    assert isinstance(result, Suppression)
    assert result.reason == Suppression.Reason.COMPLAINT


def webhook(body: object, secret: str | None = SECRET) -> object:
    headers = {} if secret is None else {"X-Dobry-Bounce-Secret": secret}
    return Client(enforce_csrf_checks=True).post(
        reverse("suppression:bounce_webhook"),
        data=json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        headers=headers,
    )


def test_the_webhook_records_bounces_and_complaints():
    response = webhook(
        [
            {"address": "a@example.org", "type": "complaint", "time": "2026-03-02T10:00:00+07:00"},
            {"address": "b@example.org", "type": "hard", "time": "2026-03-02T10:00:00+07:00"},
        ]
    )
    assert response.status_code == 200
    assert response.json() == {"recorded": 2}
    assert Suppression.objects.get().email == "a@example.org"
    assert BounceScore.objects.get().email == "b@example.org"


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_the_webhook_refuses_a_wrong_secret(secret):
    response = webhook({"address": "a@example.org", "type": "complaint"}, secret=secret)
    assert response.status_code == 403
    assert not Suppression.objects.exists()


def test_the_webhook_is_refused_when_no_secret_is_configured(settings):
    settings.DOBRY_BOUNCE_WEBHOOK_SECRET = ""
    assert webhook({"address": "a@example.org", "type": "complaint"}, secret="").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        [],
        {"address": "nobody", "type": "hard"},
        {"address": "a@example.org", "type": "bounced"},
        {"address": "a@example.org", "type": "hard", "time": "yesterday"},
        {"address": "a@example.org", "type": "hard", "time": "2026-03-02T10:00:00"},
        ["not an object"],
    ],
)
def test_bad_webhook_input_is_a_400_naming_the_fault(body):
    response = webhook(body)
    assert response.status_code == 400
    assert response.json()["message"]
    assert not Suppression.objects.exists()
    assert not BounceScore.objects.exists()


def dsn(recipient: str, action: str = "failed", status: str = "5.1.1") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\r\n"
        "To: bounces@dobry.example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "The mail system could not deliver your message.\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "\r\n"
        "--B--\r\n"
    ).encode()


def complaint(recipient: str) -> bytes:
    return (
        "From: fbl@mail.example.net\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r\n'
        "\r\n"
        "--F\r\n"
        "Content-Type: message/feedback-report\r\n"
        "\r\n"
        "Feedback-Type: abuse\r\n"
        f"Original-Rcpt-To: {recipient}\r\n"
        "\r\n"
        "--F--\r\n"
    ).encode()


def test_a_dsn_gives_its_failed_recipients_hard_or_soft():
    [hard] = bounces_in_message(dsn("a@example.org"), received=DAY)
    [soft] = bounces_in_message(dsn("b@example.org", "delayed", "4.4.1"), received=DAY)
    assert (hard.address, hard.type) == ("a@example.org", "hard")
    assert (soft.address, soft.type) == ("b@example.org", "soft")
    assert bounces_in_message(dsn("c@example.org", "delivered", "2.0.0"), received=DAY) == []
    assert bounces_in_message(b"Subject: hello\r\n\r\njust mail\r\n", received=DAY) == []
    [spam] = bounces_in_message(complaint("d@example.org"), received=DAY)
    assert spam.type == "complaint"


@pytest.mark.parametrize(("protocol", "handler"), [("pop3", POP3Handler), ("imap", IMAPHandler)])
def test_read_bounces_reads_the_mailbox_scores_and_empties_it(protocol, handler, settings):
    store = Store(
        [dsn("a@example.org"), complaint("b@example.org"), b"Subject: hi\r\n\r\nhello\r\n"],
        user="bounces",
        password="pw",
    )
    settings.DOBRY_BOUNCE_MAILBOX_PASSWORD = "pw"
    with serving(handler, store) as port:
        call_command(
            "read_bounces",
            f"--protocol={protocol}",
            "--host=127.0.0.1",
            f"--port={port}",
            "--user=bounces",
            "--no-ssl",
        )
    assert store.logins == [("bounces", "pw")]
    assert store.left == []
    assert BounceScore.objects.get().email == "a@example.org"
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("b@example.org", "complaint")
    assert suppression.source == f"mailbox:{protocol}"


def test_the_periodic_job_empties_the_configured_mailbox_and_skips_without_one(settings):
    from dobry.communications.tasks import read_bounces

    settings.DOBRY_BOUNCE_MAILBOX_HOST = ""
    assert read_bounces.call() == {"configured": 0}
    store = Store([dsn("a@example.org"), complaint("b@example.org")], user="bounces", password="pw")
    with serving(IMAPHandler, store) as port:
        settings.DOBRY_BOUNCE_MAILBOX_HOST = "127.0.0.1"
        settings.DOBRY_BOUNCE_MAILBOX_PORT = port
        settings.DOBRY_BOUNCE_MAILBOX_USER = "bounces"
        settings.DOBRY_BOUNCE_MAILBOX_PASSWORD = "pw"
        settings.DOBRY_BOUNCE_MAILBOX_SSL = False
        done = read_bounces.call()
    assert done == {
        "configured": 1,
        "messages": 2,
        "bounces": 2,
        "suppressed": 1,
        "unsubscribed": 0,
    }
    assert store.left == []


def test_the_mailbox_of_the_settings_takes_the_protocols_own_port(settings):
    from dobry.communications.bounces import configured_mailbox

    settings.DOBRY_BOUNCE_MAILBOX_HOST = "mail.example.org"
    settings.DOBRY_BOUNCE_MAILBOX_USER = "bounces"
    settings.DOBRY_BOUNCE_MAILBOX_PORT = 0
    for protocol, ssl, port in (("imap", True, 993), ("pop3", True, 995), ("pop3", False, 110)):
        settings.DOBRY_BOUNCE_MAILBOX_PROTOCOL = protocol
        settings.DOBRY_BOUNCE_MAILBOX_SSL = ssl
        mailbox = configured_mailbox()
        assert (mailbox.protocol, mailbox.port, mailbox.ssl) == (protocol, port, ssl)
    settings.DOBRY_BOUNCE_MAILBOX_USER = ""
    assert configured_mailbox() is None


def test_the_command_refuses_without_a_mailbox(settings):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--host"):
        call_command("read_bounces", "--host=", "--user=")
