"""Delivering the bot's personal messages through the task worker."""

from datetime import timedelta

from django_tasks import task

from dobry.communications import outbox
from dobry.communications.models import OutboundTelegram
from dobry.communications.remote import RateLimited, Refused, RemoteError, Unknown
from dobry.communications.telegram import bot

MAX_ATTEMPTS = 5


def _unreachable(message: OutboundTelegram) -> bool:
    """No bot is configured, or the person's account is gone."""
    user = message.user
    gone = user is not None and (not user.is_active or user.erased_at is not None)
    return not bot.configured() or gone


@task()
def deliver_telegram(message_id: int) -> str:
    """Send one outbox row with `sendMessage`. Only a queued or failed row whose wait is
    over is sent, claimed under a row lock (`communications.outbox`), so a repeated task
    after a success does nothing. A 429 keeps the row failed until its `retry_after` has
    passed; another transient error waits `outbox.backoff`; a refusal (the person blocked
    the bot) fails it for good; a call whose answer never came is not sent again (it may
    have arrived)."""
    message = outbox.claim(OutboundTelegram, message_id, unreachable=_unreachable)
    if isinstance(message, str):
        return message
    try:
        result = bot.call("sendMessage", {"chat_id": message.chat_id, "text": message.text})
    except RateLimited as error:
        return outbox.failed(message, error, wait=timedelta(seconds=error.retry_after))
    except (Refused, Unknown) as error:
        return outbox.failed(message, error, final=MAX_ATTEMPTS)
    except RemoteError as error:
        return outbox.failed(message, error, wait=outbox.backoff(message.attempts))
    message_id_sent = result.get("message_id")
    message.message_id = message_id_sent if isinstance(message_id_sent, int) else None
    return outbox.sent(message, "message_id")


@task()
def retry_telegram() -> int:
    """Periodic: enqueue again the failed messages whose wait is over, up to MAX_ATTEMPTS."""
    ids = outbox.due_for_retry(OutboundTelegram, MAX_ATTEMPTS)
    for message_id in ids:
        deliver_telegram.enqueue(message_id)
    return len(ids)
