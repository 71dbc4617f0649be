"""One outbox shape for every personal message (`models.outbox`, `communications.outbox`):
the email and the bot's outboxes share the states, the moves and the worker's steps —
claim under the row lock, sent, failed with a wait or for good, due for another attempt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications import outbox
from dobry.communications.models import OUTBOX_WORKFLOW, OutboundEmail, OutboundTelegram
from dobry.communications.models.outbox import OutboxMessage, OutboxState
from dobry.communications.models.telegram import TELEGRAM_OUTBOX_WORKFLOW
from dobry.communications.tests.test_outbox import queued
from dobry.core.workflow import workflow_of

pytestmark = pytest.mark.django_db
S = OutboxState


def message(key: str = "t", **fields) -> OutboundTelegram:
    return OutboundTelegram.objects.create(key=key, chat_id=7, text="Привет", **fields)


def test_both_outboxes_are_one_abstract_row_with_one_table():
    assert issubclass(OutboundEmail, OutboxMessage)
    assert issubclass(OutboundTelegram, OutboxMessage)
    assert OutboundEmail.State is OutboundTelegram.State is OutboxState
    assert OUTBOX_WORKFLOW.table == TELEGRAM_OUTBOX_WORKFLOW.table
    assert workflow_of(OutboundTelegram, "state") is TELEGRAM_OUTBOX_WORKFLOW
    # each names its own moves for the people reading the admin
    assert str(OUTBOX_WORKFLOW.move("claim").label) != str(
        TELEGRAM_OUTBOX_WORKFLOW.move("claim").label
    )


@pytest.mark.parametrize("make", [queued, message], ids=["email", "telegram"])
def test_a_claim_moves_the_row_to_sending_with_one_more_attempt(make):
    row = make()
    claimed = outbox.claim(type(row), row.pk, unreachable=lambda _row: False)
    assert isinstance(claimed, OutboxMessage)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (S.SENDING, 1)


@pytest.mark.parametrize("make", [queued, message], ids=["email", "telegram"])
def test_an_unreachable_row_is_suppressed_not_claimed(make):
    row = make()
    assert outbox.claim(type(row), row.pk, unreachable=lambda _row: True) == S.SUPPRESSED
    row.refresh_from_db()
    assert (row.state, row.attempts) == (S.SUPPRESSED, 0)


def test_a_missing_row_is_said_missing():
    assert outbox.claim(OutboundEmail, 987654, unreachable=lambda _row: False) == "missing"


def test_a_row_whose_wait_is_ahead_is_left_waiting():
    row = queued(state=S.FAILED, attempts=1, not_before=timezone.now() + timedelta(minutes=5))
    assert outbox.claim(OutboundEmail, row.pk, unreachable=lambda _row: False) == "waiting"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (S.FAILED, 1)


def test_a_failure_with_a_wait_sets_the_next_attempt_and_keeps_the_error():
    row = outbox.claim(OutboundEmail, queued().pk, unreachable=lambda _row: False)
    before = timezone.now()
    assert outbox.failed(row, OSError("сеть"), wait=timedelta(minutes=2)) == S.FAILED
    row.refresh_from_db()
    assert row.last_error == "OSError: сеть"
    assert before + timedelta(minutes=2) <= row.not_before <= timezone.now() + timedelta(minutes=2)


def test_a_final_failure_uses_up_the_attempts():
    row = outbox.claim(OutboundTelegram, message().pk, unreachable=lambda _row: False)
    outbox.failed(row, ValueError("blocked"), final=5)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.not_before) == (S.FAILED, 5, None)
    assert outbox.due_for_retry(OutboundTelegram, 5) == []


def test_a_send_clears_the_error_of_an_earlier_attempt():
    row = queued(state=S.FAILED, attempts=1, last_error="SMTPServerDisconnected: x")
    row = outbox.claim(OutboundEmail, row.pk, unreachable=lambda _row: False)
    assert outbox.sent(row) == S.SENT
    row.refresh_from_db()
    assert (row.state, row.last_error, row.attempts) == (S.SENT, "", 2)
    assert row.sent_at is not None


def test_the_backoff_doubles_from_two_minutes():
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]


def test_due_for_retry_takes_failed_rows_with_attempts_left_whose_wait_is_over():
    now = timezone.now()
    due = queued("due", state=S.FAILED, attempts=1)
    over = queued("over", state=S.FAILED, attempts=2, not_before=now - timedelta(seconds=1))
    queued("ahead", state=S.FAILED, attempts=1, not_before=now + timedelta(minutes=1))
    queued("spent", state=S.FAILED, attempts=3)
    queued("sent", state=S.SENT, attempts=1)
    assert outbox.due_for_retry(OutboundEmail, 3) == [due.pk, over.pk]
