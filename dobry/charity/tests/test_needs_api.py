"""Needs and pledges through the API: the same rules as the pages."""

import pytest

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Need, Pledge
from dobry.charity.tests.factories import NeedFactory, editor_of
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_public_list_and_detail(client):
    need = NeedFactory(title="Памперсы", quantity=10)
    NeedFactory(organization=need.organization, status=Need.Status.DRAFT)
    items = client.get(f"{API}/needs").json()["items"]
    assert [(i["title"], i["promised"]) for i in items] == [("Памперсы", 0)]
    detail = client.get(f"{API}/needs/{need.pk}").json()
    assert (detail["can_pledge"], detail["moves"]) == (False, [])


def test_create_open_pledge_receive_by_api():
    organization = OrganizationFactory()
    editor = login(editor_of(organization))
    body = {
        "title": "Памперсы",
        "unit": "уп.",
        "quantity": 3,
        "deadline": "2100-01-01",
        "unit_value": "1000",
    }
    created = editor.post(
        f"{API}/organizations/{organization.pk}/needs", body, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert editor.post(f"{API}/needs/{pk}/open").json()["status"] == "open"
    pledger = login(UserFactory())
    taken = pledger.post(
        f"{API}/needs/{pk}/pledges", {"quantity": 2}, content_type="application/json"
    )
    assert taken.status_code == 201
    refused = pledger.post(
        f"{API}/needs/{pk}/pledges", {"quantity": 2}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert "Осталось собрать: 1" in refused.json()["message"]
    assert list(refused.json()["errors"]) == ["quantity"]  # the field to change is named
    pledge = taken.json()["id"]
    assert pledger.post(f"{API}/pledges/{pledge}/receive").status_code == 403
    received = editor.post(f"{API}/pledges/{pledge}/receive").json()
    assert (received["status"], received["value"]) == ("received", "2000.00")
    assert [p["id"] for p in pledger.get(f"{API}/me/pledges").json()["items"]] == [pledge]


@pytest.mark.parametrize(
    "body",
    [
        {"quantity": 0},
        {"quantity": 10**9},
        {"quantity": "x"},
        {"quantity": 1, "on_behalf": 99999999},
        {"quantity": 1, "note": "a\x00b"},
    ],
)
def test_bad_pledges_are_refused_and_nothing_saved(body):
    need = NeedFactory()
    response = login(UserFactory()).post(
        f"{API}/needs/{need.pk}/pledges", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert not Pledge.objects.exists()


def test_roles_on_needs():
    need = NeedFactory()
    outsider = login(UserFactory())
    assert outsider.get(f"{API}/needs/{need.pk}/pledges").status_code == 403
    assert outsider.post(f"{API}/needs/{need.pk}/close").status_code == 403
    body = {"title": "x", "unit": "шт.", "quantity": 1, "deadline": "2100-01-01"}
    assert (
        outsider.put(f"{API}/needs/{need.pk}", body, content_type="application/json").status_code
        == 403
    )
    assert (
        login(editor_of(need.organization)).get(f"{API}/needs/{need.pk}/pledges").status_code == 200
    )
