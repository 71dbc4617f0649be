import pytest
from django.core.management import call_command
from django.test import Client

from dobry.accounts.models import ApiToken, hash_token


def test_tokens_page_needs_login(client, db):
    assert client.get("/profile/tokens/").status_code == 302


def test_a_token_is_shown_once_and_only_its_hash_is_stored(login_as, resident):
    response = login_as(resident).post("/profile/tokens/", {"name": "отчёт"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=resident)
    raw = body.split('user-select-all">')[1].split("<")[0]
    assert raw.startswith("dobry_")
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.values_list(flat=True))
    assert raw not in login_as(resident).get("/profile/tokens/").content.decode()


def test_an_empty_name_is_refused_with_a_message(login_as, resident):
    response = login_as(resident).post("/profile/tokens/", {"name": "  "})
    assert "Обязательное поле" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_bearer_token_authenticates_the_api_until_revoked(login_as, resident):
    client = login_as(resident)
    body = client.post("/profile/tokens/", {"name": "скрипт"}).content.decode()
    raw = body.split('user-select-all">')[1].split("<")[0]
    api = Client()
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["email"] == resident.email

    token = ApiToken.objects.get(user=resident)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert "message" in response.json()


def test_someone_elses_token_cannot_be_revoked(login_as, resident, outsider):
    login_as(resident).post("/profile/tokens/", {"name": "мой"})
    token = ApiToken.objects.get(user=resident)
    assert login_as(outsider).post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_issue_token_command_prints_a_working_token(resident, capsys):
    call_command("issue_token", resident.email)
    raw = capsys.readouterr().out.strip()
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["id"] == resident.pk


@pytest.mark.django_db
def test_issue_token_for_an_unknown_email_fails_clearly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active user"):
        call_command("issue_token", "nobody@example.org")
