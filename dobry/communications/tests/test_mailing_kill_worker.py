"""The kill-the-worker test (PostgreSQL only; it runs real worker processes).

A 1,000-recipient mailing goes to a real local SMTP server (aiosmtpd). The project's
worker (`manage.py db_worker`) is killed with SIGKILL halfway; after its lease expires the
periodic job gives the mailing to a second worker. The server must have received every
recipient exactly once — or, where the kill fell between the server's acceptance and the
row's update, one duplicate (at most one per SMTP connection of the killed worker, which
sends over CONNECTIONS at once), which the test reports."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.communications.mailings import delivery, services
from dobry.communications.models import Delivery, Mailing
from dobry.communications.tests.mailing_factories import mailing
from dobry.communications.tests.smtp_sink import Sink

RECIPIENTS = 1000
LEASE_SECONDS = 3
# SMTP connections of each worker (a thread each): at most one duplicate per connection
CONNECTIONS = 4
ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real worker processes need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]


def worker_env(port: int) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "DOBRY_MAILING_RATE": "0",
        "DOBRY_MAILING_WORKERS": "1",
        "DOBRY_MAILING_BATCH": "50",
        "DOBRY_MAILING_CONNECTIONS": str(CONNECTIONS),
        "DOBRY_MAILING_LEASE_SECONDS": str(LEASE_SECONDS),
        "DOBRY_TASK_LOG_LEVEL": "WARNING",
    }


def worker(port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.2", *extra],
        cwd=ROOT,
        env=worker_env(port),
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def subscribers(count: int) -> None:
    users = User.objects.bulk_create(
        User(email=f"reader{n}@example.org", password="!") for n in range(count)
    )
    document = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER)
    ConsentRecord.objects.bulk_create(ConsentRecord(user=u, document=document) for u in users)


def test_a_killed_worker_loses_nothing_and_duplicates_at_most_one(settings, record_property):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.DOBRY_MAILING_WORKERS = 1
    settings.DOBRY_MAILING_LEASE_SECONDS = LEASE_SECONDS
    subscribers(RECIPIENTS)
    m = mailing(status=Mailing.Status.SCHEDULED, scheduled_at=timezone.now())
    assert services.mailing_start(m.pk) == Mailing.Status.SENDING  # rows, then the task
    assert m.deliveries.count() == RECIPIENTS

    with Sink(delay=0.002) as sink:
        first = worker(sink.port)
        deadline = time.monotonic() + 120
        while sink.handler.total < RECIPIENTS // 2:
            assert first.poll() is None, "the first worker ended before halfway"
            assert time.monotonic() < deadline, "the first worker sent too slowly"
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = sink.handler.total
        assert at_kill < RECIPIENTS, "the worker finished before it was killed"
        left = delivery.counts(m)
        assert left[Delivery.State.QUEUED] + left[Delivery.State.SENDING] > 0

        time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
        from dobry.communications.mailings.tasks import tend_mailings

        tend_mailings.enqueue()  # what the scheduler does every minute
        second = worker(sink.port, "--batch")
        assert second.wait(timeout=180) == 0

    received = sink.handler.recipients
    expected = {f"reader{n}@example.org" for n in range(RECIPIENTS)}
    duplicates = sum(count - 1 for count in received.values())
    record_property("received_at_kill", at_kill)
    record_property("duplicates", duplicates)
    print(f"\nkill-the-worker: killed at {at_kill}/{RECIPIENTS}, duplicates: {duplicates}")
    assert set(received) == expected, "some recipient got nothing"
    assert duplicates <= CONNECTIONS, f"{duplicates} duplicates for one killed worker"
    assert delivery.counts(m)[Delivery.State.SENT] == RECIPIENTS
    m.refresh_from_db()
    assert m.status == Mailing.Status.SENT
