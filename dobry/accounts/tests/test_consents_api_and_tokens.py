"""Consents through the API (give, code, sign, withdraw) for anonymous, another person and
the person themselves; the API token list, revocation of someone else's token and of all
tokens; what the personal-data export holds and what erasure leaves."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.models import ApiToken, ConsentDocument, ConsentRecord, User
from dobry.accounts.services import (
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
    consent_accept,
    user_erase,
    user_export_data,
)
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.api.tests.error_shape import shape_problems
from dobry.communications.models import OutboundEmail
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NEWSLETTER = ConsentDocument.Kind.NEWSLETTER
HEALTH = ConsentDocument.Kind.HEALTH_DATA


def _post(client: Client, path: str, body: object = None):
    data = "" if body is None else json.dumps(body)
    return client.post(f"/api/v1{path}", data, content_type="application/json")


def _code(user: User) -> str:
    email = OutboundEmail.objects.filter(to=user.email, key__startswith="consent-code:").first()
    return re.search(r"\b(\d{6})\b", email.body_text).group(1)


@pytest.mark.parametrize(
    "path",
    [
        "/me/consents/newsletter",
        "/me/consents/health_data/code",
        "/me/consents/health_data/signature",
        "/me/consent-records/1/withdraw",
    ],
)
def test_anonymous_cannot_touch_consents(path):
    response = _post(Client(), path, {"code": "123456"})
    assert response.status_code == 401
    assert shape_problems(response) == []


def test_a_ticked_consent_is_given_and_listed(resident):
    client = bearer(resident)
    response = _post(client, "/me/consents/newsletter")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "newsletter"
    assert body["active"] is True
    assert body["version"] == ConsentDocument.current(NEWSLETTER).version
    overview = client.get("/api/v1/me/consents").json()
    assert "newsletter" in {r["kind"] for r in overview["records"]}
    assert "newsletter" not in {m["kind"] for m in overview["missing"]}
    assert "health_data" in {m["kind"] for m in overview["missing"]}


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        (
            "/me/consents/health_data",
            None,
            422,
            "Это согласие даётся письменно: подпишите его кодом из письма "
            "или на бумажном бланке у координатора.",
        ),
        ("/me/consents/newsletter/code", None, 422, "Такое согласие не подписывают письменно."),
        (
            "/me/consents/newsletter/signature",
            {"code": "123456"},
            422,
            "Такое согласие не подписывают письменно.",
        ),
        (
            "/me/consents/health_data/signature",
            {"code": "123456"},
            422,
            "Код устарел или уже использован. Запросите новый.",
        ),
    ],
)
def test_a_consent_given_the_wrong_way_is_refused_in_words(resident, path, body, status, message):
    response = _post(bearer(resident), path, body)
    assert response.status_code == status
    assert response.json()["message"] == message
    assert not ConsentRecord.objects.filter(user=resident, document__kind=HEALTH).exists()


@pytest.mark.parametrize("kind", ["nonsense", "Newsletter", "٣"])
def test_an_unknown_kind_is_a_422_not_a_500(resident, kind):
    response = _post(bearer(resident), f"/me/consents/{kind}")
    assert response.status_code == 422
    assert shape_problems(response) == []


def test_a_written_consent_is_signed_with_the_emailed_code_and_not_twice(resident):
    client = bearer(resident)
    assert _post(client, "/me/consents/health_data/code").status_code == 202
    wrong = _post(client, "/me/consents/health_data/signature", {"code": "abcdef"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"code": ["Неверный код."]}
    code = _code(resident)
    signed = _post(client, "/me/consents/health_data/signature", {"code": code})
    assert signed.status_code == 201
    assert signed.json()["kind"] == "health_data"
    again = _post(client, "/me/consents/health_data/signature", {"code": code})
    assert again.status_code == 422
    assert again.json()["errors"] == {"code": ["Код устарел или уже использован. Запросите новый."]}
    assert ConsentRecord.objects.filter(user=resident, document__kind=HEALTH).count() == 1


def test_a_code_needs_a_confirmed_email():
    person = UserFactory(verified=False)
    response = _post(bearer(person), "/me/consents/health_data/code")
    assert response.status_code == 422
    assert response.json()["message"] == "Сначала подтвердите адрес электронной почты."


def test_a_fourth_code_within_the_hour_is_a_429(resident):
    client = bearer(resident)
    for _ in range(3):
        assert _post(client, "/me/consents/health_data/code").status_code == 202
    response = _post(client, "/me/consents/health_data/code")
    assert response.status_code == 429
    assert response.json()["message"] == "Слишком много кодов за час. Попробуйте позже."


def test_withdrawing_an_optional_consent_once_and_a_required_one_never(resident):
    client = bearer(resident)
    record = consent_accept(user=resident, kind=NEWSLETTER, ip_address=None)
    response = _post(client, f"/me/consent-records/{record.pk}/withdraw")
    assert response.status_code == 200
    assert response.json()["active"] is False
    again = _post(client, f"/me/consent-records/{record.pk}/withdraw")
    assert again.status_code == 422
    assert again.json()["message"] == "Согласие уже отозвано."
    required = ConsentRecord.objects.get(user=resident, document__kind="personal_data")
    refused = _post(client, f"/me/consent-records/{required.pk}/withdraw")
    assert refused.status_code == 422
    assert "удалите учётную запись" in refused.json()["message"]
    assert AuditEntry.objects.filter(action="consent.withdraw").count() == 1


def test_another_persons_consent_cannot_be_withdrawn(resident, outsider):
    record = consent_accept(user=resident, kind=NEWSLETTER, ip_address=None)
    response = _post(bearer(outsider), f"/me/consent-records/{record.pk}/withdraw")
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.withdrawn_at is None


# --- tokens ----------------------------------------------------------------------------


def test_my_tokens_show_expiry_and_never_the_secret(resident, settings):
    token, raw = api_token_create(user=resident, name="  отчёты  ")
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me/tokens").json()
    assert len(listed) == 1
    assert listed[0]["name"] == "отчёты"
    assert listed[0]["hint"] == raw[:12]
    assert listed[0]["active"] is True
    assert raw not in json.dumps(listed)
    expected = token.created_at + timedelta(days=settings.DOBRY_API_TOKEN_DAYS)
    assert abs(token.expires_at - expected) < timedelta(seconds=5)


def test_a_person_holds_20_active_tokens_at_most(resident):
    from dobry.accounts.selectors import ACTIVE_TOKENS_LIMIT

    for number in range(ACTIVE_TOKENS_LIMIT):
        api_token_create(user=resident, name=f"скрипт {number}")
    with pytest.raises(DomainError) as caught:
        api_token_create(user=resident, name="ещё один")
    assert "отзовите ненужный" in caught.value.message
    token = resident.api_tokens.first()
    api_token_revoke(user=resident, token=token)
    api_token_create(user=resident, name="вместо отозванного")


def test_my_tokens_list_every_active_one_then_the_newest_others_capped(
    resident, django_assert_num_queries
):
    """GET /me/tokens is a bare list (named in `api/tests/test_paged_lists.py`): capped at
    `TOKENS_SHOWN`, every active token first however old, one query for any number."""
    from dobry.accounts.selectors import TOKENS_SHOWN

    oldest, raw = api_token_create(user=resident, name="старый, действующий")
    ApiToken.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(days=30))
    for number in range(TOKENS_SHOWN + 5):
        token, _raw = api_token_create(user=resident, name=f"разовый {number}")
        api_token_revoke(user=resident, token=token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/me/tokens")  # the token's last use is written once
    with django_assert_num_queries(2):  # the token with its user, the list
        listed = client.get("/api/v1/me/tokens").json()
    assert len(listed) == TOKENS_SHOWN
    assert listed[0]["id"] == oldest.pk
    assert [item["active"] for item in listed[1:]] == [False] * (TOKENS_SHOWN - 1)
    page = login_client(resident).get("/profile/tokens/").content.decode()
    assert "старый, действующий" in page


def test_a_token_name_is_required_and_refused_over_100_never_cut(resident):
    with pytest.raises(DomainError) as caught:
        api_token_create(user=resident, name="   ")
    assert caught.value.field_errors == {"name": ["Обязательное поле."]}
    with pytest.raises(DomainError) as caught:
        api_token_create(user=resident, name="я" * 101)
    assert caught.value.field_errors == {"name": ["Слишком длинный текст: не больше 100 символов."]}
    token, _raw = api_token_create(user=resident, name="я" * 100)
    assert token.name == "я" * 100


def test_someone_elses_token_cannot_be_revoked(resident, outsider):
    token, _raw = api_token_create(user=resident, name="скрипт")
    with pytest.raises(DomainError):
        api_token_revoke(user=outsider, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    response = login_client(outsider).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code in {302, 404}
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_keeps_the_first_moment_and_one_entry(resident):
    token, _raw = api_token_create(user=resident, name="скрипт")
    first = api_token_revoke(user=resident, token=token).revoked_at
    assert api_token_revoke(user=resident, token=token).revoked_at == first
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_revoking_all_counts_only_the_active_ones(resident):
    first, raw = api_token_create(user=resident, name="один")
    api_token_create(user=resident, name="два")
    expired, _ = api_token_create(user=resident, name="старый")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    api_token_revoke(user=resident, token=first)
    assert api_tokens_revoke_all(user=resident, reason="password_changed") == 1
    assert api_tokens_revoke_all(user=resident, reason="password_changed") == 0
    assert AuditEntry.objects.filter(data__reason="password_changed").count() == 1
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def login_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- export and erasure ----------------------------------------------------------------


def test_the_export_holds_the_profile_consents_tokens_and_actions(resident):
    consent_accept(user=resident, kind=NEWSLETTER, ip_address="10.0.0.7")
    api_token_create(user=resident, name="скрипт")
    exported = user_export_data(user=resident)
    assert exported["format"] == "dobry-personal-data/1"
    data = exported["account"]
    assert data["profile"]["email"] == resident.email
    assert data["profile"]["first_name"] == "Анна"
    assert data["email_addresses"] == [{"email": resident.email, "verified": True, "primary": True}]
    newsletter = [c for c in data["consents"] if c["kind"] == "newsletter"]
    assert newsletter[0]["ip_address"] == "10.0.0.7"
    assert newsletter[0]["method"] == "checkbox"
    assert newsletter[0]["withdrawn_at"] is None
    assert [t["name"] for t in data["api_tokens"]] == ["скрипт"]
    assert "api_token.create" in {a["action"] for a in data["actions"]}
    assert AuditEntry.objects.filter(action="personal_data.export", actor=resident).exists()


def test_the_export_page_asks_first_and_downloads_on_post(resident):
    assert Client().post("/profile/export/").status_code == 302
    client = login_client(resident)
    asked = client.get("/profile/export/")
    assert asked.status_code == 200
    assert not AuditEntry.objects.filter(action="personal_data.export").exists()
    response = client.post("/profile/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dobry-my-data-')
    assert json.loads(response.content)["account"]["profile"]["email"] == resident.email


def test_erasure_leaves_an_anonymous_tombstone_once(resident, coordinator):
    consent_accept(user=resident, kind=NEWSLETTER, ip_address="10.0.0.7")
    _token, raw = api_token_create(user=resident, name="скрипт")
    user_erase(user=resident, actor=coordinator)
    resident.refresh_from_db()
    assert resident.email == f"erased-{resident.pk}@erased.invalid"
    assert (resident.first_name, resident.last_name, resident.phone) == ("", "", "")
    assert resident.is_active is False
    assert not resident.has_usable_password()
    assert not resident.api_tokens.exists()
    assert set(resident.consents.values_list("ip_address", flat=True)) == {None}
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    with pytest.raises(DomainError, match="уже удалены"):
        user_erase(user=resident, actor=coordinator)
