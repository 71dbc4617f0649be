"""A local HTTP server that imitates the Telegram Bot API and the VK API: it records each
request (method, form fields) and answers from a script of responses per method — success
by default, a 429 with `retry_after`, an error — so the adapters are tested over real
HTTP with no internet."""

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

TOKEN = "123456:TEST-TOKEN"


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeApis:
    url: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    script: dict[str, list[Answer]] = field(default_factory=dict)
    next_id: int = 100

    def answer(self, method: str, *answers: Answer) -> None:
        """The next answers to `method`, in order; after them, success."""
        self.script.setdefault(method, []).extend(answers)

    def calls(self, method: str) -> list[dict[str, str]]:
        return [fields for name, fields in self.requests if name == method]

    def respond(self, path: str, fields: dict[str, str]) -> Answer:
        method = path.rsplit("/", 1)[-1]
        self.requests.append((method, fields))
        if self.script.get(method):
            return self.script[method].pop(0)
        self.next_id += 1
        if path.startswith("/method/"):  # VK
            if fields.get("access_token") != "vk-token":
                return Answer(
                    200, {"error": {"error_code": 5, "error_msg": "User authorization failed"}}
                )
            return Answer(200, {"response": {"post_id": self.next_id}})
        if not path.startswith(f"/bot{TOKEN}/"):
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if method == "getUpdates":
            return Answer(200, {"ok": True, "result": []})
        return Answer(200, {"ok": True, "result": {"message_id": self.next_id}})


def telegram_429(retry_after: int) -> Answer:
    return Answer(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


def telegram_error(code: int, description: str) -> Answer:
    return Answer(code, {"ok": False, "error_code": code, "description": description})


def vk_error(code: int, message: str) -> Answer:
    return Answer(200, {"error": {"error_code": code, "error_msg": message}})


@pytest.fixture
def fake_apis(settings) -> Iterator[FakeApis]:
    """The fake server, with the settings pointing the bot, the channel and VK at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    fake = FakeApis(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.fake = fake  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.DOBRY_TELEGRAM_API_URL = fake.url
    settings.DOBRY_TELEGRAM_BOT_TOKEN = TOKEN
    settings.DOBRY_TELEGRAM_BOT_USERNAME = "dobry_city_bot"
    settings.DOBRY_TELEGRAM_WEBHOOK_SECRET = "hook-secret"
    settings.DOBRY_TELEGRAM_CHANNEL = "@dobry_city"
    settings.DOBRY_VK_API_URL = fake.url
    settings.DOBRY_VK_TOKEN = "vk-token"
    settings.DOBRY_VK_GROUP_ID = 4242
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        fields = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            answer = Answer(
                400, {"ok": False, "error_code": 400, "description": "bad content type"}
            )
        else:
            answer = self.server.fake.respond(self.path, fields)  # type: ignore[attr-defined]
        body = json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass
