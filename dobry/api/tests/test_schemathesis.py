"""schemathesis against the OpenAPI schema, over demo data, as a coordinator: valid and
invalid requests generated for every operation; no answer may be a server error, and every
refusal is the API's one error shape in Russian (`error_shape.py`).

Bounded examples: a few per operation on SQLite (every `make test`), more on PostgreSQL
(the heavy variant runs once, in the PostgreSQL pass of `make test`)."""

import json
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode

from dobry.accounts.tests.factories import UserFactory
from dobry.api.tests.error_shape import shape_problems


def _examples() -> int:
    return 20 if connection.vendor == "postgresql" else 4


def _send(client: Client, case: Any) -> Any:
    data: Any = b""
    content_type = "application/json"
    if case.body is not NOT_SET:
        body = case.body
        data = body if isinstance(body, bytes) else json.dumps(body)
        content_type = case.media_type or content_type
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    headers = {k: str(v) for k, v in (case.headers or {}).items() if k.lower() != "content-type"}
    return client.generic(
        case.method.upper(),
        case.formatted_path,
        data,
        content_type=content_type,
        headers=headers,
        query_params=query,
    )


@pytest.mark.sweep
@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_nor_a_stray_error_in_any_operation():
    call_command("seed_passport", stdout=None)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_coordinator=True))
    schema = schemathesis.openapi.from_dict(Client().get("/api/v1/openapi.json").json())
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=_examples(),
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                response = _send(client, case)
                if response.status_code >= 500:
                    info = getattr(response, "exc_info", None)
                    failures.append(
                        f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200}: "
                        f"{info and repr(info[1])[:300]}"
                    )
                for problem in shape_problems(response):
                    failures.append(f"{case.method} {case.formatted_path}: {problem}")

            check()
    assert operations > 70
    assert failures == [], "\n".join(sorted(set(failures))[:30])
