"""The Telegram Bot API: one method call (`call`) with its failures told apart, and the
settings that say whether the bot is configured."""

from typing import Any

from django.conf import settings

from dobry.communications.remote import RateLimited, Refused, Unreachable, post_form

# Telegram's limits: a message's text, a photo's caption.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def configured() -> bool:
    """A token and the bot's username: without them nothing is sent or linked."""
    return bool(settings.DOBRY_TELEGRAM_BOT_TOKEN and settings.DOBRY_TELEGRAM_BOT_USERNAME)


def deep_link(code: str) -> str:
    return f"https://t.me/{settings.DOBRY_TELEGRAM_BOT_USERNAME}?start={code}"


def call(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Call `method` with `params`; its `result` (an object). A 429 is `RateLimited` with
    the answer's `retry_after`, another 4xx `Refused`, a 5xx `Unreachable`."""
    result = _result(method, params)
    return result if isinstance(result, dict) else {"value": result}


def call_list(method: str, params: dict[str, Any]) -> list[Any]:
    """`call` for a method whose result is a list (getUpdates)."""
    result = _result(method, params)
    return result if isinstance(result, list) else []


def _result(method: str, params: dict[str, Any]) -> Any:
    token = settings.DOBRY_TELEGRAM_BOT_TOKEN
    url = f"{settings.DOBRY_TELEGRAM_API_URL}/bot{token}/{method}"
    status, answer, _headers = post_form(url, params)
    if answer.get("ok") is True:
        return answer.get("result")
    description = str(answer.get("description") or f"HTTP {status}")[:500]
    code = answer.get("error_code") or status
    if code == 429:
        parameters = answer.get("parameters") or {}
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        seconds = int(retry_after) if isinstance(retry_after, int) else 5
        raise RateLimited(description, seconds)
    if isinstance(code, int) and 400 <= code < 500:
        raise Refused(f"{code}: {description}")
    raise Unreachable(f"{code}: {description}")
