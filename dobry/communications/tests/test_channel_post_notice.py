"""Coordinators are told of a post awaiting approval through the notification hub
(`CHANNEL_POST_PROPOSED`): once per post when it is proposed — not when the item is
proposed again, approved, retried or posted — in the app, and by email and Telegram as
each coordinator chose for the kind."""

import pytest
from django.utils import translation

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.channels.rendering import ChannelItem
from dobry.communications.channels.services import (
    channel_post_move,
    channel_posts_propose,
    channel_posts_propose_item,
)
from dobry.communications.kinds import KINDS
from dobry.communications.models import (
    ChannelPost,
    Notification,
    OutboundEmail,
    OutboundTelegram,
    TelegramLink,
)
from dobry.communications.services import notification_preferences_set
from dobry.communications.tests.channel_factories import published
from dobry.communications.tests.fake_apis import vk_error
from dobry.core.references import Reference

pytestmark = pytest.mark.django_db
KIND = "channel_post_proposed"


def notices(kind: str = KIND):
    return Notification.objects.filter(kind=kind)


def test_the_kind_is_registered_for_the_preferences_page():
    assert KIND in KINDS
    assert KINDS[KIND].email_by_default


def test_each_proposed_post_is_told_to_every_active_coordinator_once(coordinator):
    other = UserFactory(is_coordinator=True)
    UserFactory(is_coordinator=True, is_active=False)
    UserFactory()  # a resident is not told
    item = published("Ярмарка ремёсел")
    channel_posts_propose(item=item, channels=["vk", "telegram"])
    channel_posts_propose(item=item, channels=["vk", "telegram"])  # proposed again: no row
    assert sorted(notices().values_list("user", flat=True)) == sorted(
        [coordinator.pk, coordinator.pk, other.pk, other.pk]
    )
    notice = notices().filter(user=coordinator).first()
    assert notice.url == "/news/channels/?status=proposed"
    with translation.override("ru"):
        assert notice.title == "Публикация в канале ждёт одобрения: «Ярмарка ремёсел»"
        assert "одобрите или отклоните" in notice.body


def test_an_event_post_is_told_with_the_events_title(coordinator):
    item = ChannelItem(title="Чистый берег", url="https://x.example/events/5/")
    channel_posts_propose_item(subject=Reference("event", 5), item=item, channels=["vk"])
    [notice] = notices()
    with translation.override("ru"):
        assert notice.title == "Публикация в канале ждёт одобрения: «Чистый берег»"
        assert "сообщество ВКонтакте" in notice.body
    with translation.override("en"):
        assert "Чистый берег" in notice.title
        assert "awaiting approval" in notice.title


def test_approving_and_retrying_tell_nobody_again(coordinator, fake_apis):
    [post] = channel_posts_propose(item=published(), channels=["vk"])
    fake_apis.answer("wall.post", vk_error(15, "Access denied"))
    channel_post_move(actor=coordinator, post=post, move="approve")
    post.refresh_from_db()
    assert post.status == ChannelPost.Status.FAILED
    channel_post_move(actor=coordinator, post=post, move="retry")
    assert notices().count() == 1


def test_the_notice_comes_by_email_by_default_and_by_telegram_when_chosen(coordinator, fake_apis):
    TelegramLink.objects.create(user=coordinator, chat_id=99)
    notification_preferences_set(user=coordinator, telegram_by_kind={KIND: True})
    channel_posts_propose(item=published("Новость для канала"), channels=["vk"])
    [email] = OutboundEmail.objects.filter(kind=KIND)
    assert (email.to, email.user_id) == (coordinator.email, coordinator.pk)
    assert "Новость для канала" in email.subject
    [message] = OutboundTelegram.objects.filter(kind=KIND)
    assert message.chat_id == 99
    [sent] = fake_apis.calls("sendMessage")
    assert sent["chat_id"] == "99"
    assert "Новость для канала" in sent["text"]


def test_a_coordinator_who_turned_email_off_gets_the_notice_in_the_app_only(coordinator):
    notification_preferences_set(user=coordinator, email_by_kind={KIND: False})
    channel_posts_propose(item=published(), channels=["telegram"])
    assert notices().count() == 1
    assert not OutboundEmail.objects.filter(kind=KIND).exists()
