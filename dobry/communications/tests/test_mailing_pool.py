"""A worker sends a mailing over several SMTP connections at once (`delivery.
_send_over_pool`, `DOBRY_MAILING_CONNECTIONS`): on PostgreSQL outside a transaction, a
thread per connection with its own claims; every recipient gets the message once, and the
counts add up. Inside a transaction (a test, an immediate task) or on SQLite it is one
connection, since threads would not see uncommitted rows."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from dobry.communications.mailings import delivery, services
from dobry.communications.models import Delivery, Mailing
from dobry.communications.tests.mailing_factories import scheduled, subscriber

S = Delivery.State


@pytest.fixture
def _pool_settings(settings):
    settings.DOBRY_MAILING_RATE = 0
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_MAILING_BATCH = 4
    settings.DOBRY_MAILING_CONNECTIONS = 3


@pytest.mark.django_db
def test_inside_a_transaction_a_worker_uses_one_connection(settings):
    settings.DOBRY_MAILING_CONNECTIONS = 4
    with transaction.atomic():
        assert delivery.pool_size() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_pool_is_the_setting_on_postgresql_only(settings):
    settings.DOBRY_MAILING_CONNECTIONS = 4
    assert delivery.pool_size() == (4 if connection.vendor == "postgresql" else 1)


@pytest.mark.django_db
def test_outcomes_add_up():
    total = delivery.Outcome(sent=1, failed=2)
    total.add(delivery.Outcome(sent=3, retried=1, suppressed=4))
    assert total == delivery.Outcome(sent=4, retried=1, failed=2, suppressed=4)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool runs on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_pool_settings")
def test_a_pool_of_connections_sends_each_recipient_once(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    readers = [subscriber(email=f"reader{n}@example.org") for n in range(30)]
    m = scheduled()
    assert services.mailing_start(m.pk) == Mailing.Status.SENDING  # rows; the task waits
    threads: set[str] = set()
    one = delivery._send_over_one_connection

    def spy(*args, **kwargs):
        threads.add(threading.current_thread().name)
        return one(*args, **kwargs)

    monkeypatch.setattr(delivery, "_send_over_one_connection", spy)
    outcome = delivery.run(m.pk)
    assert outcome.sent == 30
    assert len(threads) == 3
    assert all(name.startswith(f"mailing-{m.pk}-smtp-") for name in threads)
    received = sorted(message.to[0] for message in mail.outbox)
    assert received == sorted(reader.email for reader in readers)
    assert delivery.counts(m)[S.SENT] == 30
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool runs on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_pool_settings")
def test_an_error_in_one_thread_is_raised_after_every_thread_ends(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    for n in range(6):
        subscriber(email=f"reader{n}@example.org")
    m = scheduled()
    services.mailing_start(m.pk)
    ended: list[str] = []

    def broken(*_args, **_kwargs):
        ended.append(threading.current_thread().name)
        if len(ended) == 1:
            raise RuntimeError("SMTP pool broke")
        return delivery.Outcome()

    monkeypatch.setattr(delivery, "_send_over_one_connection", broken)
    with pytest.raises(RuntimeError, match="SMTP pool broke"):
        delivery.run(m.pk)
    assert len(ended) == 3
