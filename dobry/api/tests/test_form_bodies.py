"""A browser's form sent where an operation reads a JSON body: a 415 in the API's error
shape, never a 500 (the form's values are read by `RequestValuesMiddleware`, so the body
cannot be read again as JSON — found sending a multipart POST to a charity operation)."""

import re

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _json_body_operations() -> list[tuple[str, str]]:
    schema = Client().get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, re.sub(r"\{\w+\}", "1", path)))
    return found


def test_there_are_json_body_operations_to_check():
    assert len(_json_body_operations()) > 50


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_no_json_body_operation_answers_a_form_with_a_500(encoding):
    client = login(UserFactory())
    failures = []
    for method, path in _json_body_operations():
        if encoding == "multipart":
            response = getattr(client, method)(path, {"title": "x"})
        else:
            response = getattr(client, method)(
                path, "title=x", content_type="application/x-www-form-urlencoded"
            )
        if response.status_code >= 500:
            failures.append((method, path, response.status_code))
    assert failures == []


def test_a_form_sent_to_a_json_operation_is_a_415_saying_what_to_send():
    client = login(UserFactory())
    response = client.post("/api/v1/organizations/1/campaigns", {"title": "Коляски"})
    assert response.status_code == 415
    body = response.json()
    assert "application/json" in body["message"]
    assert body["errors"] == {"__all__": ["Нужен JSON."]}
