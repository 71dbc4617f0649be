"""The worker's SMTP exchange over a real `smtplib` connection: each accepted row is marked
sent before the next message can be accepted (so a killed worker leaves at most one
duplicate), refusals at MAIL, RCPT and DATA are told apart, transient from permanent."""

import smtplib

import pytest
from django.utils import timezone

from dobry.communications.mailings import compose, delivery
from dobry.communications.models import Delivery, Mailing
from dobry.communications.tasks import sender
from dobry.communications.tests.mailing_factories import mailing, subscriber

pytestmark = pytest.mark.django_db
S = Delivery.State


class FakeSMTP(smtplib.SMTP):
    """An `smtplib.SMTP` that answers from a script instead of a socket, and records, at
    each DATA, which rows were already marked sent."""

    def __init__(self, answers: dict[str, list[tuple[int, bytes]]] | None = None) -> None:
        super().__init__()  # no host: no connection
        self.answers = answers or {}
        self.calls: list[str] = []
        self.sent_at_data: list[set[str]] = []

    def _answer(self, command: str) -> tuple[int, bytes]:
        self.calls.append(command)
        queue = self.answers.get(command, [])
        return queue.pop(0) if queue else (250, b"ok")

    def ehlo_or_helo_if_needed(self) -> None:
        return None

    def mail(self, sender, options=()):  # type: ignore[no-untyped-def]
        return self._answer("mail")

    def rcpt(self, recip, options=()):  # type: ignore[no-untyped-def]
        return self._answer("rcpt")

    def data(self, msg):  # type: ignore[no-untyped-def]
        self.sent_at_data.append(
            set(Delivery.objects.filter(state=S.SENT).values_list("email", flat=True))
        )
        return self._answer("data")

    def rset(self):  # type: ignore[no-untyped-def]
        self.calls.append("rset")
        return (250, b"ok")


class Backend:
    """Django's SMTP backend as far as the worker uses it: open, close, `.connection`."""

    def __init__(self, smtp: FakeSMTP) -> None:
        self.connection = smtp

    def open(self) -> bool:
        return False

    def close(self) -> None:
        return None


def claimed(count: int) -> tuple[Mailing, list[Delivery]]:
    readers = [subscriber(email=f"r{n}@example.org") for n in range(count)]
    m = mailing(status=Mailing.Status.SENDING, started_at=timezone.now())
    Delivery.objects.bulk_create(Delivery(mailing=m, email=r.email) for r in readers)
    return m, delivery.claim_batch(m.pk, "claim")


def send(m: Mailing, rows: list[Delivery], smtp: FakeSMTP) -> delivery.Outcome:
    prepared = delivery.Prepared(m, compose.render(m), sender())
    return delivery.send_batch(rows, "claim", Backend(smtp), delivery.Throttle(0), prepared)


def test_each_row_is_marked_sent_before_the_next_message_can_be_accepted():
    m, rows = claimed(3)
    smtp = FakeSMTP()
    outcome = send(m, rows, smtp)
    assert outcome.sent == 3
    assert smtp.calls == ["mail", "rcpt", "data"] * 3
    assert smtp.sent_at_data == [set(), {"r0@example.org"}, {"r0@example.org", "r1@example.org"}]
    assert set(m.deliveries.values_list("state", flat=True)) == {S.SENT}
    assert not m.deliveries.exclude(claimed_by="").exists()


def test_a_refused_recipient_fails_and_a_busy_one_is_retried():
    m, rows = claimed(3)
    smtp = FakeSMTP({"rcpt": [(550, b"no such user"), (451, b"greylisted")]})
    outcome = send(m, rows, smtp)
    assert (outcome.failed, outcome.retried, outcome.sent) == (1, 1, 1)
    states = dict(m.deliveries.values_list("email", "state"))
    assert states == {"r0@example.org": S.FAILED, "r1@example.org": S.QUEUED,
                      "r2@example.org": S.SENT}  # fmt: skip
    assert "550" in m.deliveries.get(email="r0@example.org").last_error
    assert smtp.calls.count("rset") == 2


def test_a_refused_sender_or_data_are_told_apart():
    m, rows = claimed(2)
    smtp = FakeSMTP({"mail": [(421, b"closing")], "data": [(554, b"rejected")]})
    outcome = send(m, rows, smtp)
    assert (outcome.retried, outcome.failed) == (1, 1)
    errors = dict(m.deliveries.values_list("email", "last_error"))
    assert errors["r0@example.org"].startswith("SMTPSenderRefused")
    assert errors["r1@example.org"].startswith("SMTPDataError")


def test_the_sender_and_recipient_go_bare_in_the_envelope():
    from dobry.communications.mailings.message import envelope_address

    assert envelope_address("r1@example.org") == "r1@example.org"
    assert envelope_address("Добрый город <city@example.org>").endswith("<city@example.org>")
