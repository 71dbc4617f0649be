"""`GET /help-requests/{pk}/candidates?limit=` lists 1 to 50 candidates, the best first. A
`limit` outside them is a 422 naming `limit`, like every other parameter of the API: it used
to be clamped silently (0 gave one candidate, 1000 gave fifty)."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.api.tests.error_shape import shape_problems
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(coordinator):
    """A verified request with three candidates, and the coordinator's API client."""
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    for _ in range(3):
        offerable_volunteer()
    return bearer(coordinator), f"/api/v1/help-requests/{help_request.pk}/candidates"


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "Должно быть не меньше 1."),
        ("-1", "Должно быть не меньше 1."),
        ("51", "Должно быть не больше 50."),
        ("1000", "Должно быть не больше 50."),
    ],
)
def test_a_limit_out_of_range_is_refused_naming_it(listed, limit, message):
    client, url = listed
    response = client.get(url, {"limit": limit})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"query.limit": [message]}
    assert shape_problems(response) == []


@pytest.mark.parametrize("limit", ["abc", "1.5", "٣", ""])
def test_a_limit_that_is_not_a_whole_number_is_refused_naming_it(listed, limit):
    client, url = listed
    response = client.get(url, {"limit": limit})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["query.limit"]


@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("2", 2), ("50", 3)])
def test_a_limit_in_range_lists_that_many_at_most(listed, limit, count):
    client, url = listed
    response = client.get(url, {"limit": limit})
    assert response.status_code == 200
    assert len(response.json()) == count


def test_without_a_limit_the_best_ten_are_listed(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    for _ in range(12):
        offerable_volunteer()
    response = bearer(coordinator).get(f"/api/v1/help-requests/{help_request.pk}/candidates")
    assert response.status_code == 200
    assert len(response.json()) == 10


def test_the_document_gives_the_bounds_of_limit():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/help-requests/{pk}/candidates"]["get"]
    [limit] = [p for p in operation["parameters"] if p["name"] == "limit"]
    assert (limit["in"], limit["schema"]["minimum"], limit["schema"]["maximum"]) == ("query", 1, 50)
    assert limit["schema"]["default"] == 10
