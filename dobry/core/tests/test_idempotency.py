"""`Idempotency-Key` on the API's POSTs (issue 11 §5): a retried create returns the first
answer instead of a second object; every create operation of every app documents it."""

import re

import pytest
from django.test import Client

from dobry.accounts.services import api_token_create
from dobry.core.models import IdempotentRequest
from dobry.helprequests.models import HelpRequest

pytestmark = pytest.mark.django_db
URL = "/api/v1/help-requests"
BODY = {
    "category": "delivery",
    "summary": "Привезти продукты",
    "details": "Хлеб и молоко",
    "recipient_name": "Анна Петровна",
    "asap": True,
}


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, content_type="application/json", **headers)


def test_the_same_key_returns_the_first_result_with_its_status(resident):
    client = bearer(resident)
    first = post(client, BODY, "k-1")
    again = post(client, BODY, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert HelpRequest.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(resident):
    client = bearer(resident)
    assert post(client, BODY, "k-1").status_code == 201
    other = post(client, {**BODY, "details": "Лекарства"}, "k-1")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["errors"]
    assert HelpRequest.objects.count() == 1


def test_without_a_key_or_with_another_key_each_post_creates(resident):
    client = bearer(resident)
    post(client, BODY)
    post(client, BODY)
    post(client, BODY, "k-2")
    assert HelpRequest.objects.count() == 3


def test_keys_belong_to_their_caller(resident, outsider):
    mine = post(bearer(resident), BODY, "shared")
    theirs = post(bearer(outsider), BODY, "shared")
    assert mine.json()["id"] != theirs.json()["id"]
    assert HelpRequest.objects.filter(requester=outsider).count() == 1


def test_the_session_user_is_the_caller_too(resident, login_as):
    client = login_as(resident)
    first = post(client, BODY, "browser")
    assert post(client, BODY, "browser").json()["id"] == first.json()["id"]


def test_a_failed_request_is_not_stored_so_a_corrected_retry_may_reuse_the_key(resident):
    client = bearer(resident)
    assert post(client, {**BODY, "summary": ""}, "k-3").status_code == 422
    assert not IdempotentRequest.objects.exists()
    assert post(client, BODY, "k-3").status_code == 201


def test_an_anonymous_post_is_refused_as_before_and_nothing_is_stored():
    assert post(Client(), BODY, "k-4").status_code == 401
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize("key", ["", " ", "x" * 201, "a\u0000b"])
def test_a_bad_key_is_a_clear_422(resident, key):
    response = post(bearer(resident), BODY, key)
    assert response.status_code == 422
    assert HelpRequest.objects.count() == 0


def test_an_answer_older_than_the_window_is_forgotten(resident, settings):
    from datetime import timedelta

    from django.utils import timezone

    client = bearer(resident)
    post(client, BODY, "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert post(client, BODY, "old").status_code == 201
    assert HelpRequest.objects.count() == 2


def test_every_create_operation_of_every_app_takes_the_header(client):
    schema = client.get("/api/v1/openapi.json").json()
    creates = {
        path: operations["post"]
        for path, operations in schema["paths"].items()
        if "post" in operations and "201" in operations["post"]["responses"]
    }
    apps = {operation["tags"][0] for operation in creates.values()}
    assert len(creates) >= 5, creates.keys()
    assert len(apps) >= 3, apps
    for path, operation in creates.items():
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert names.count("Idempotency-Key") == 1, path
    # and the middleware honours it on each: a key already used with another body is
    # refused before the operation runs, whatever the operation
    for path in creates:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        IdempotentRequest.objects.create(
            caller="anonymous:", key="sweep", path=concrete, body_hash="0" * 64, status=201
        )
        response = client.post(
            concrete, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="sweep"
        )
        assert response.status_code == 422, path
        assert "Idempotency-Key" in response.json()["errors"], path


def test_deleting_an_account_deletes_the_answers_kept_for_its_replays(resident, outsider, login_as):
    """What the person sent may hold values no trace names («ул. Трассовая 77» typed without
    a comma): their replays go whole, by the account, for a token and a session alike."""
    body = {**BODY, "details": "Соседова Зинаида, ул. Трассовая 77"}
    assert post(bearer(resident), body, "by-token").status_code == 201
    client = login_as(resident)
    assert post(client, body, "by-session").status_code == 201
    assert post(bearer(outsider), BODY, "theirs").status_code == 201
    assert set(IdempotentRequest.objects.values_list("user", flat=True)) == {
        resident.pk,
        outsider.pk,
    }

    assert client.post("/profile/delete/", {"confirm": "удалить"}).status_code == 302

    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["theirs"]
    assert not IdempotentRequest.objects.filter(content__contains="Трассовая").exists()


def test_a_key_on_a_path_with_a_line_break_is_kept_encoded(db):
    """schemathesis sent POST /api/v1/competitions/7¼%0A/experts with a key: the path's line
    break made the key's one-line row refuse to save (a ValidationError, not a 4xx)."""
    from django.test import RequestFactory

    from dobry.core.idempotency import _stored_path

    request = RequestFactory().post("/api/v1/competitions/7%C2%BC%0A/experts")
    assert _stored_path(request) == "/api/v1/competitions/7%C2%BC%0A/experts"
    assert "\n" not in _stored_path(request)
