"""Notifications by Telegram: chosen per kind (page and API), sent through the outbox to
the fake Bot API — success, a 429 honoured by its retry_after, a refusal that is final —
never twice, and forgotten on erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import bearer
from dobry.communications.models import NotificationPreference, OutboundTelegram, TelegramLink
from dobry.communications.services import notification_preferences_set, notify
from dobry.communications.telegram.tasks import MAX_ATTEMPTS, deliver_telegram, retry_telegram
from dobry.communications.tests.fake_apis import telegram_429, telegram_error
from dobry.core.errors import DomainError

pytestmark = pytest.mark.django_db
VERIFIED = "organization_verified"
PREFS = "/notifications/preferences/"
_S = OutboundTelegram.State


@pytest.fixture
def linked(resident):
    TelegramLink.objects.create(user=resident, chat_id=4242)
    return resident


def tell(user) -> None:
    notify(VERIFIED, [user], {"organization": "«Добро»"}, url="/organizations/")


def test_a_kind_chosen_for_telegram_is_sent_to_the_linked_chat(linked, fake_apis):
    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    [sent] = fake_apis.calls("sendMessage")
    assert sent["chat_id"] == "4242"
    assert "/organizations/" in sent["text"]
    message = OutboundTelegram.objects.get()
    assert (message.state, message.message_id, message.attempts) == (_S.SENT, 101, 1)


def test_a_kind_not_chosen_is_not_sent(linked, fake_apis):
    tell(linked)
    assert fake_apis.calls("sendMessage") == []
    assert not OutboundTelegram.objects.exists()


def test_nothing_is_sent_without_a_bot(linked, settings):
    NotificationPreference.objects.create(user=linked, kind=VERIFIED, telegram=True)
    settings.DOBRY_TELEGRAM_BOT_TOKEN = ""
    tell(linked)
    assert not OutboundTelegram.objects.exists()


def test_a_429_waits_for_its_retry_after_then_sends_once(linked, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("sendMessage", telegram_429(30))
    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    message = OutboundTelegram.objects.get()
    assert message.state == _S.FAILED
    assert message.not_before == now + timedelta(seconds=30)
    assert "retry after 30" in message.last_error
    freeze_now(now + timedelta(seconds=29))
    assert retry_telegram.call() == 0
    assert deliver_telegram.call(message.pk) == "waiting"
    freeze_now(now + timedelta(seconds=31))
    assert retry_telegram.call() == 1
    message.refresh_from_db()
    assert message.state == _S.SENT
    assert len(fake_apis.calls("sendMessage")) == 2
    assert deliver_telegram.call(message.pk) == _S.SENT
    assert retry_telegram.call() == 0
    assert len(fake_apis.calls("sendMessage")) == 2


def test_a_refusal_is_final(linked, fake_apis):
    fake_apis.answer("sendMessage", telegram_error(403, "Forbidden: bot was blocked by the user"))
    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    message = OutboundTelegram.objects.get()
    assert (message.state, message.attempts) == (_S.FAILED, MAX_ATTEMPTS)
    assert "blocked" in message.last_error
    assert retry_telegram.call() == 0
    assert len(fake_apis.calls("sendMessage")) == 1


def test_a_server_error_is_retried_later(linked, fake_apis, freeze_now):
    now = timezone.now()
    freeze_now(now)
    fake_apis.answer("sendMessage", telegram_error(502, "Bad Gateway"))
    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    message = OutboundTelegram.objects.get()
    assert message.state == _S.FAILED
    assert message.not_before == now + timedelta(minutes=2)
    freeze_now(now + timedelta(minutes=3))
    assert retry_telegram.call() == 1
    message.refresh_from_db()
    assert message.state == _S.SENT


def test_an_unreachable_api_fails_the_row_for_a_retry(linked, settings):
    settings.DOBRY_TELEGRAM_BOT_TOKEN = "t"
    settings.DOBRY_TELEGRAM_BOT_USERNAME = "bot"
    settings.DOBRY_TELEGRAM_API_URL = "http://127.0.0.1:9"  # nothing listens
    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    message = OutboundTelegram.objects.get()
    assert message.state == _S.FAILED
    assert message.attempts == 1


def test_a_long_text_is_cut_at_a_word_within_the_limit(linked, fake_apis):
    from dobry.communications.telegram.services import telegram_queue

    message = telegram_queue(key="long", user=linked, text="слово " * 1000)
    assert len(message.text) <= 4096
    assert message.text.endswith("слово…")


def test_the_same_key_is_queued_once(linked, fake_apis):
    from dobry.communications.telegram.services import telegram_queue

    telegram_queue(key="once", user=linked, text="a")
    telegram_queue(key="once", user=linked, text="a")
    assert len(fake_apis.calls("sendMessage")) == 1


def test_telegram_cannot_be_chosen_without_a_linked_chat(resident, fake_apis):
    with pytest.raises(DomainError) as error:
        notification_preferences_set(user=resident, telegram_by_kind={VERIFIED: True})
    assert "telegram" in error.value.field_errors
    assert not NotificationPreference.objects.exists()


def test_the_page_shows_the_telegram_column_only_when_linked(login_as, resident, fake_apis):
    client = login_as(resident)
    page = client.get(PREFS).content.decode()
    assert f'name="telegram-{VERIFIED}"' not in page
    assert "Свяжите Telegram" in page
    TelegramLink.objects.create(user=resident, chat_id=1)
    page = client.get(PREFS).content.decode()
    assert f'name="telegram-{VERIFIED}"' in page


def test_the_page_says_when_there_is_no_bot(login_as, resident):
    page = login_as(resident).get(PREFS).content.decode()
    assert "в Telegram на этом сайте пока не настроены" in page


def test_the_page_saves_both_channels_per_kind(login_as, linked, fake_apis):
    client = login_as(linked)
    response = client.post(PREFS, {VERIFIED: "on", f"telegram-{VERIFIED}": "on"})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=linked, kind=VERIFIED)
    assert (saved.email, saved.telegram) == (True, True)
    returned = NotificationPreference.objects.get(user=linked, kind="organization_returned")
    assert (returned.email, returned.telegram) == (False, False)


def test_the_api_reads_and_sets_telegram_per_kind(linked, fake_apis):
    client = bearer(linked)
    answer = client.patch(
        "/api/v1/me/notification-preferences",
        {"telegram": {VERIFIED: True}},
        content_type="application/json",
    )
    assert answer.status_code == 200
    row = next(p for p in answer.json() if p["kind"] == VERIFIED)
    assert (row["telegram"], row["in_app"]) == (True, True)
    saved = NotificationPreference.objects.get(user=linked, kind=VERIFIED)
    assert saved.email is True  # not named: the kind's default kept


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"telegram": {"no_such_kind": True}}, "telegram.no_such_kind"),
        ({"telegram": {VERIFIED: "maybe"}}, "telegram"),
        ({"telegram": [VERIFIED]}, "telegram"),
    ],
)
def test_the_api_refuses_bad_telegram_choices_naming_them(linked, fake_apis, body, field):
    answer = bearer(linked).patch(
        "/api/v1/me/notification-preferences", body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert any(name.startswith(field) for name in answer.json()["errors"])
    assert not NotificationPreference.objects.exists()


def test_the_api_refuses_telegram_without_a_link(resident, fake_apis):
    answer = bearer(resident).patch(
        "/api/v1/me/notification-preferences",
        {"telegram": {VERIFIED: True}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "telegram" in answer.json()["errors"]


def test_erasure_forgets_the_chat_its_codes_and_messages(linked, outsider, fake_apis):
    from dobry.communications.telegram.services import telegram_link_code_create

    notification_preferences_set(user=linked, telegram_by_kind={VERIFIED: True})
    tell(linked)
    telegram_link_code_create(user=linked)
    TelegramLink.objects.create(user=outsider, chat_id=99)
    OutboundTelegram.objects.create(key="theirs", user=outsider, chat_id=99, text="t")
    export = personal_data.export_sections(linked)["communications"]
    assert export["telegram"][0]["chat_id"] == 4242
    assert export["telegram_preferences"] == {VERIFIED: True}
    personal_data._erasers["communications"](linked)
    assert list(TelegramLink.objects.values_list("chat_id", flat=True)) == [99]
    assert not linked.telegram_codes.exists()
    assert list(OutboundTelegram.objects.values_list("key", flat=True)) == ["theirs"]
