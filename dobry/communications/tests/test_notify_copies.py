"""The copies `notify` makes of one notification (`services._reachable_once`,
`_send_copies`): each active recipient once in the order given, an email and a Telegram
message keyed by the notification (so a repeated delivery is the same row), the link at the
end of both, attachments by email only."""

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import (
    Notification,
    NotificationPreference,
    OutboundEmail,
    OutboundTelegram,
    TelegramLink,
)
from dobry.communications.services import Attachment, _reachable_once, notify

pytestmark = pytest.mark.django_db
KIND = "news_published"


class Item:
    """A context value that is not a row: the notification keeps frozen text."""

    title = "Ярмарка"

    def __str__(self) -> str:
        return self.title


def test_each_active_recipient_once_in_the_order_given():
    first, second = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    erased = UserFactory()
    erased.erased_at = erased.date_joined
    assert list(_reachable_once([second, first, second, gone, erased, first])) == [second, first]


def test_the_email_and_the_telegram_message_share_the_notifications_key(fake_apis):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id=77)
    NotificationPreference.objects.create(user=person, kind=KIND, email=True, telegram=True)
    [notice] = notify(KIND, [person], {"item": Item()}, url="/news/1/")
    key = f"notification:{notice.pk}"
    email = OutboundEmail.objects.get(key=key)
    message = OutboundTelegram.objects.get(key=key)
    assert (email.kind, message.kind) == (KIND, KIND)
    assert email.body_text.endswith("/news/1/")
    assert message.text.startswith(email.subject)
    assert message.text.endswith("/news/1/")


def test_without_a_url_neither_copy_carries_a_link(fake_apis):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id=78)
    NotificationPreference.objects.create(user=person, kind=KIND, email=True, telegram=True)
    notify(KIND, [person], {"item": Item()})
    assert "http" not in OutboundEmail.objects.get().body_text
    assert "http" not in OutboundTelegram.objects.get().text


def test_attachments_go_by_email_only(fake_apis):
    person = UserFactory()
    TelegramLink.objects.create(user=person, chat_id=79)
    NotificationPreference.objects.create(user=person, kind=KIND, email=True, telegram=True)
    picture = Attachment(name="qr.png", content_type="image/png", content=b"png")
    notify(KIND, [person], {"item": Item()}, attachments=[picture])
    [attached] = OutboundEmail.objects.get().attachments
    assert attached["name"] == "qr.png"
    assert [call["text"] for call in fake_apis.calls("sendMessage")]  # sent, without a file
    assert fake_apis.calls("sendDocument") == []


def test_a_person_who_wants_neither_copy_gets_the_notification_only():
    person = UserFactory()
    NotificationPreference.objects.create(user=person, kind=KIND, email=False, telegram=False)
    [notice] = notify(KIND, [person], {"item": Item()})
    assert Notification.objects.get() == notice
    assert not OutboundEmail.objects.exists()
    assert not OutboundTelegram.objects.exists()


def test_a_context_that_cannot_be_kept_leaves_frozen_text_in_the_persons_language():
    person = UserFactory(language="en")
    [notice] = notify(KIND, [person], {"item": Item()})
    assert notice.params is None
    assert "Ярмарка" in notice.stored_title or "Ярмарка" in notice.stored_body
