"""A donation recorded by hand links the donor's account by email or phone, into
«Мои пожертвования» and the yearly statement for the tax deduction. Any resident may
propose an organisation and be its owner at once: before the resource centre verified it,
such an owner could write donations into anyone's account and learn from `has_account`
whether an email or a phone is registered (issue 11, «private data that stays private»).
Recording by hand waits for the verification — page, API and service alike."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Donation
from dobry.charity.permissions import can_record_donation
from dobry.charity.services.donations import donation_record
from dobry.charity.tests.factories import editor_of
from dobry.core.clock import local_today
from dobry.core.errors import InvalidTransition
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def _proposed():
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    return organization, editor_of(organization, role="owner")


def _body(contact: str) -> dict:
    yesterday = local_today() - timedelta(days=1)
    return {"amount": "100", "received_on": yesterday.isoformat(), "donor_contact": contact}


def test_an_unverified_organisation_records_no_donation_into_an_account():
    organization, owner = _proposed()
    donor = UserFactory()
    decision = can_record_donation(owner, organization)
    assert not decision
    assert decision.not_now
    with pytest.raises(InvalidTransition):
        donation_record(
            actor=owner,
            organization=organization,
            amount=Decimal("100"),
            received_on=local_today(),
            donor_contact=donor.email,
        )
    assert not Donation.objects.exists()
    # once verified, the same owner may
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.VERIFIED)
    organization.refresh_from_db()
    assert can_record_donation(owner, organization)
    made = donation_record(
        actor=owner,
        organization=organization,
        amount=Decimal("100"),
        received_on=local_today(),
        donor_contact=donor.email,
    )
    assert made.donor == donor


def test_the_api_refuses_and_tells_nothing_of_the_account():
    organization, owner = _proposed()
    donor = UserFactory()
    client = login(owner)
    response = client.post(
        f"{API}/organizations/{organization.pk}/donations", _body(donor.email), content_type=JSON
    )
    assert response.status_code == 409
    assert "has_account" not in response.content.decode()
    assert not Donation.objects.exists()
    assert login(donor).get(f"{API}/me/donations").json()["items"] == []


def test_the_page_says_why_instead_of_a_form_the_service_refuses():
    organization, owner = _proposed()
    donor = UserFactory()
    client = login(owner)
    url = reverse("charity:donations", args=[organization.pk])
    page = client.get(url).content.decode()
    assert "проверенные ресурсным центром" in page
    assert 'name="donor_contact"' not in page
    client.post(url, {**_body(donor.email), "is_anonymous": "on"})
    assert not Donation.objects.exists()
    # a verified organisation's editors get the form
    verified = OrganizationFactory()
    assert (
        'name="donor_contact"'
        in login(editor_of(verified))
        .get(reverse("charity:donations", args=[verified.pk]))
        .content.decode()
    )
