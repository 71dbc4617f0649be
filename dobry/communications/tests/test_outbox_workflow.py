"""The outbox row's state is a workflow value (`OUTBOX_WORKFLOW`), as every status of the
project is: the worker changes it only by the workflow's moves, so a sent or suppressed
row never moves again and a row being sent is never claimed twice. The values are the
ones the rows always had: nothing stored changes."""

from unittest import mock

import pytest

from dobry.communications.models import OUTBOX_WORKFLOW, OutboundEmail
from dobry.communications.outbox import move as _move
from dobry.communications.tasks import deliver_email
from dobry.communications.tests.test_outbox import SEND, queued
from dobry.core.errors import InvalidTransition
from dobry.core.workflow import workflow_of

pytestmark = pytest.mark.django_db
State = OutboundEmail.State


def test_the_outbox_state_is_a_bound_workflow_with_its_table():
    assert workflow_of(OutboundEmail, "state") is OUTBOX_WORKFLOW
    assert OUTBOX_WORKFLOW.starts == {State.QUEUED}
    assert OUTBOX_WORKFLOW.table == {
        State.QUEUED: frozenset({State.SENDING, State.SUPPRESSED}),
        State.FAILED: frozenset({State.SENDING, State.SUPPRESSED}),
        State.SENDING: frozenset({State.SENT, State.FAILED}),
    }
    # made by the worker, never offered as a button
    assert not any(move.button for move in OUTBOX_WORKFLOW.moves)


def test_the_stored_values_are_the_states_the_rows_always_had():
    assert list(State.values) == ["queued", "sending", "sent", "failed", "suppressed"]


@pytest.mark.parametrize("state", [State.SENT, State.SUPPRESSED, State.SENDING])
def test_a_row_that_is_sent_suppressed_or_being_sent_is_left_as_it_is(state):
    email = queued(state=state)
    with mock.patch(SEND) as send:
        assert deliver_email.call(email.pk) == state
    send.assert_not_called()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (state, 0)


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (State.SENT, "claim"),
        (State.SUPPRESSED, "claim"),
        (State.QUEUED, "send"),
        (State.SENT, "fail"),
    ],
)
def test_a_move_the_table_refuses_raises_and_saves_nothing(state, move):
    email = queued(state=state)
    with pytest.raises(InvalidTransition):
        _move(email, move)
    email.refresh_from_db()
    assert email.state == state


def test_a_failure_then_a_retry_go_through_the_moves():
    email = queued()
    with mock.patch(SEND, side_effect=OSError("connection refused")):
        assert deliver_email.call(email.pk) == State.FAILED
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.FAILED, 1)
    assert "connection refused" in email.last_error
    with mock.patch(SEND) as send:
        assert deliver_email.call(email.pk) == State.SENT
    send.assert_called_once()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 2)
    assert email.sent_at is not None
