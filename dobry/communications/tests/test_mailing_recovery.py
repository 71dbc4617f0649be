"""What the periodic job and the mailbox reader recover: a mailing whose last worker died
after its last row is marked sent by `tend_mailings`; unsubscribe requests by mail whose
subject a client encoded (RFC 2047), for another kind than mailings, or with an HTML body
only."""

from datetime import timedelta
from email.header import Header

import pytest
from django.utils import timezone

from dobry.communications.mailings.tasks import tend_mailings
from dobry.communications.models import Delivery, Mailing, Suppression, Unsubscription
from dobry.communications.tests.mailing_factories import mailing
from dobry.communications.unsubscribe import unsubscribe_token
from dobry.communications.unsubscribe_mail import request_in_message, unsubscribe_by_mail

pytestmark = pytest.mark.django_db
S = Delivery.State


def test_a_mailing_whose_last_worker_died_after_its_last_row_is_finished_by_the_job():
    m = mailing(status=Mailing.Status.SENDING, started_at=timezone.now())
    Delivery.objects.create(mailing=m, email="a@example.org", state=S.SENT)
    Delivery.objects.create(mailing=m, email="b@example.org", state=S.SUPPRESSED)
    assert tend_mailings.call() == {"started": 0, "resumed": 0, "finished": 1}
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
    assert m.finished_at is not None
    assert tend_mailings.call() == {"started": 0, "resumed": 0, "finished": 0}


def test_a_live_lease_keeps_the_job_from_adding_a_worker_or_finishing():
    m = mailing(status=Mailing.Status.SENDING, started_at=timezone.now())
    Delivery.objects.create(
        mailing=m, email="a@example.org", state=S.SENDING, claimed_by="w",
        lease_until=timezone.now() + timedelta(minutes=1),
    )  # fmt: skip
    assert tend_mailings.call() == {"started": 0, "resumed": 0, "finished": 0}
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENDING


def request(subject: str, body: bytes = b"", content_type: str = "text/plain") -> bytes:
    return (
        b"From: someone@example.org\r\nTo: leave@dobry.example.org\r\nSubject: "
        + subject.encode()
        + f"\r\nContent-Type: {content_type}; charset=utf-8\r\n\r\n".encode()
        + body
    )


def test_a_subject_the_client_encoded_still_carries_the_token():
    token = unsubscribe_token("anna@example.org", kind="mailing")
    encoded = Header(f"Отписка: unsubscribe {token}", "utf-8").encode()
    found = request_in_message(request(encoded))
    assert (found.email, found.kind) == ("anna@example.org", "mailing")


def test_a_request_for_another_kind_unsubscribes_from_everything_and_says_from_what():
    token = unsubscribe_token("ivan@example.org", kind="weekly_digest")
    assert unsubscribe_by_mail([request(f"unsubscribe {token}")]) == 1
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.source) == ("ivan@example.org", "mailto:weekly_digest")
    assert not Unsubscription.objects.exists()


def test_an_html_only_message_without_token_or_key_is_no_request():
    html = request("Вопрос", b"<p>unsubscribe me please</p>", "text/html")
    assert request_in_message(html) is None
    assert unsubscribe_by_mail([html, request("unsubscribe")]) == 0
