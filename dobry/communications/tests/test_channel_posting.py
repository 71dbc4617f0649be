"""Posting approved items to the channels against the fake VK API and Bot API: what each
receives, a 429 honoured by its retry_after, a refusal, a service that cannot be reached,
the ~20 posts a minute per channel, and never a second post of a row."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.communications.channels.services import (
    channel_post_move,
    channel_post_send,
    channel_posts_tend,
)
from dobry.communications.channels.tasks import post_to_channel, tend_channel_posts
from dobry.communications.models import ChannelPost
from dobry.communications.tests.channel_factories import proposed, published
from dobry.communications.tests.fake_apis import (
    Answer,
    telegram_429,
    telegram_error,
    vk_error,
)
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
_P = ChannelPost.Status


def approve(coordinator, post):
    return channel_post_move(actor=coordinator, post=post, move="approve")


def test_vk_gets_wall_post_from_the_community_with_the_key_as_guid(coordinator, fake_apis):
    post = proposed(channel="vk")
    approve(coordinator, post)
    [call] = fake_apis.calls("wall.post")
    link = f"/news/{post.news_id}/"
    assert call["owner_id"] == "-4242"
    assert call["from_group"] == "1"
    assert call["guid"] == post.key
    assert call["attachments"].endswith(link)
    assert call["message"].endswith(link)
    assert call["access_token"] == "vk-token"
    post.refresh_from_db()
    assert (post.status, post.remote_id, post.attempts) == (_P.SENT, "-4242_101", 1)
    assert post.text == call["message"]
    assert post.sent_at is not None
    assert AuditEntry.objects.filter(action="channel_post.send").count() == 1


def test_telegram_gets_an_html_message_in_the_channel(coordinator, fake_apis):
    post = proposed(channel="telegram")
    approve(coordinator, post)
    [call] = fake_apis.calls("sendMessage")
    assert (call["chat_id"], call["parse_mode"]) == ("@dobry_city", "HTML")
    assert call["text"].startswith("<b>Субботник в парке</b>")
    post.refresh_from_db()
    assert (post.status, post.remote_id) == (_P.SENT, "101")


def test_an_item_with_a_cover_goes_as_a_photo_with_a_caption(coordinator, fake_apis):
    item = published()
    item.cover = SimpleUploadedFile("c.png", b"x", content_type="image/png")
    item.save()
    approve(coordinator, proposed(item, channel="telegram"))
    [call] = fake_apis.calls("sendPhoto")
    assert call["photo"].endswith(".png")
    assert len(call["caption"]) <= 1024
    assert fake_apis.calls("sendMessage") == []


def test_a_telegram_429_waits_for_retry_after_then_posts_once(coordinator, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("sendMessage", telegram_429(42))
    post = proposed(channel="telegram")
    approve(coordinator, post)
    post.refresh_from_db()
    assert (post.status, post.not_before) == (_P.APPROVED, now + timedelta(seconds=42))
    assert "retry after 42" in post.last_error
    assert post.in_flight_since is None
    assert post_to_channel.call(post.pk) == "waiting"
    assert channel_posts_tend(now=now + timedelta(seconds=41)) == {"failed": 0, "enqueued": 0}
    freeze_now(now + timedelta(seconds=43))
    assert tend_channel_posts.call() == {"failed": 0, "enqueued": 1}
    post.refresh_from_db()
    assert post.status == _P.SENT
    assert len(fake_apis.calls("sendMessage")) == 2  # the refused one and the post


def test_vk_http_429_honours_its_retry_after_header(coordinator, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("wall.post", Answer(429, {"error": "slow down"}, {"Retry-After": "17"}))
    post = proposed(channel="vk")
    approve(coordinator, post)
    post.refresh_from_db()
    assert (post.status, post.not_before) == (_P.APPROVED, now + timedelta(seconds=17))


def test_vk_flood_control_waits_a_minute(coordinator, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("wall.post", vk_error(9, "Flood control"))
    post = proposed(channel="vk")
    approve(coordinator, post)
    post.refresh_from_db()
    assert post.not_before == now + timedelta(seconds=60)
    assert "Flood control" in post.last_error


@pytest.mark.parametrize(
    ("channel", "method", "answer", "error"),
    [
        ("vk", "wall.post", vk_error(15, "Access denied"), "Access denied"),
        ("telegram", "sendMessage", telegram_error(400, "Bad Request: chat not found"), "chat"),
    ],
)
def test_a_refusal_fails_the_post_at_once(coordinator, fake_apis, channel, method, answer, error):
    fake_apis.answer(method, answer)
    post = proposed(channel=channel)
    approve(coordinator, post)
    post.refresh_from_db()
    assert post.status == _P.FAILED
    assert error in post.last_error
    assert tend_channel_posts.call() == {"failed": 0, "enqueued": 0}
    assert len(fake_apis.calls(method)) == 1


def test_a_wrong_vk_token_is_a_refusal(coordinator, fake_apis, settings):
    settings.DOBRY_VK_TOKEN = "stale"
    post = proposed(channel="vk")
    approve(coordinator, post)
    post.refresh_from_db()
    assert post.status == _P.FAILED
    assert "authorization failed" in post.last_error


def test_a_server_error_is_tried_again_with_a_pause_then_fails(coordinator, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("sendMessage", *[telegram_error(502, "Bad Gateway")] * 5)
    post = proposed(channel="telegram")
    approve(coordinator, post)
    post.refresh_from_db()
    assert (post.status, post.attempts, post.not_before) == (
        _P.APPROVED,
        1,
        now + timedelta(minutes=2),
    )
    for minutes in (3, 10, 30, 100):
        freeze_now(now + timedelta(minutes=minutes))
        channel_posts_tend()
    post.refresh_from_db()
    assert (post.status, post.attempts) == (_P.FAILED, 5)
    assert "Bad Gateway" in post.last_error


def test_a_retry_after_a_success_never_posts_twice(coordinator, fake_apis):
    post = proposed(channel="vk")
    approve(coordinator, post)
    assert post_to_channel.call(post.pk) == _P.SENT
    assert channel_post_send(post_id=post.pk) == _P.SENT
    assert tend_channel_posts.call() == {"failed": 0, "enqueued": 0}
    assert len(fake_apis.calls("wall.post")) == 1


def test_a_post_left_in_flight_by_a_dead_worker_is_not_posted_again(
    coordinator, fake_apis, freeze_now
):
    now = timezone.now()
    freeze_now(now)
    post = proposed(channel="telegram", status=_P.APPROVED, in_flight_since=now, attempts=1)
    assert post_to_channel.call(post.pk) == "in_flight"
    freeze_now(now + timedelta(minutes=11))
    assert tend_channel_posts.call() == {"failed": 1, "enqueued": 0}
    post.refresh_from_db()
    assert post.status == _P.FAILED
    assert "check the channel" in post.last_error
    assert fake_apis.calls("sendMessage") == []
    # a coordinator who checked the channel queues it again on purpose
    channel_post_move(actor=coordinator, post=post, move="retry")
    post.refresh_from_db()
    assert (post.status, len(fake_apis.calls("sendMessage"))) == (_P.SENT, 1)


def test_about_twenty_posts_a_minute_per_channel(coordinator, fake_apis, freeze_now, settings):
    now = timezone.now()
    freeze_now(now)
    settings.DOBRY_CHANNEL_POSTS_PER_MINUTE = 3
    for seconds in (50, 40, 30):
        proposed(
            published(f"Новость {seconds}"),
            channel="telegram",
            status=_P.SENT,
            sent_at=now - timedelta(seconds=seconds),
        )
    other_channel = proposed(published("ВК"), channel="vk")
    approve(coordinator, other_channel)
    post = proposed(channel="telegram")
    approve(coordinator, post)
    post.refresh_from_db()
    assert (post.status, post.not_before) == (_P.APPROVED, now + timedelta(seconds=10))
    assert fake_apis.calls("sendMessage") == []
    assert len(fake_apis.calls("wall.post")) == 1
    freeze_now(now + timedelta(seconds=11))
    channel_posts_tend()
    post.refresh_from_db()
    assert post.status == _P.SENT


def test_with_no_token_nothing_is_posted(coordinator, settings):
    settings.DOBRY_VK_TOKEN = ""
    post = proposed(channel="vk")
    approve(coordinator, post)
    assert post_to_channel.call(post.pk) == "not_configured"
    post.refresh_from_db()
    assert (post.status, post.attempts) == (_P.APPROVED, 0)


def test_an_unreachable_channel_is_tried_again(coordinator, settings):
    settings.DOBRY_VK_TOKEN, settings.DOBRY_VK_GROUP_ID = "t", 1
    settings.DOBRY_VK_API_URL = "http://127.0.0.1:9"
    post = proposed(channel="vk")
    approve(coordinator, post)
    post.refresh_from_db()
    assert (post.status, post.attempts) == (_P.APPROVED, 1)
    assert post.not_before is not None
    assert "Unreachable" in post.last_error


def test_a_missing_post_is_reported(db):
    assert channel_post_send(post_id=987654) == "missing"
