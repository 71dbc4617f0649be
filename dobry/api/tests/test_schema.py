"""What schemathesis reported about the OpenAPI schema besides server errors."""

from collections import Counter

import pytest
from django.test import Client
from ninja import Schema


def _schema() -> dict:
    return Client().get("/api/v1/openapi.json").json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/competitions", "/api/v1/competitions/{pk}", "/api/v1/kpi"]
)
def test_public_operations_say_that_credentials_are_optional(path):
    security = _schema()["paths"][path]["get"]["security"]
    assert {} in security
    assert {"BearerTokenAuth": []} in security


@pytest.mark.django_db
def test_operations_that_need_a_user_do_not_say_credentials_are_optional():
    security = _schema()["paths"]["/api/v1/me"]["get"]["security"]
    assert {} not in security


@pytest.mark.django_db
def test_public_operations_answer_without_credentials(client):
    assert client.get("/api/v1/competitions").status_code == 200
    assert client.get("/api/v1/kpi").status_code == 200


def _schema_classes() -> list[type[Schema]]:
    found, pending = [], [Schema]
    while pending:
        schema_class = pending.pop()
        pending.extend(schema_class.__subclasses__())
        if schema_class.__module__.startswith("dobry.") and ".tests" not in schema_class.__module__:
            found.append(schema_class)
    return found


@pytest.mark.django_db
def test_no_two_schemas_share_a_name():
    _schema()  # every router loaded
    names = Counter(schema_class.__name__ for schema_class in _schema_classes())
    assert len(names) > 50
    assert [name for name, count in names.items() if count > 1] == []
    components = _schema()["components"]["schemas"]
    assert {"GroupMeetingOut", "CommissionMeetingOut"} <= set(components)
    assert "MeetingOut" not in components
