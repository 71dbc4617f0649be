"""A mailing's delivery rows move by a workflow (`DELIVERY_WORKFLOW`) like every state of
the project, many rows at a time (`Workflow.update_rows`): only from the move's sources,
so a row another worker took over, a row sent, or a row already suppressed is left as
it is."""

import pytest
from django.utils import timezone

from dobry.communications.mailings import delivery, services
from dobry.communications.models import DELIVERY_WORKFLOW, Delivery, Mailing
from dobry.communications.tests.mailing_factories import mailing
from dobry.core.workflow import workflow_of

pytestmark = pytest.mark.django_db
S = Delivery.State


def rows(m: Mailing, *states: str) -> list[Delivery]:
    return [
        Delivery.objects.create(mailing=m, email=f"r{i}@example.org", state=state)
        for i, state in enumerate(states)
    ]


def test_the_delivery_state_is_a_bound_workflow_made_by_the_machine_only():
    assert workflow_of(Delivery, "state") is DELIVERY_WORKFLOW
    assert DELIVERY_WORKFLOW.starts == {S.QUEUED}
    assert DELIVERY_WORKFLOW.table == {
        S.QUEUED: frozenset({S.SENDING, S.SUPPRESSED}),
        S.SENDING: frozenset({S.SENDING, S.SENT, S.QUEUED, S.FAILED, S.SUPPRESSED}),
    }
    assert not any(move.button for move in DELIVERY_WORKFLOW.moves)


def test_a_bulk_move_changes_only_the_rows_in_its_sources():
    m = mailing(status=Mailing.Status.SENDING)
    queued, sending, sent = rows(m, S.QUEUED, S.SENDING, S.SENT)
    moved = DELIVERY_WORKFLOW.update_rows(m.deliveries.all(), "send", sent_at=timezone.now())
    assert moved == 1
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {queued.pk: S.QUEUED, sending.pk: S.SENT, sent.pk: S.SENT}
    assert Delivery.objects.get(pk=sending.pk).sent_at is not None


def test_an_unknown_bulk_move_is_refused():
    m = mailing()
    rows(m, S.QUEUED)
    with pytest.raises(Exception, match="Неизвестное действие"):
        DELIVERY_WORKFLOW.update_rows(m.deliveries.all(), "deliver")
    assert m.deliveries.get().state == S.QUEUED


def test_marking_sent_leaves_a_row_another_claim_holds():
    m = mailing(status=Mailing.Status.SENDING)
    [row] = rows(m, S.SENDING)
    Delivery.objects.filter(pk=row.pk).update(claimed_by="other")
    delivery.mark_sent(row, "mine")
    assert Delivery.objects.get(pk=row.pk).state == S.SENDING


def test_a_claimed_row_whose_address_is_refused_is_suppressed_not_a_queued_one():
    m = mailing(status=Mailing.Status.SENDING)
    claimed, waiting = rows(m, S.SENDING, S.QUEUED)
    Delivery.objects.filter(pk__in=[claimed.pk, waiting.pk]).update(claimed_by="mine")
    # nobody on these addresses consented to mailings: both refused, only the claimed moves
    refused = delivery.suppress_refused([claimed, waiting], "mine")
    assert refused == {claimed.pk, waiting.pk}
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {claimed.pk: S.SUPPRESSED, waiting.pk: S.QUEUED}


def test_cancelling_suppresses_only_the_rows_not_yet_claimed(coordinator):
    m = mailing(status=Mailing.Status.SENDING)
    queued, sending, sent = rows(m, S.QUEUED, S.SENDING, S.SENT)
    services.mailing_cancel(actor=coordinator, mailing=m)
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {queued.pk: S.SUPPRESSED, sending.pk: S.SENDING, sent.pk: S.SENT}
    assert Delivery.objects.get(pk=queued.pk).last_error == "cancelled"


def test_the_hand_written_send_update_names_the_workflows_move():
    marks = delivery.SentMarks("token")
    assert marks.target == S.SENT
    assert b"state IN ('sending')" in marks.sql


def claimed(m: Mailing, token: str = "mine", **fields) -> Delivery:
    [row] = rows(m, S.SENDING)
    Delivery.objects.filter(pk=row.pk).update(claimed_by=token, attempts=1, **fields)
    row.refresh_from_db()
    return row


def test_a_transient_error_moves_the_claimed_row_back_to_the_queue(settings):
    settings.DOBRY_MAILING_MAX_ATTEMPTS = 3
    m = mailing(status=Mailing.Status.SENDING)
    row = claimed(m)
    error = delivery.smtplib.SMTPResponseException(451, b"try later")
    assert delivery._record_error(row, "mine", error) == S.QUEUED
    row.refresh_from_db()
    assert (row.state, row.claimed_by, row.lease_until) == (S.QUEUED, "", None)
    assert row.next_attempt_at is not None
    assert row.last_error.startswith("SMTPResponseException")


def test_a_permanent_error_fails_the_claimed_row():
    m = mailing(status=Mailing.Status.SENDING)
    row = claimed(m)
    error = delivery.smtplib.SMTPResponseException(550, b"no such mailbox")
    assert delivery._record_error(row, "mine", error) == S.FAILED
    row.refresh_from_db()
    assert (row.state, row.claimed_by) == (S.FAILED, "")


def test_an_error_recorded_by_a_claim_that_lost_the_row_changes_nothing():
    m = mailing(status=Mailing.Status.SENDING)
    row = claimed(m, token="other")
    delivery._record_error(row, "mine", delivery.smtplib.SMTPResponseException(550, b"no"))
    row.refresh_from_db()
    assert (row.state, row.claimed_by, row.last_error) == (S.SENDING, "other", "")


def test_a_row_under_a_live_lease_is_not_claimed_again(settings):
    settings.DOBRY_MAILING_LEASE_SECONDS = 60
    m = mailing(status=Mailing.Status.SENDING)
    claimed(m, token="other", lease_until=timezone.now() + delivery.timedelta(minutes=1))
    assert delivery.claim_batch(m.pk, "mine", size=5) == []
