"""Every list the API reads is paged as its page is (issue 12): a GET whose answer is a list
answers `{"items": [...], "count": n}` a page at a time (`dobry.api.fields.Pages`), unless
the list is short by nature, has a cap, and is named below with the reason. A new list
endpoint fails here until it is paged or named. Each paged list has its query budget (one
row and many cost the same queries) in its app's tests."""

from typing import Any

import pytest
from django.test import Client

from dobry.accounts.selectors import TOKENS_SHOWN
from dobry.grants.results import REVIEWS_SHOWN

pytestmark = pytest.mark.django_db

# GET operations that answer a bare list, with why that list is short and what caps it.
UNPAGED = {
    "/api/v1/votes/{pk}/officers": (
        "one vote's counting commission: 50 members at most (civic.models.votes.MAX_OFFICERS)"
    ),
    "/api/v1/me/tokens": (
        f"a person's API tokens: the active ones (20 at most, refused beyond) and the newest "
        f"revoked or expired, {TOKENS_SHOWN} at most (accounts.selectors.TOKENS_SHOWN)"
    ),
    "/api/v1/me/notification-preferences": (
        "one row per kind of notification: the kinds are registered in code, not rows"
    ),
    "/api/v1/help-requests/{pk}/candidates": (
        "the best candidates for one request: `limit` of them, 50 at most"
    ),
    "/api/v1/work-calendar/{year}": (
        "the days of one year that differ from the rule (holidays and the decree's "
        "transfers): a year has 366 days at most"
    ),
    "/api/v1/applications/{pk}/reviews": (
        f"the submitted reviews of one application: one per expert put on it (two by "
        f"default), {REVIEWS_SHOWN} at most (grants.results.REVIEWS_SHOWN)"
    ),
}


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _resolved(spec: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:
        return components[spec["$ref"].rsplit("/", 1)[-1]]
    return spec


def _lists() -> dict[str, str]:
    """{path: "paged" | "bare"} for every GET whose 200 answer is a list or a page of one."""
    schema = _schema()
    components = schema["components"]["schemas"]
    found = {}
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "200" not in operation["responses"]:
            continue
        content = operation["responses"]["200"].get("content", {})
        if "application/json" not in content:
            continue
        answer = _resolved(content["application/json"]["schema"], components)
        properties = answer.get("properties", {})
        if answer.get("type") == "array":
            found[path] = "bare"
        elif "items" in properties and set(properties) != {"items", "count"}:
            found[path] = "odd"  # a list beside other values, or without its count
        elif set(properties) == {"items", "count"}:
            assert _resolved(properties["items"], components).get("type") == "array", path
            assert properties["count"].get("type") == "integer", path
            assert set(answer.get("required", [])) == {"items", "count"}, path
            found[path] = "paged"
    return found


def test_the_walk_finds_the_lists():
    lists = _lists()
    assert lists["/api/v1/events"] == "paged"
    assert lists["/api/v1/me/reviews"] == "paged"
    assert lists["/api/v1/me/tokens"] == "bare"
    assert len([kind for kind in lists.values() if kind == "paged"]) >= 20


def test_no_list_comes_in_a_shape_of_its_own():
    """`GET /me/recommendations` answered `{"has_profile", "items"}`: no `count`, no pages."""
    odd = sorted(path for path, kind in _lists().items() if kind == "odd")
    assert odd == [], "answer {items, count} with @paginate(Pages)"


def test_the_recommendations_are_paged():
    assert _lists()["/api/v1/me/recommendations"] == "paged"


def test_every_list_is_paged_or_named_with_its_reason():
    bare = {path for path, kind in _lists().items() if kind == "bare"}
    assert sorted(bare - set(UNPAGED)) == [], "page these lists, or name them in UNPAGED"


def test_the_named_lists_are_still_bare_lists():
    lists = _lists()
    assert {path: lists.get(path) for path in UNPAGED} == dict.fromkeys(UNPAGED, "bare")
    assert all(reason.strip() for reason in UNPAGED.values())


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/reviews",
        "/api/v1/competitions/{pk}/experts",
        "/api/v1/competitions/{pk}/ranking",
        "/api/v1/programmes/{pk}/records",
        "/api/v1/groups",
    ],
)
def test_the_lists_of_issue_12_take_a_page_number(path):
    """Paged as the others: `page` and `page_size` in the query, a page past the end empty."""
    schema = _schema()
    assert _lists()[path] == "paged"
    names = {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    assert {"page", "page_size"} <= names
