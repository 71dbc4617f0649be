"""Read the bot's updates by polling (`getUpdates`) instead of the webhook, and link the
chats that sent `/start <code>` (communications.telegram.services).

    manage.py telegram_poll            # until stopped
    manage.py telegram_poll --once     # one batch of updates, then exit

Use it where the site cannot receive Telegram's webhook (a development machine); a bot
with a webhook set answers getUpdates with 409, reported here."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dobry.communications.remote import RateLimited, RemoteError
from dobry.communications.telegram import bot
from dobry.communications.telegram.services import telegram_update_handle


def poll_once(offset: int, wait: int) -> tuple[int, list[str]]:
    """One `getUpdates` from `offset`: the next offset and what each update did."""
    answer = bot.call_list("getUpdates", {"offset": offset, "timeout": wait})
    done = []
    for update in answer:
        if isinstance(update, dict) and isinstance(update.get("update_id"), int):
            offset = max(offset, update["update_id"] + 1)
            done.append(telegram_update_handle(update))
    return offset, done


class Command(BaseCommand):
    help = "Poll the Telegram bot's updates and link the chats that sent /start <code>."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one batch, then exit")
        parser.add_argument("--wait", type=int, default=25, help="long-poll seconds (0–50)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not bot.configured():
            raise CommandError("Set DOBRY_TELEGRAM_BOT_TOKEN and DOBRY_TELEGRAM_BOT_USERNAME.")
        wait = min(max(int(options["wait"]), 0), 50)
        offset = 0
        while True:
            try:
                offset, done = poll_once(offset, 0 if options["once"] else wait)
            except RateLimited as error:
                raise CommandError(f"rate limited, retry after {error.retry_after} s") from error
            except RemoteError as error:
                raise CommandError(str(error)) from error
            for result in done:
                self.stdout.write(result)
            if options["once"]:
                return
