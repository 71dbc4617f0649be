"""Delivering the bot's personal messages through the task worker."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from dobry.communications.models import OutboundTelegram
from dobry.communications.models.telegram import TELEGRAM_OUTBOX_WORKFLOW
from dobry.communications.remote import RateLimited, Refused, RemoteError, Unknown
from dobry.communications.telegram import bot

MAX_ATTEMPTS = 5
_S = OutboundTelegram.State


def _claim(message_id: int) -> OutboundTelegram | str:
    """The row, moved to «sending» under its lock; else what it is (sent, waiting…)."""
    with transaction.atomic():
        message = (
            OutboundTelegram.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return "missing"
        if message.state not in (_S.QUEUED, _S.FAILED):
            return str(message.state)
        if message.not_before is not None and message.not_before > timezone.now():
            return "waiting"
        user = message.user
        if not bot.configured() or (user is not None and (not user.is_active or user.erased_at)):
            _move(message, "suppress")
            message.save(update_fields=["state"])
            return str(message.state)
        _move(message, "claim")
        message.attempts += 1
        message.save(update_fields=["state", "attempts"])
    return message


@task()
def deliver_telegram(message_id: int) -> str:
    """Send one outbox row with `sendMessage`. Only a queued or failed row whose wait is
    over is sent, claimed under a row lock, so a repeated task after a success does
    nothing. A 429 keeps the row failed until its `retry_after` has passed; a refusal
    (the person blocked the bot) fails it for good; a call whose answer never came is
    not sent again (it may have arrived)."""
    claimed = _claim(message_id)
    if isinstance(claimed, str):
        return claimed
    message = claimed
    try:
        result = bot.call("sendMessage", {"chat_id": message.chat_id, "text": message.text})
    except RateLimited as error:
        message.not_before = timezone.now() + timedelta(seconds=error.retry_after)
        return _failed(message, error, attempts_left=True)
    except (Refused, Unknown) as error:
        return _failed(message, error, attempts_left=False)
    except RemoteError as error:
        message.not_before = timezone.now() + timedelta(minutes=2**message.attempts)
        return _failed(message, error, attempts_left=True)
    _move(message, "send")
    message.sent_at = timezone.now()
    message_id_sent = result.get("message_id")
    message.message_id = message_id_sent if isinstance(message_id_sent, int) else None
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "message_id", "last_error"])
    return str(message.state)


def _move(message: OutboundTelegram, name: str) -> None:
    """The row's state after the worker's move `name` (`TELEGRAM_OUTBOX_WORKFLOW`)."""
    message.state = TELEGRAM_OUTBOX_WORKFLOW.check(message.state, name).target


def _failed(message: OutboundTelegram, error: Exception, *, attempts_left: bool) -> str:
    _move(message, "fail")
    if not attempts_left:
        message.attempts = MAX_ATTEMPTS
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.save(update_fields=["state", "attempts", "not_before", "last_error"])
    return str(message.state)


@task()
def retry_telegram() -> int:
    """Periodic: enqueue again the failed messages whose wait is over, up to MAX_ATTEMPTS."""
    ids = list(
        OutboundTelegram.objects.filter(state=_S.FAILED, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=timezone.now()))
        .values_list("pk", flat=True)[:500]
    )
    for message_id in ids:
        deliver_telegram.enqueue(message_id)
    return len(ids)
