"""`manage.py telegram_poll` (the bot's updates read by polling where no webhook can
reach the site): refused without a bot, a 429 and another failure of the Bot API are a
command error that says what happened, the long-poll wait is bounded, and the offset moves
past the updates read."""

import pytest
from django.core.management import CommandError, call_command

from dobry.communications.management.commands.telegram_poll import poll_once
from dobry.communications.tests.fake_apis import Answer, telegram_error

pytestmark = pytest.mark.django_db


def test_without_a_bot_the_command_says_what_to_set(settings):
    settings.DOBRY_TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="DOBRY_TELEGRAM_BOT_TOKEN"):
        call_command("telegram_poll", "--once")


def test_a_429_is_an_error_naming_the_wait(fake_apis):
    answer = Answer(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many",
            "parameters": {"retry_after": 9},
        },
    )
    fake_apis.answer("getUpdates", answer)
    with pytest.raises(CommandError, match="retry after 9 s"):
        call_command("telegram_poll", "--once")


def test_a_bot_with_a_webhook_answers_409_and_the_command_says_so(fake_apis):
    fake_apis.answer("getUpdates", telegram_error(409, "Conflict: can't use getUpdates"))
    with pytest.raises(CommandError, match="Conflict"):
        call_command("telegram_poll", "--once")


def test_once_polls_without_waiting(fake_apis):
    call_command("telegram_poll", "--once", "--wait", "40")
    [call] = fake_apis.calls("getUpdates")
    assert call["timeout"] == "0"


def test_the_offset_moves_past_the_updates_read_and_skips_what_is_not_an_update(fake_apis):
    updates = [
        {"update_id": 7, "message": {"chat": {"id": 1}, "text": "hello"}},
        {"update_id": "eight"},
        "not an update",
        {"update_id": 12, "message": {"chat": {"id": 2}, "text": "/help"}},
    ]
    fake_apis.answer("getUpdates", Answer(200, {"ok": True, "result": updates}))
    offset, done = poll_once(5, 0)
    assert offset == 13
    assert len(done) == 2
    [call] = fake_apis.calls("getUpdates")
    assert (call["offset"], call["timeout"]) == ("5", "0")
