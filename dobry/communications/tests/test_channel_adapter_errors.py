"""The channels' adapters against the fake server: each way VK and the Bot API answer is
one of `communications.remote`'s errors, and the posting worker does the right thing with
it — wait for a 429's Retry-After, try again later after a 5xx, fail at once on a
refusal — and a service that cannot be reached, or answers with something not JSON, is
`Unreachable` (`remote.post_form`)."""

import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from dobry.communications.channels import adapters
from dobry.communications.channels.rendering import Rendered
from dobry.communications.channels.services import channel_post_send
from dobry.communications.models import ChannelPost
from dobry.communications.remote import (
    RateLimited,
    Refused,
    Unknown,
    Unreachable,
    post_form,
    retry_after_header,
)
from dobry.communications.tests.channel_factories import proposed
from dobry.communications.tests.fake_apis import Answer, telegram_error, vk_error

pytestmark = pytest.mark.django_db
POST = Rendered(text="Ярмарка в субботу", link="https://dobry.example.org/news/1/")
_P = ChannelPost.Status


def approved(channel: str = "vk") -> ChannelPost:
    return proposed(channel=channel, status=_P.APPROVED)


@pytest.mark.parametrize(
    ("answer", "error", "wait"),
    [
        (Answer(429, {}, {"Retry-After": "17"}), RateLimited, 17),
        (Answer(429, {}), RateLimited, 60),
        (vk_error(6, "Too many requests per second"), RateLimited, 1),
        (vk_error(9, "Flood control"), RateLimited, 60),
        (vk_error(29, "Rate limit reached"), RateLimited, 3600),
    ],
)
def test_vk_asking_to_wait_is_rate_limited_with_its_wait(fake_apis, answer, error, wait):
    fake_apis.answer("wall.post", answer)
    with pytest.raises(error) as raised:
        adapters.post("vk", POST, key="news:1:vk")
    assert raised.value.retry_after == wait


@pytest.mark.parametrize(
    "answer",
    [
        Answer(502, {"error": "bad gateway"}),
        vk_error(1, "Unknown error occurred"),
        vk_error(10, "Internal server error"),
        Answer(200, {"response": {"nothing": 1}}),
        Answer(200, {"response": 5}),
    ],
)
def test_vk_failing_on_its_side_is_unreachable(fake_apis, answer):
    fake_apis.answer("wall.post", answer)
    with pytest.raises(Unreachable):
        adapters.post("vk", POST, key="news:1:vk")


def test_vk_refusing_is_final_and_says_why(fake_apis):
    fake_apis.answer("wall.post", vk_error(15, "Access denied: " + "x" * 900))
    with pytest.raises(Refused) as raised:
        adapters.post("vk", POST, key="news:1:vk")
    assert str(raised.value).startswith("15: Access denied")
    assert len(str(raised.value)) <= 504


def test_vk_posts_from_the_community_with_the_link_and_guid(fake_apis):
    remote_id = adapters.post("vk", POST, key="news:1:vk")
    assert remote_id.startswith("-4242_")
    assert remote_id.removeprefix("-4242_").isdigit()
    [call] = fake_apis.calls("wall.post")
    assert call["owner_id"] == "-4242"
    assert call["from_group"] == "1"
    assert (call["attachments"], call["guid"]) == (POST.link, "news:1:vk")


def test_telegram_sends_a_photo_with_a_caption_when_there_is_one(fake_apis):
    photo = Rendered(text="<b>Ярмарка</b>", link="https://x/", photo_url="https://x/p.jpg")
    adapters.post("telegram", photo, key="news:1:telegram")
    [call] = fake_apis.calls("sendPhoto")
    assert (call["photo"], call["caption"], call["parse_mode"]) == (
        "https://x/p.jpg",
        "<b>Ярмарка</b>",
        "HTML",
    )
    assert fake_apis.calls("sendMessage") == []


def test_a_vk_5xx_puts_the_post_back_to_wait_with_a_growing_pause(fake_apis):
    post = approved()
    fake_apis.answer("wall.post", Answer(503, {}))
    before = timezone.now()
    assert channel_post_send(post_id=post.pk) == "waiting"
    post.refresh_from_db()
    assert post.status == _P.APPROVED
    assert (post.attempts, post.in_flight_since) == (1, None)
    assert post.not_before >= before + timedelta(minutes=2)
    assert post.last_error == "Unreachable: HTTP 503"


def test_a_vk_5xx_on_the_last_attempt_fails_the_post(fake_apis):
    post = approved()
    ChannelPost.objects.filter(pk=post.pk).update(attempts=4)
    fake_apis.answer("wall.post", Answer(500, {}))
    assert channel_post_send(post_id=post.pk) == _P.FAILED
    post.refresh_from_db()
    assert (post.status, post.attempts, post.remote_id) == (_P.FAILED, 5, "")


def test_a_telegram_refusal_fails_the_post_at_once(fake_apis):
    post = approved("telegram")
    fake_apis.answer("sendMessage", telegram_error(400, "Bad Request: chat not found"))
    assert channel_post_send(post_id=post.pk) == _P.FAILED
    post.refresh_from_db()
    assert "chat not found" in post.last_error


def test_a_post_to_a_channel_no_longer_configured_waits(fake_apis, settings):
    post = approved()
    settings.DOBRY_VK_TOKEN = ""
    assert channel_post_send(post_id=post.pk) == "not_configured"
    assert fake_apis.requests == []
    post.refresh_from_db()
    assert (post.status, post.attempts) == (_P.APPROVED, 0)


def test_a_missing_post_is_said_missing():
    assert channel_post_send(post_id=987654) == "missing"


class _NotJson(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>maintenance</html>")

    def log_message(self, format, *args) -> None:  # quiet
        pass


def test_an_answer_that_is_not_json_is_unreachable():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotJson)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(Unreachable, match="not JSON"):
            post_form(f"http://127.0.0.1:{server.server_address[1]}/method", {"a": 1})
    finally:
        server.shutdown()
        server.server_close()


def test_a_closed_port_is_unreachable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Unreachable):
        post_form(f"http://127.0.0.1:{port}/method", {"a": 1})


def test_a_timeout_after_sending_is_unknown(monkeypatch):
    def slow(*_args, **_kwargs):
        raise TimeoutError("timed out")

    monkeypatch.setattr("urllib.request.urlopen", slow)
    with pytest.raises(Unknown, match="timeout"):
        post_form("http://127.0.0.1:9/method", {})


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30),
        ({"retry-after": " 7 "}, 7),
        ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, 60),
        ({}, 60),
    ],
)
def test_retry_after_takes_only_the_seconds_form(headers, seconds):
    assert retry_after_header(headers, 60) == seconds
