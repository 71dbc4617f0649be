"""Calling the Telegram Bot API and the VK API over HTTPS with the standard library: a form
POST answered by JSON, and the three ways it fails — the service asks us to wait
(`RateLimited`, Telegram's 429 `retry_after`, VK's «too many requests»), it refuses for
good (`Refused`: a bad token, a chat that blocked the bot), or it could not be reached
(`Unreachable`: worth another try)."""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 15


class RemoteError(Exception):
    """A call that did not do what was asked."""


class RateLimited(RemoteError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class Refused(RemoteError):
    """The service answered that the request is wrong: trying again changes nothing."""


class Unreachable(RemoteError):
    """No answer, or the service's own fault (5xx): another try may succeed, and nothing
    was done (a timeout after sending is reported as `Unknown`)."""


class Unknown(RemoteError):
    """The request went but the answer did not come: it may have been done."""


def post_form(url: str, data: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
    """POST `data` as a form; the HTTP status, the JSON body and the headers. A body that is
    not a JSON object is `Unreachable` (a proxy's error page)."""
    body = urllib.parse.urlencode({k: v for k, v in data.items() if v is not None}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, raw, headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), dict(error.headers or {})
    except TimeoutError as error:
        raise Unknown(f"timeout: {error}") from error
    except (urllib.error.URLError, OSError) as error:
        raise Unreachable(f"{type(error).__name__}: {error}") from error
    try:
        answer = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        answer = None
    if not isinstance(answer, dict):
        raise Unreachable(f"HTTP {status}: not JSON")
    return status, answer, headers


def retry_after_header(headers: dict[str, str], default: int) -> int:
    """Seconds from a Retry-After header (only the number of seconds form), else `default`."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "")
    return int(value) if value.strip().isdigit() else default
