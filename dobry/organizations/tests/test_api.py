import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.core.models import District
from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

PAYLOAD = {
    "kind": "sonko",
    "name": "АНО «Тёплый дом»",
    "inn": demo_inn(321),
    "ogrn": demo_ogrn(321),
    "areas": ["elderly"],
}


def test_list_is_public_paginated_and_filterable(client, db):
    District.objects.create(name="Центр", slug="center")
    target = OrganizationFactory(short_name="Тёплый дом", district=District.objects.get())
    target.area_links.create(area="elderly")
    OrganizationFactory(short_name="Другая")
    OrganizationFactory(short_name="Ждёт", status=Organization.Status.PENDING)
    data = client.get("/api/v1/organizations").json()
    assert data["count"] == 2
    names = {item["short_name"] for item in data["items"]}
    assert names == {"Тёплый дом", "Другая"}
    only = client.get("/api/v1/organizations", {"area": "elderly", "district": "center"}).json()
    assert [item["short_name"] for item in only["items"]] == ["Тёплый дом"]
    assert only["items"][0]["areas"] == ["elderly"]
    assert only["items"][0]["verified"] is True
    pending = client.get("/api/v1/organizations", {"include_pending": "true"}).json()
    assert pending["count"] == 3


def test_bad_filter_is_a_422_with_field_errors(client, db):
    response = client.get("/api/v1/organizations", {"kind": "martians"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert any("kind" in key for key in body["errors"])


@pytest.mark.parametrize("count", [1, 30])
def test_list_keeps_a_fixed_query_count(client, db, django_assert_max_num_queries, count):
    OrganizationFactory.create_batch(count)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/organizations").status_code == 200


def test_detail_hides_returned_organisations_from_strangers(client, db):
    organization = OrganizationFactory(status=Organization.Status.RETURNED)
    assert client.get(f"/api/v1/organizations/{organization.pk}").status_code == 404
    assert client.get("/api/v1/organizations/99999").json()["message"]


def test_create_needs_authentication(client, db):
    response = client.post("/api/v1/organizations", PAYLOAD, content_type="application/json")
    assert response.status_code == 401
    assert not Organization.objects.exists()


def test_create_with_a_token_proposes_and_makes_owner(resident):
    response = bearer(resident).post(
        "/api/v1/organizations", PAYLOAD, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    organization = Organization.objects.get(pk=body["id"])
    assert organization.memberships.get().role == Membership.Role.OWNER


def test_create_with_a_bad_inn_answers_field_errors_and_saves_nothing(resident):
    response = bearer(resident).post(
        "/api/v1/organizations", {**PAYLOAD, "inn": "1111111111"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "inn" in response.json()["errors"]
    assert not Organization.objects.exists()


def test_create_with_missing_fields_answers_422(resident):
    response = bearer(resident).post("/api/v1/organizations", {}, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_session_auth_requires_csrf_for_writes(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post("/api/v1/organizations", PAYLOAD, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Organization.objects.exists()


def test_patch_by_editor_and_refused_for_outsider(resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    url = f"/api/v1/organizations/{organization.pk}"
    assert (
        bearer(outsider)
        .patch(url, {"description": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    response = bearer(resident).patch(
        url, {"description": "Новое описание"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Новое описание"


def test_verify_and_return_only_by_coordinators(resident, coordinator):
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    url = f"/api/v1/organizations/{organization.pk}"
    assert bearer(resident).post(f"{url}/verify").status_code == 403
    response = bearer(coordinator).post(f"{url}/verify")
    assert response.status_code == 200
    assert response.json()["verified"] is True
    again = bearer(coordinator).post(f"{url}/verify")
    assert again.status_code == 409
    assert again.json()["message"]
    returned = bearer(coordinator).post(
        f"{url}/return", {"reason": "Уточните ОГРН"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"


def test_me_describes_roles_and_memberships(coordinator):
    MembershipFactory(user=coordinator, role=Membership.Role.OWNER)
    data = bearer(coordinator).get("/api/v1/me").json()
    assert data["roles"] == ["resident", "coordinator"]
    assert data["memberships"][0]["role"] == "owner"


def test_me_needs_authentication(client, db):
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/me", "/api/v1/organizations", "/api/v1/organizations/{pk}/verify"):
        assert path in schema["paths"], path
    assert client.get("/api/v1/docs").status_code == 200


def test_patch_refuses_null_for_a_required_field_and_clears_the_district(resident):
    from dobry.organizations.models import Membership, Organization
    from dobry.organizations.tests.factories import MembershipFactory

    membership = MembershipFactory(user=resident, role=Membership.Role.OWNER)
    organization = membership.organization
    url = f"/api/v1/organizations/{organization.pk}"
    refused = bearer(resident).patch(url, {"name": None}, content_type="application/json")
    assert refused.status_code == 422
    assert "name" in refused.json()["errors"]
    assert Organization.objects.get(pk=organization.pk).name == organization.name
    cleared = bearer(resident).patch(url, {"district": None}, content_type="application/json")
    assert cleared.status_code == 200, cleared.content
    assert Organization.objects.get(pk=organization.pk).district is None
