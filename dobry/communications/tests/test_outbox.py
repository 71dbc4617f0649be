"""The outbox: every email is a row first, sent once by the worker, retried a bounded
number of times, never lost and never sent twice."""

import base64
from unittest import mock

import pytest
from django.core import mail

from dobry.communications.models import OutboundEmail
from dobry.communications.services import Attachment, email_queue
from dobry.communications.tasks import MAX_ATTEMPTS, deliver_email, retry_failed_emails, sender

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMultiAlternatives.send"


def queued(key: str = "k", **fields) -> OutboundEmail:
    """A row as the outbox holds it before the worker picked it up (not yet sent)."""
    values = {"to": "a@example.org", "subject": "Тема", "body_text": "Текст", **fields}
    return OutboundEmail.objects.create(key=key, **values)


def test_a_queued_email_is_sent_with_its_key_and_the_brand_as_sender(settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@dobry.example.org"
    settings.DOBRY_SITE_NAME = "Добрый город"
    email = queued("welcome:1")
    assert deliver_email.call(email.pk) == OutboundEmail.State.SENT
    [message] = mail.outbox
    assert message.to == ["a@example.org"]
    assert message.subject == "Тема"
    assert message.body == "Текст"
    assert message.extra_headers["X-Dobry-Key"] == "welcome:1"
    assert message.from_email == "Добрый город <noreply@dobry.example.org>"
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (OutboundEmail.State.SENT, 1, "")
    assert email.sent_at is not None


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("noreply@dobry.example.org", "Добрый город <noreply@dobry.example.org>"),
        ("Ресурсный центр <rc@example.org>", "Ресурсный центр <rc@example.org>"),
    ],
)
def test_the_sender_is_named_with_the_brand_unless_the_setting_names_one(
    settings, configured, expected
):
    settings.DEFAULT_FROM_EMAIL = configured
    settings.DOBRY_SITE_NAME = "Добрый город"
    assert sender() == expected


def test_the_html_part_and_attachments_travel_with_the_email():
    picture = Attachment(name="qr.png", content_type="image/png", content=b"\x89PNG-bytes")
    email_queue(
        key="with-parts",
        to="a@example.org",
        subject="Ваш код",
        body_text="Текст",
        body_html="<p>Текст</p>",
        attachments=[picture],
    )
    stored = OutboundEmail.objects.get(key="with-parts")
    assert stored.attachments == [
        {
            "name": "qr.png",
            "content_type": "image/png",
            "base64": base64.b64encode(b"\x89PNG-bytes").decode(),
        }
    ]
    [message] = mail.outbox
    assert message.alternatives[0] == ("<p>Текст</p>", "text/html")
    assert message.attachments == [("qr.png", b"\x89PNG-bytes", "image/png")]


def test_a_plain_email_has_no_html_part():
    deliver_email.call(queued().pk)
    assert mail.outbox[0].alternatives == []


def test_a_long_subject_is_kept_to_one_line_of_250_characters():
    email = email_queue(key="long", to="a@example.org", subject="Тема\n  " * 100, body_text="b")
    assert "\n" not in email.subject
    assert email.subject.startswith("Тема Тема")
    assert len(email.subject) == 250


def test_a_repeated_key_keeps_the_first_email_and_sends_nothing_new():
    first = email_queue(key="once", to="a@example.org", subject="Первое", body_text="1")
    again = email_queue(key="once", to="b@example.org", subject="Второе", body_text="2")
    assert again.pk == first.pk
    assert OutboundEmail.objects.get().subject == "Первое"
    assert [m.subject for m in mail.outbox] == ["Первое"]


def test_a_missing_row_is_reported_not_raised():
    assert deliver_email.call(987654) == "missing"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "state", [OutboundEmail.State.SENT, OutboundEmail.State.SENDING, OutboundEmail.State.SUPPRESSED]
)
def test_a_row_already_sent_claimed_or_suppressed_is_not_sent_again(state):
    """A task retried after a success (or while another worker is sending) sends nothing."""
    email = queued(state=state, attempts=1)
    assert deliver_email.call(email.pk) == state
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.state, email.attempts) == (state, 1)


def test_a_failure_keeps_the_row_with_the_error_and_the_next_attempt_sends_it():
    email = queued()
    with mock.patch(SEND, side_effect=ConnectionRefusedError("smtp down")):
        assert deliver_email.call(email.pk) == OutboundEmail.State.FAILED
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.FAILED
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError: smtp down"
    assert email.sent_at is None
    assert deliver_email.call(email.pk) == OutboundEmail.State.SENT
    email.refresh_from_db()
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_a_very_long_error_is_cut_to_2000_characters():
    email = queued()
    with mock.patch(SEND, side_effect=OSError("x" * 5000)):
        deliver_email.call(email.pk)
    email.refresh_from_db()
    assert len(email.last_error) == 2000
    assert email.last_error.startswith("OSError: xxx")


def test_retries_take_only_failed_rows_below_the_attempt_limit():
    failed_once = queued("failed-once", state=OutboundEmail.State.FAILED, attempts=1)
    almost = queued("almost", state=OutboundEmail.State.FAILED, attempts=MAX_ATTEMPTS - 1)
    queued("given-up", state=OutboundEmail.State.FAILED, attempts=MAX_ATTEMPTS)
    queued("sent", state=OutboundEmail.State.SENT, attempts=1)
    queued("suppressed", state=OutboundEmail.State.SUPPRESSED)
    assert retry_failed_emails.call() == 2
    assert sorted(m.extra_headers["X-Dobry-Key"] for m in mail.outbox) == ["almost", "failed-once"]
    states = dict(OutboundEmail.objects.values_list("key", "state"))
    assert states == {
        "failed-once": OutboundEmail.State.SENT,
        "almost": OutboundEmail.State.SENT,
        "given-up": OutboundEmail.State.FAILED,
        "sent": OutboundEmail.State.SENT,
        "suppressed": OutboundEmail.State.SUPPRESSED,
    }
    assert OutboundEmail.objects.get(pk=almost.pk).attempts == MAX_ATTEMPTS
    assert OutboundEmail.objects.get(pk=failed_once.pk).attempts == 2


def test_an_email_that_keeps_failing_stops_at_the_attempt_limit():
    email = queued()
    with mock.patch(SEND, side_effect=OSError("down")):
        deliver_email.call(email.pk)
        for _round in range(MAX_ATTEMPTS + 2):
            retry_failed_emails.call()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.FAILED, MAX_ATTEMPTS)
    assert retry_failed_emails.call() == 0


@pytest.mark.parametrize("how", ["deactivated", "erased"])
def test_an_email_to_someone_no_longer_reachable_is_suppressed_not_sent(resident, how):
    email = queued(user=resident, to=resident.email)
    if how == "deactivated":
        resident.is_active = False
    else:
        resident.erased_at = resident.date_joined
    resident.save()
    assert deliver_email.call(email.pk) == OutboundEmail.State.SUPPRESSED
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.SUPPRESSED, 0)
    assert mail.outbox == []
    assert retry_failed_emails.call() == 0


def test_a_failed_email_whose_recipient_left_meanwhile_is_suppressed_on_retry(resident):
    email = queued(user=resident, to=resident.email, state=OutboundEmail.State.FAILED, attempts=1)
    resident.is_active = False
    resident.save()
    assert retry_failed_emails.call() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SUPPRESSED
    assert mail.outbox == []
