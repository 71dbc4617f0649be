"""The worker's SMTP exchange over a real `smtplib` connection: each accepted row is marked
sent before the next message can be accepted (so a killed worker leaves at most one
duplicate), refusals at MAIL, RCPT and DATA are told apart, transient from permanent."""

import smtplib

import pytest
from django.db import connection
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


class Refusing:
    """A backend that accepts nothing (`send_messages` answers 0) and cannot close."""

    def __init__(self) -> None:
        self.opened = 0

    def open(self) -> None:
        self.opened += 1

    def close(self) -> None:
        raise OSError("already gone")

    def send_messages(self, messages: list) -> int:
        return 0


def test_a_message_the_backend_did_not_accept_is_tried_again_later():
    m, rows = claimed(1)
    prepared = delivery.Prepared(m, compose.render(m), sender())
    backend = Refusing()
    outcome = delivery.send_batch(rows, "claim", backend, delivery.Throttle(0), prepared)
    assert (outcome.sent, outcome.retried) == (0, 1)
    row = m.deliveries.get()
    assert row.state == S.QUEUED
    assert "not accepted" in row.last_error


def test_a_reset_on_a_dead_connection_still_records_the_refusal():
    class Dead(FakeSMTP):
        def rset(self):  # type: ignore[no-untyped-def]
            raise smtplib.SMTPServerDisconnected("gone")

    m, rows = claimed(1)
    outcome = send(m, rows, Dead({"rcpt": [(550, b"no such user")]}))
    assert outcome.failed == 1
    assert m.deliveries.get().state == S.FAILED


def test_a_long_batch_renews_its_lease_between_messages(monkeypatch):
    renewed: list[str] = []
    monkeypatch.setattr(delivery, "heartbeat", renewed.append)
    monkeypatch.setattr(delivery.LeaseKeeper, "due", lambda self: True)
    m, rows = claimed(2)
    assert send(m, rows, FakeSMTP()).sent == 2
    assert renewed == ["claim", "claim"]


def test_a_mailing_cancelled_while_sending_stops_its_worker(settings, monkeypatch):
    settings.DOBRY_MAILING_BATCH = 1
    m, _rows = claimed(3)
    Delivery.objects.update(state=S.QUEUED, claimed_by="", lease_until=None)

    class Cancelling(FakeSMTP):
        def data(self, msg):  # type: ignore[no-untyped-def]
            Mailing.objects.filter(pk=m.pk).update(status=Mailing.Status.CANCELLED)
            return super().data(msg)

    smtp = Cancelling()
    monkeypatch.setattr(delivery, "get_connection", lambda **kw: Backend(smtp))
    outcome = delivery.run(m.pk)
    assert outcome.sent == 1
    assert m.deliveries.filter(state=S.QUEUED).count() == 2


def test_only_a_sending_mailing_can_be_finished():
    assert delivery.finish_if_done(999_999) is False
    m = mailing(status=Mailing.Status.DRAFT)
    assert delivery.finish_if_done(m.pk) is False
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="libpq's asynchronous query")
def test_a_failed_sent_update_is_an_error_not_an_smtp_refusal():
    from django.db import DatabaseError

    _m, rows = claimed(1)
    marks = delivery.SentMarks("claim")
    marks.sql = b"UPDATE no_such_table SET x = $1 WHERE $2::text = $3::text OR $4::text = ''"
    marks.mark(rows[0])
    with pytest.raises(DatabaseError, match="no_such_table"):
        marks.settle()


def test_a_claim_token_names_the_host_and_process_and_is_new_for_each_batch():
    import os

    first, second = delivery.claim_token(), delivery.claim_token()
    assert first != second
    host, pid, random_part = first.split(":")
    assert (pid, len(random_part)) == (str(os.getpid()), 12)
    assert host
    assert len(first) <= 64


def test_a_row_marked_sent_is_written_before_marking_returns_on_sqlite_or_after_settle():
    _m, rows = claimed(1)
    marks = delivery.SentMarks("claim")
    marks.mark(rows[0])
    marks.settle()
    marks.settle()  # nothing pending: nothing to wait for
    row = Delivery.objects.get()
    assert (row.state, row.claimed_by, row.lease_until) == (S.SENT, "", None)
    assert row.sent_at is not None
