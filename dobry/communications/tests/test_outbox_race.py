"""Two workers picking up the same outbox row at once send it once — and, as a negative
control, the same race without the claim in a transaction sends it twice. Runs on SQLite
and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest
from django.core import mail

from dobry.communications import outbox, tasks
from dobry.communications.models import OutboundEmail
from dobry.core.tests.threads import at_once

WORKERS = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),  # one such test at a time: connection limits
]


class NoTransaction:
    """What `outbox.transaction` would be without the claim's transaction: no atomic block,
    so nothing holds the row between reading and claiming it."""

    @staticmethod
    @contextmanager
    def atomic(*args, **kwargs):
        yield


def race(monkeypatch, email_id: int) -> list[BaseException]:
    """WORKERS threads deliver the same row at once; reading the row is slowed down, as on
    a busy server, so that every worker reads it before any has claimed it."""
    original = OutboundEmail.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.05)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(OutboundEmail, "save", slow_save)
    _delivered, errors = at_once(lambda _worker: tasks.deliver_email.call(email_id), range(WORKERS))
    return errors


def new_email() -> OutboundEmail:
    return OutboundEmail.objects.create(
        key="race", to="a@example.org", subject="Одно письмо", body_text="Текст"
    )


def test_workers_racing_for_one_email_send_it_once(monkeypatch):
    email = new_email()
    assert race(monkeypatch, email.pk) == []
    assert [m.subject for m in mail.outbox] == ["Одно письмо"]
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.SENT, 1)


def test_without_the_claim_in_a_transaction_the_same_race_sends_it_twice(monkeypatch):
    monkeypatch.setattr(outbox, "transaction", NoTransaction)
    # a row lock needs a transaction (PostgreSQL refuses one outside): a plain read instead
    monkeypatch.setattr(
        OutboundEmail.objects, "select_for_update", lambda **_lock: OutboundEmail.objects.all()
    )
    email = new_email()
    assert race(monkeypatch, email.pk) == []
    assert len(mail.outbox) > 1
