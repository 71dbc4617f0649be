"""Linking a person's Telegram by a deep link with a one-time code: the profile page and the
API (anonymous, the person), the bot's webhook (secret, bad input), the polling command,
single use and expiry, unlinking."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.communications.models import OutboundTelegram, TelegramLink, TelegramLinkCode
from dobry.communications.telegram.services import (
    telegram_link_code_create,
    telegram_update_handle,
)
from dobry.core.errors import DomainError

pytestmark = pytest.mark.django_db
WEBHOOK = "/notifications/telegram/webhook/"


def start(code: str, chat_id: int = 777, chat_type: str = "private") -> dict:
    return {
        "update_id": 1,
        "message": {"chat": {"id": chat_id, "type": chat_type}, "text": f"/start {code}"},
    }


def hook(update: object, secret: str = "hook-secret") -> object:
    body = update if isinstance(update, str) else json.dumps(update)
    return Client().post(
        WEBHOOK,
        body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def test_the_page_needs_login(client):
    assert client.get("/notifications/telegram/").status_code == 302
    assert client.post("/notifications/telegram/link/").status_code == 302


def test_without_a_bot_the_page_says_so_and_gives_no_link(login_as, resident):
    client = login_as(resident)
    assert "пока не настроен" in client.get("/notifications/telegram/").content.decode()
    response = client.post("/notifications/telegram/link/", follow=True)
    assert "ещё не настроен" in response.content.decode()
    assert not TelegramLinkCode.objects.exists()
    answer = bearer(resident).post("/api/v1/me/telegram/link")
    assert answer.status_code == 422
    assert bearer(resident).get("/api/v1/me/telegram").json()["configured"] is False


def test_the_page_gives_a_deep_link_whose_code_is_kept_only_as_a_hash(
    login_as, resident, fake_apis
):
    client = login_as(resident)
    assert "@dobry_city_bot" in client.get("/notifications/telegram/").content.decode()
    page = client.post("/notifications/telegram/link/").content.decode()
    assert "https://t.me/dobry_city_bot?start=" in page
    code = page.split("?start=")[1].split('"')[0]
    stored = TelegramLinkCode.objects.get(user=resident)
    assert code not in stored.code_hash
    assert telegram_update_handle(start(code)) == "linked"
    assert TelegramLink.objects.get(user=resident).chat_id == 777
    assert "Отвязать Telegram" in client.get("/notifications/telegram/").content.decode()


def test_the_webhook_links_the_chat_and_the_bot_answers(resident, fake_apis):
    code, _expires = telegram_link_code_create(user=resident)
    response = hook(start(code, chat_id=555))
    assert response.json() == {"result": "linked"}
    assert TelegramLink.objects.get(user=resident).chat_id == 555
    [sent] = fake_apis.calls("sendMessage")
    assert sent["chat_id"] == "555"
    assert "уведомления" in sent["text"]
    assert OutboundTelegram.objects.get(user=resident).state == OutboundTelegram.State.SENT


def test_a_code_works_once(resident, outsider, fake_apis):
    code, _expires = telegram_link_code_create(user=resident)
    assert hook(start(code, chat_id=1)).json() == {"result": "linked"}
    assert hook(start(code, chat_id=2)).json() == {"result": "unknown_code"}
    assert list(TelegramLink.objects.values_list("chat_id", flat=True)) == [1]


def test_a_code_expires(resident, fake_apis, freeze_now):
    code, expires_at = telegram_link_code_create(user=resident)
    freeze_now(expires_at + timedelta(seconds=1))
    assert hook(start(code)).json() == {"result": "unknown_code"}
    assert not TelegramLink.objects.exists()


def test_a_new_link_makes_the_old_code_useless(resident, fake_apis):
    old, _expires = telegram_link_code_create(user=resident)
    new, _expires = telegram_link_code_create(user=resident)
    assert hook(start(old)).json() == {"result": "unknown_code"}
    assert hook(start(new)).json() == {"result": "linked"}


def test_a_chat_linked_by_someone_else_moves_to_the_new_person(resident, outsider, fake_apis):
    TelegramLink.objects.create(user=outsider, chat_id=777)
    code, _expires = telegram_link_code_create(user=resident)
    assert hook(start(code, chat_id=777)).json() == {"result": "linked"}
    assert list(TelegramLink.objects.values_list("user", flat=True)) == [resident.pk]


@pytest.mark.parametrize("secret", ["", "wrong"])
def test_the_webhook_refuses_an_update_without_the_secret(resident, fake_apis, secret):
    code, _expires = telegram_link_code_create(user=resident)
    assert hook(start(code), secret=secret).status_code == 403
    assert not TelegramLink.objects.exists()


def test_the_webhook_is_closed_while_no_secret_is_set(resident, settings):
    settings.DOBRY_TELEGRAM_WEBHOOK_SECRET = ""
    assert hook(start("x"), secret="").status_code == 403


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1},
        {"message": "text"},
        {"message": {"chat": {"id": 1, "type": "group"}, "text": "/start abc"}},
        {"message": {"chat": {"id": "1", "type": "private"}, "text": "/start abc"}},
        {"message": {"chat": {"id": 1, "type": "private"}, "text": "привет"}},
        {"message": {"chat": {"id": 1, "type": "private"}, "text": "/start"}},
        {"message": {"chat": {"id": 1, "type": "private"}}},
        [1, 2],
    ],
)
def test_updates_the_bot_does_not_understand_are_ignored(fake_apis, update):
    response = hook(update)
    assert response.status_code == 200
    assert response.json()["result"] == "ignored"


def test_a_body_that_is_not_json_is_a_400(fake_apis):
    assert hook("{not json").status_code == 400


def test_the_webhook_takes_only_post(client, fake_apis):
    assert client.get(WEBHOOK).status_code == 405


def test_the_polling_command_links_the_chats_of_its_updates(resident, fake_apis, capsys):
    from dobry.communications.tests.fake_apis import Answer

    code, _expires = telegram_link_code_create(user=resident)
    update = {**start(code, chat_id=909), "update_id": 41}
    fake_apis.answer("getUpdates", Answer(200, {"ok": True, "result": [update]}))
    call_command("telegram_poll", "--once")
    assert TelegramLink.objects.get(user=resident).chat_id == 909
    assert "linked" in capsys.readouterr().out
    assert fake_apis.calls("getUpdates")[0]["offset"] == "0"


def test_unlinking_by_the_page_forgets_the_chat_and_the_unsent(login_as, resident, fake_apis):
    TelegramLink.objects.create(user=resident, chat_id=3)
    OutboundTelegram.objects.create(key="k", user=resident, chat_id=3, text="t")
    response = login_as(resident).post("/notifications/telegram/unlink/", follow=True)
    assert "Telegram отвязан" in response.content.decode()
    assert not TelegramLink.objects.exists()
    assert not OutboundTelegram.objects.exists()


def test_the_api_links_and_unlinks(resident, outsider, fake_apis):
    client = bearer(resident)
    made = client.post("/api/v1/me/telegram/link")
    assert made.status_code == 201
    assert made.json()["url"].startswith("https://t.me/dobry_city_bot?start=")
    code = made.json()["url"].split("start=")[1]
    telegram_update_handle(start(code))
    state = client.get("/api/v1/me/telegram").json()
    assert state["linked"] is True
    assert state["configured"] is True
    assert bearer(outsider).get("/api/v1/me/telegram").json()["linked"] is False
    gone = client.delete("/api/v1/me/telegram")
    assert gone.status_code == 200
    assert gone.json()["linked"] is False


def test_the_api_needs_a_user():
    assert Client().get("/api/v1/me/telegram").status_code == 401
    assert Client().post("/api/v1/me/telegram/link").status_code == 401


def test_an_inactive_persons_code_links_nothing(resident, fake_apis):
    code, _expires = telegram_link_code_create(user=resident)
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert telegram_update_handle(start(code)) == "unknown_code"


def test_without_a_bot_no_code_is_made(resident):
    with pytest.raises(DomainError):
        telegram_link_code_create(user=resident)
    assert timezone.now()
