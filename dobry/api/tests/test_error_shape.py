"""Every error of the API is `{"message", "errors": {field: [..]}}` in the request's
language (issue 11 §2): pydantic's errors by type, a body that is not JSON, anonymous writes
(401, not a CSRF failure), an unknown path or method under /api/."""

import json
import typing

import pytest
from django.test import Client
from pydantic_core import core_schema

from dobry.api.errors import PYDANTIC_MESSAGES, field_name, pydantic_message
from dobry.api.tests.error_shape import shape_problems

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: object, **extra) -> typing.Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **extra)


def test_every_pydantic_error_type_has_a_message_of_its_own():
    types = set(typing.get_args(core_schema.ErrorType))
    assert len(types) > 100
    assert sorted(types - set(PYDANTIC_MESSAGES)) == []


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            {"type": "enum", "ctx": {"expected": "'volunteer_action', 'charity' or 'other'"}},
            "Допустимые значения: volunteer_action, charity, other.",
        ),
        (
            {"type": "string_too_short", "ctx": {"min_length": 2}, "input": "a"},
            "Слишком короткий текст: нужно не меньше 2 символов.",
        ),
        (
            {"type": "string_too_short", "ctx": {"min_length": 1}, "input": ""},
            "Слишком короткий текст: нужно не меньше 1 символа.",
        ),
        (
            {"type": "string_too_long", "ctx": {"max_length": 10000}, "input": "x" * 10001},
            "Слишком длинный текст: не больше 10000 символов.",
        ),
        (
            {"type": "value_error", "ctx": {"error": ValueError("Дата должна быть между …")}},
            "Дата должна быть между …",
        ),
        ({"type": "less_than_equal", "ctx": {"le": 1000000}}, "Должно быть не больше 1000000."),
        ({"type": "missing"}, "Обязательное поле."),
        ({"type": "int_parsing"}, "Нужно целое число."),
    ],
)
def test_a_pydantic_error_is_said_from_its_type_and_values(item, expected):
    assert pydantic_message(item) == expected


def test_an_unknown_type_still_gets_words():
    assert pydantic_message({"type": "something_new"}) == "Недопустимое значение."


@pytest.mark.parametrize(
    ("location", "name"),
    [
        (("body", "payload", "topic"), "topic"),
        (("body", "payload", "content", "budget", 0, "item"), "content.budget.0.item"),
        (("body", "payload"), "__all__"),
        (("query", "from"), "query.from"),
        (("path", "pk"), "path.pk"),
    ],
)
def test_an_error_names_its_field(location, name):
    assert field_name(location) == name


def test_validation_errors_are_russian_and_by_field(login_as, resident):
    response = post(
        login_as(resident), "/api/v1/consultations", {"topic": "x", "subject": "", "text": "a"}
    )
    assert response.status_code == 422
    assert shape_problems(response) == []
    errors = response.json()["errors"]
    assert errors["topic"] == [
        "Допустимые значения: registration, reporting, grants, procurement, legal, pr, "
        "premises, other."
    ]
    assert errors["subject"] == ["Слишком короткий текст: нужно не меньше 1 символа."]


def test_our_own_validators_lose_the_value_error_prefix(client):
    response = client.get("/api/v1/events", {"from": "0001-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "query.from": ["Дата должна быть между 01.01.1990 и 31.12.2100."]
    }


def test_the_same_error_in_english_for_an_english_request(client):
    response = client.get(
        "/api/v1/events", {"from": "0001-01-01", "page": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.json()
    assert body["message"] == "Please check the data."
    assert body["errors"]["query.page"] == ["Must be at least 1."]


def test_a_body_that_is_not_json_is_a_400_saying_where(login_as, resident):
    response = post(login_as(resident), "/api/v1/consultations", '{"topic": ')
    assert response.status_code == 400
    assert response.json() == {
        "message": "Тело запроса — не JSON: ошибка в строке 1, позиция 11.",
        "errors": {"__all__": ["Нужен JSON."]},
    }


def test_a_body_not_in_utf8_is_a_400(login_as, resident):
    response = login_as(resident).post(
        "/api/v1/consultations", b"\xff\xfe{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert shape_problems(response) == []


def test_an_anonymous_write_is_a_401_not_a_csrf_failure():
    response = post(Client(enforce_csrf_checks=True), "/api/v1/consultations", {})
    assert response.status_code == 401
    assert response.json() == {
        "message": "Нужна авторизация: войдите или передайте API-токен.",
        "errors": {},
    }


def test_a_session_write_without_the_csrf_token_is_a_403_saying_what_to_send(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = post(client, "/api/v1/consultations", {})
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["message"]
    assert shape_problems(response) == []


def test_a_session_write_with_the_csrf_token_passes_authentication(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    client.get("/events/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = post(client, "/api/v1/consultations", {}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 422


def test_an_unknown_path_under_the_api_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "message": "В API нет такого адреса: /api/v1/no-such-thing.",
        "errors": {},
    }
    assert shape_problems(client.get("/api/v2/events")) == []


def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(client):
    response = client.delete("/api/v1/kpi")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["message"] == "Этот адрес не принимает метод DELETE; можно: GET."


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_error_shape_for_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"message", "errors"}
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert operation["responses"]["4XX"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
