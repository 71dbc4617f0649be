"""The worker's moves of an outbox row (`models.outbox.OutboxMessage`), one way for every
outbox: claim under the row lock (or suppress), then sent or failed, and the failed rows
due for another attempt. Each move is checked by the row's workflow (`workflow_of`).

A row found «sending» is never claimed again: the message may have left (the SMTP server
or the Bot API accepted it and the answer was lost), and a personal message is sent at
most once."""

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dobry.communications.models.outbox import OutboxMessage, OutboxState
from dobry.core.workflow import workflow_of

Row = TypeVar("Row", bound=OutboxMessage)
# At most this many rows are enqueued again by one retry round.
RETRY_BATCH = 500


def move(row: OutboxMessage, name: str, *fields: str) -> None:
    """Make the worker's move `name` on `row` (the workflow refuses an illegal one) and
    save the state with `fields`."""
    row.state = workflow_of(row, "state").check(row.state, name).target
    row.save(update_fields=["state", *fields])


def claim(model: type[Row], pk: int, *, unreachable: Callable[[Row], bool]) -> Row | str:
    """Under the row lock: the row to send now, moved to «sending» with one more attempt;
    else what it is left as — its state (already sent, being sent, suppressed now because
    `unreachable(row)`), «waiting» (its `not_before` is ahead) or «missing»."""
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return "missing"
        if row.state not in workflow_of(model, "state").move("claim").sources:
            return str(row.state)
        if row.not_before is not None and row.not_before > timezone.now():
            return "waiting"
        if unreachable(row):
            move(row, "suppress")
            return str(row.state)
        row.attempts += 1
        move(row, "claim", "attempts")
    return row


def sent(row: OutboxMessage, *fields: str) -> str:
    """The row went out: «sent», with `sent_at` now, the error of an earlier attempt
    cleared and `fields` saved."""
    row.sent_at = timezone.now()
    row.last_error = ""
    move(row, "send", "sent_at", "last_error", *fields)
    return str(row.state)


def failed(
    row: OutboxMessage, error: Exception, *, wait: timedelta | None = None, final: int | None = None
) -> str:
    """The attempt failed with `error`: «failed», tried again after `wait` (None: at the
    next retry round); `final` (the outbox's limit) gives up on the row at once."""
    if wait is not None:
        row.not_before = timezone.now() + wait
    if final is not None:
        row.attempts = final
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    move(row, "fail", "attempts", "not_before", "last_error")
    return str(row.state)


def backoff(attempts: int) -> timedelta:
    """The wait after a transient failure: doubling minutes, 2 after the first attempt."""
    return timedelta(minutes=2**attempts)


def due_for_retry(model: type[OutboxMessage], max_attempts: int) -> list[int]:
    """The ids of failed rows with attempts left whose wait is over (oldest first, at most
    RETRY_BATCH)."""
    now = timezone.now()
    return list(
        model._default_manager.filter(state=OutboxState.FAILED, attempts__lt=max_attempts)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:RETRY_BATCH]
    )
