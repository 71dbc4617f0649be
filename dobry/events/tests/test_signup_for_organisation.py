"""Signing up «for an organisation» is read once (`represented_organization`) for the page
and the API: one's own organisation is recorded, any other is refused with a clear error —
never turned into an individual signup."""

import pytest

from dobry.core.errors import DomainError
from dobry.events.models import Registration
from dobry.events.services.registrations import represented_organization
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.events.tests.test_api import bearer
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    person = volunteer()
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=person)
    return person, organization


def test_the_rule(member):
    person, organization = member
    assert represented_organization(user=person, organization_id=None) is None
    assert represented_organization(user=person, organization_id=organization.pk) == organization
    for forged in (OrganizationFactory().pk, 10**12):
        with pytest.raises(DomainError, match="свою организацию") as refused:
            represented_organization(user=person, organization_id=forged)
        assert list(refused.value.field_errors) == ["represents"]


def test_the_page_records_ones_own_organisation_and_refuses_another(login_as, member):
    person, organization = member
    shift = ShiftFactory()
    client = login_as(person)
    forged = client.post(
        f"/events/shifts/{shift.pk}/signup/", {"represents": OrganizationFactory().pk}, follow=True
    )
    assert forged.status_code == 200
    assert "Представлять можно только свою организацию" in forged.content.decode()
    assert not Registration.objects.exists()
    client.post(f"/events/shifts/{shift.pk}/signup/", {"represents": organization.pk})
    assert Registration.objects.get().represents == organization


def test_the_api_records_ones_own_organisation_and_refuses_another(member):
    person, organization = member
    shift = ShiftFactory()
    api = bearer(person)
    url = f"/api/v1/shifts/{shift.pk}/registrations"
    forged = api.post(
        url, {"represents": OrganizationFactory().pk}, content_type="application/json"
    )
    assert forged.status_code == 422
    assert "represents" in forged.json()["errors"]
    assert not Registration.objects.exists()
    created = api.post(url, {"represents": organization.pk}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["represents_id"] == organization.pk
    assert Registration.objects.get().represents == organization


def test_the_api_schema_names_the_organisation(client):
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["RegistrationIn"]["properties"]
    assert "represents" in fields
    assert "represents" not in schema["components"]["schemas"]["RegistrationIn"].get("required", [])
