"""How the app's rows are named where staff meet them (the admin's lists, audit entries
naming their object, logs): each says what the row is — an address and why, a mailing
and a recipient and the state, a chat and its key — and a notification made with frozen
text shows that text as it was set."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import (
    BounceScore,
    ChannelPost,
    Delivery,
    MailingContact,
    NewsTag,
    Notification,
    NotificationPreference,
    OutboundEmail,
    OutboundTelegram,
    SendingAllowance,
    Suppression,
    TelegramLink,
    TelegramLinkCode,
    Unsubscription,
)
from dobry.communications.tests.channel_factories import published
from dobry.communications.tests.mailing_factories import mailing, segment

pytestmark = pytest.mark.django_db


def test_the_lists_and_the_suppression_name_the_address_and_why():
    assert str(Suppression(email="a@example.org", reason="complaint")) == (
        "a@example.org (complaint)"
    )
    assert str(Unsubscription(email="a@example.org", kind="mailing")) == "a@example.org: mailing"
    score = BounceScore(
        email="a@example.org", score=Decimal("2.5"), last_bounce_on=date(2026, 11, 30)
    )
    assert str(score) == "a@example.org: 2.5"


def test_a_mailing_its_segment_contact_and_delivery_are_named():
    m = mailing(subject="Новости недели", segment=segment(name="Волонтёры"))
    assert (str(m), str(m.segment)) == ("Новости недели", "Волонтёры")
    assert m.editable
    row = Delivery.objects.create(mailing=m, email="b@example.org")
    assert str(row) == f"{m.pk}: b@example.org (queued)"
    assert str(MailingContact(email="c@example.org")) == "c@example.org"
    allowance = SendingAllowance(name="provider", used=7, minute=29000000)
    assert str(allowance) == "provider: 7 in minute 29000000"


def test_a_scheduled_mailing_is_no_longer_editable():
    assert not mailing(status="scheduled", scheduled_at=timezone.now()).editable


def test_the_outboxes_name_their_recipient():
    email = OutboundEmail(to="d@example.org", subject="Тема")
    assert str(email) == "d@example.org: Тема"
    assert str(OutboundTelegram(chat_id=42, key="notification:7")) == "42: notification:7"


def test_a_telegram_link_and_its_code_name_the_person(resident):
    link = TelegramLink(user=resident, chat_id=99)
    assert str(link) == f"{resident.pk} → 99"
    moment = timezone.now().replace(year=2031, month=6, day=5, hour=3, minute=0)
    code = TelegramLinkCode(user=resident, code_hash="x", expires_at=moment)
    assert str(code) == f"{resident.pk}: 2031-06-05 03:00"


def test_a_preference_names_the_kind_and_the_choice(resident):
    pref = NotificationPreference(user=resident, kind="news_published", email=False)
    assert str(pref) == f"{resident.pk}:news_published=False"


def test_a_channel_post_names_its_channel_and_what_it_posts():
    item = published()
    assert str(ChannelPost(channel="vk", news=item)) == f"vk: {item.pk}"
    post = ChannelPost(channel="telegram", subject_kind="event", subject_pk=5, title="Акция")
    assert str(post) == "telegram: event:5"
    assert post.headline == "Акция"
    assert post.page_url == ""


def test_a_tag_is_named_by_its_name():
    assert str(NewsTag(slug="ecology", name="Экология")) == "Экология"


def test_a_notification_with_frozen_text_shows_it_as_set():
    notice = Notification(user=UserFactory(), kind="legacy", params=None)
    notice.title = "Старое уведомление"
    notice.body = "Текст как был"
    assert (notice.stored_title, notice.stored_body) == ("Старое уведомление", "Текст как был")
    assert (str(notice), notice.body) == ("Старое уведомление", "Текст как был")
    assert notice.render() == ("Старое уведомление", "Текст как был")


def test_unread_notifications_are_the_ones_not_read(resident):
    read = Notification.objects.create(user=resident, kind="x", read_at=timezone.now())
    unread = Notification.objects.create(user=resident, kind="x")
    assert list(Notification.objects.unread()) == [unread]
    assert read.read_at <= timezone.now() + timedelta(seconds=1)
