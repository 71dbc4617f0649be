"""Hours are claimed from an organisation verified now (issue 12): `POST /api/v1/me/hours`
for one awaiting review or returned answered a bare 404, as if it did not exist. It is a 422
at `organization` saying why, from the service the claim page shares; an organisation that
does not exist is a 422 at `organization` too."""

from datetime import timedelta

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/hours"
NOT_VERIFIED = "ещё не проверена"


def _claim(client: Client, organization_id: int):
    body = {
        "organization": organization_id,
        "day": (local_today() - timedelta(days=1)).isoformat(),
        "hours": "2",
        "description": "Разбирали книги в библиотеке",
    }
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("status", [Organization.Status.PENDING, Organization.Status.RETURNED])
def test_a_claim_for_an_organisation_not_verified_says_why(client, status):
    response = _claim(client, OrganizationFactory(status=status).pk)
    assert response.status_code == 422
    body = response.json()
    assert NOT_VERIFIED in body["message"]
    assert list(body["errors"]) == ["organization"]
    assert NOT_VERIFIED in body["errors"]["organization"][0]
    assert not HoursEntry.objects.exists()


def test_a_claim_for_no_organisation_is_a_422_at_the_field(client):
    response = _claim(client, 987654321)
    assert response.status_code == 422
    assert response.json()["errors"] == {"organization": ["Нет такой организации."]}


def test_a_claim_for_a_verified_organisation_is_recorded(client):
    response = _claim(client, OrganizationFactory().pk)
    assert response.status_code == 201, response.content
    assert HoursEntry.objects.count() == 1


def test_the_service_refuses_it_whatever_the_way_in():
    with pytest.raises(DomainError, match=NOT_VERIFIED) as refused:
        services.hours_claim(
            user=UserFactory(),
            organization=OrganizationFactory(status=Organization.Status.PENDING),
            day=local_today(),
            hours="2",
            description="Помогал",
        )
    assert list(refused.value.field_errors) == ["organization"]
