"""Every API operation, read from the OpenAPI schema, gets hostile values in its path, its
query and its JSON body, as anonymous and as a coordinator: never a 5xx, and every refusal in
the API's one error shape, in Russian (`error_shape.py`). Also the API's own answers to NUL
characters, oversized bodies and huge pages."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.api.tests.error_shape import shape_problems
from dobry.site.tests.hostile import HOSTILE_TEXTS

HOSTILE_JSON: tuple[Any, ...] = (
    *HOSTILE_TEXTS,
    10**30,
    2**63,
    -1,
    1.5,
    None,
    [],
    {},
    True,
)
HOSTILE_PATH = ("0", "9223372036854775808", "1" * 30, "²", "'\"<>")


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in _schema()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _body_names(operation: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return list(body.get("properties", {}))


def _sweep(client: Client) -> list[str]:
    """Failures: server errors, and refusals that break the error shape or its language."""
    schema = _schema()
    failures = []
    for path, method, operation in _operations():
        params = operation.get("parameters", [])
        path_names = [p["name"] for p in params if p["in"] == "path"]
        query_names = [p["name"] for p in params if p["in"] == "query"]
        body_names = _body_names(operation, schema)
        requests: list[tuple[str, dict[str, Any], Any]] = []
        existing = dict.fromkeys(path_names, "1")
        for index, value in enumerate(HOSTILE_JSON):
            query = {name: str(value) for name in query_names}
            body = {
                name: HOSTILE_JSON[(index + i) % len(HOSTILE_JSON)]
                for i, name in enumerate(body_names)
            }
            requests.append((_fill(path, existing), query, body))
        for name in path_names:
            for value in HOSTILE_PATH:
                requests.append((_fill(path, {**existing, name: value}), {}, {}))
        for url, query, body in requests:
            call = getattr(client, method)
            if method == "get":
                response = call(url, query)
            else:
                suffix = "?" + "&".join(f"{k}=1" for k in query) if query else ""
                response = call(url + suffix, json.dumps(body), content_type="application/json")
            if response.status_code >= 500:
                info = getattr(response, "exc_info", None)
                failures.append(
                    f"{method.upper()} {url} {query} {body}: {info and repr(info[1])[:300]}"
                )
            for problem in shape_problems(response):
                failures.append(f"{method.upper()} {url} {query} {str(body)[:100]}: {problem}")
    return failures


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(?:\w+:)?(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


@pytest.mark.sweep
@pytest.mark.django_db
def test_no_api_operation_answers_5xx_or_a_stray_error_to_hostile_values():
    call_command("seed_passport", stdout=None)
    anonymous = Client(raise_request_exception=False, enforce_csrf_checks=True)
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(UserFactory(is_coordinator=True))
    failures = _sweep(anonymous) + _sweep(coordinator)
    assert failures == [], "\n".join(failures[:30])


@pytest.mark.django_db
def test_the_schema_lists_every_operation_of_every_app():
    operations = list(_operations())
    assert len(operations) > 70
    prefixes = {path.split("/")[3] for path, _method, _operation in operations}
    assert {"events", "help-requests", "competitions", "organizations", "kpi"} <= prefixes
