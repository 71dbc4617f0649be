"""A query parameter an operation does not read is refused naming it (issue 12): `GET
/api/v1/events?distrct=centre` answered the whole list, unfiltered, as if the district had
been read. Every operation of the OpenAPI document is walked: an unknown parameter is a 422
naming `query.<name>`, each parameter it documents is not taken for unknown, and the shared
ones — `page`, `page_size` — are known wherever a list is paged (`dobry.api.queries`)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.api.tests.error_shape import shape_problems
from dobry.core.clock import local_today
from dobry.core.models import District
from dobry.events.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "no_such_parameter"
# Values for the query parameters an operation requires, so the request reaches the check.
REQUIRED = {"from": "2026-03-02", "to": "2026-03-08"}


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _gets() -> list[tuple[str, list[str]]]:
    """(url with ids filled, documented query names) for every GET of the document."""
    found = []
    for path, methods in _schema()["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        url = path.replace("{pk}", "1").replace("{token}", "x")
        url = url.replace("{membership_pk}", "1").replace("{invitation_pk}", "1")
        url = url.replace("{message_pk}", "1")
        url = url.replace("{organization_pk}", "1").replace("{year}", "2026")
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        found.append((url, names))
    return found


GETS = _gets()


def _client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_coordinator=True))
    return client


def _required(names: list[str]) -> dict[str, str]:
    return {name: REQUIRED[name] for name in names if name in REQUIRED}


def test_the_walk_finds_every_read():
    urls = {url for url, _names in GETS}
    assert len(GETS) >= 50
    assert "/api/v1/events" in urls
    assert "/api/v1/me/hours/summary" in urls
    assert not [url for url in urls if "{" in url], "fill the new path parameter"


@pytest.mark.parametrize(("url", "names"), GETS, ids=[url for url, _names in GETS])
def test_an_unknown_query_parameter_is_a_422_naming_it(url, names):
    response = _client().get(url, {**_required(names), UNKNOWN: "1"})
    assert response.status_code == 422, (response.status_code, response.content[:300])
    assert f"query.{UNKNOWN}" in response.json()["errors"], response.json()
    assert shape_problems(response) == []


def test_the_error_says_which_parameters_the_operation_reads():
    response = _client().get("/api/v1/events", {"distrct": "centre"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Неизвестный параметр запроса: distrct."
    [problem] = body["errors"]["query.distrct"]
    assert problem.startswith("операция не читает этот параметр; она читает: ")
    assert "district" in problem
    assert "page_size" in problem


def test_an_operation_without_query_parameters_says_so():
    response = _client().get("/api/v1/me/hours/summary", {"page": "2"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "query.page": ["операция не читает параметров в строке запроса."]
    }


def test_every_unknown_parameter_is_named_at_once():
    response = _client().get("/api/v1/events", {"distrct": "x", "sort": "date"})
    assert set(response.json()["errors"]) == {"query.distrct", "query.sort"}


@pytest.mark.parametrize(
    ("url", "names"), [(url, names) for url, names in GETS if names], ids=lambda v: str(v)
)
def test_no_documented_parameter_is_taken_for_unknown(url, names):
    """Each parameter the document lists passes the check (its value may still be refused
    for what it is, naming it with another message)."""
    client = _client()
    for name in names:
        response = client.get(url, {**_required(names), name: REQUIRED.get(name, "1")})
        errors = response.json().get("errors", {}) if response.status_code >= 400 else {}
        assert not any("не читает" in text for text in errors.get(f"query.{name}", [])), name


def test_known_parameters_still_filter_and_page():
    district = District.objects.create(name="Центр", slug="centre")
    for _ in range(3):
        ShiftFactory(event__district=district)
    ShiftFactory()
    client = _client()
    response = client.get("/api/v1/events", {"district": "centre", "page": 1, "page_size": 2})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 3
    assert len(response.json()["items"]) == 2


def test_a_write_with_an_unknown_query_parameter_is_refused_and_changes_nothing(resident):
    from dobry.organizations.tests.factories import OrganizationFactory
    from dobry.volunteering.models import HoursEntry

    organization = OrganizationFactory()
    client = Client()
    client.force_login(resident)
    body = {
        "organization": organization.pk,
        "day": (local_today() - timedelta(days=1)).isoformat(),
        "hours": "2",
        "description": "Помогал на субботнике",
    }
    response = client.post("/api/v1/me/hours?dry_run=1", body, content_type="application/json")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["query.dry_run"]
    assert not HoursEntry.objects.exists()
    response = client.post("/api/v1/me/hours", body, content_type="application/json")
    assert response.status_code == 201, response.content
