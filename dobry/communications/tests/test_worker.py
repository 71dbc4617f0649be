"""The real path: a task row in the database, picked up by `db_worker`."""

import pytest
from django.core import mail
from django.core.management import call_command

from dobry.communications.models import OutboundEmail
from dobry.communications.services import email_queue


@pytest.fixture
def database_backend(settings):
    # django_tasks resets its backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_email_waits_in_the_queue_until_the_worker_sends_it(database_backend):
    from django_tasks_db.models import DBTaskResult

    email = email_queue(key="worker-1", to="a@example.org", subject="Тема", body_text="Текст")
    assert DBTaskResult.objects.count() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.QUEUED
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert [m.subject for m in mail.outbox] == ["Тема"]
