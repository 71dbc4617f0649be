"""The two channels as adapters: whether each is configured, and posting a rendered post
to it — the Telegram channel by the Bot API (`sendMessage` / `sendPhoto`), the VK community
by `wall.post` from the community. Each returns the remote id of the post or raises one of
`communications.remote`'s errors."""

from django.conf import settings

from dobry.communications.channels.rendering import Rendered
from dobry.communications.models import ChannelPost
from dobry.communications.remote import (
    RateLimited,
    Refused,
    Unreachable,
    post_form,
    retry_after_header,
)
from dobry.communications.telegram import bot

_C = ChannelPost.Channel
# VK's errors that ask to wait (too many per second, flood control, a method's daily
# limit) and how long; VK gives no retry_after of its own.
VK_WAIT_SECONDS = {6: 1, 9: 60, 29: 3600}
# VK's errors on its side: worth another try.
VK_TRANSIENT = {1, 10}


def configured(channel: str) -> bool:
    if channel == _C.TELEGRAM:
        return bool(settings.DOBRY_TELEGRAM_BOT_TOKEN and settings.DOBRY_TELEGRAM_CHANNEL)
    return bool(settings.DOBRY_VK_TOKEN and settings.DOBRY_VK_GROUP_ID)


def configured_channels() -> list[str]:
    return [channel for channel in _C.values if configured(channel)]


def post(channel: str, rendered: Rendered, *, key: str) -> str:
    """Post to the channel; the remote id (VK `-<group>_<post>`, Telegram's message id)."""
    if channel == _C.TELEGRAM:
        return _telegram(rendered)
    return _vk(rendered, key=key)


def _telegram(rendered: Rendered) -> str:
    params: dict[str, object] = {"chat_id": settings.DOBRY_TELEGRAM_CHANNEL, "parse_mode": "HTML"}
    if rendered.photo_url:
        result = bot.call(
            "sendPhoto", {**params, "photo": rendered.photo_url, "caption": rendered.text}
        )
    else:
        result = bot.call("sendMessage", {**params, "text": rendered.text})
    return str(result.get("message_id", ""))


def _vk(rendered: Rendered, *, key: str) -> str:
    """`wall.post` from the community; `guid` is the post's key, so VK itself refuses a
    second post of the same key."""
    group = settings.DOBRY_VK_GROUP_ID
    status, answer, headers = post_form(
        f"{settings.DOBRY_VK_API_URL}/method/wall.post",
        {
            "access_token": settings.DOBRY_VK_TOKEN,
            "v": settings.DOBRY_VK_API_VERSION,
            "owner_id": -group,
            "from_group": 1,
            "message": rendered.text,
            "attachments": rendered.link,
            "guid": key,
        },
    )
    if status == 429:
        raise RateLimited("HTTP 429", retry_after_header(headers, 60))
    if status >= 500:
        raise Unreachable(f"HTTP {status}")
    error = answer.get("error")
    if isinstance(error, dict):
        code = error.get("error_code")
        message = f"{code}: {str(error.get('error_msg', ''))[:500]}"
        if code in VK_WAIT_SECONDS:
            raise RateLimited(message, VK_WAIT_SECONDS[code])
        if code in VK_TRANSIENT:
            raise Unreachable(message)
        raise Refused(message)
    response = answer.get("response")
    post_id = response.get("post_id") if isinstance(response, dict) else None
    if not isinstance(post_id, int):
        raise Unreachable(f"HTTP {status}: no post_id")
    return f"-{group}_{post_id}"
