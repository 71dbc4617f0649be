"""Invitations an organisation may send in a day (issue 11: an unverified organisation
named «…заберите приз на http://evil.example» sent invitations as spam from the platform):
fewer before the resource centre's check, more after; the limit counts the last 24 hours."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import TooMany
from dobry.organizations.models import Invitation, Membership, Organization
from dobry.organizations.services import invitation_create
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def owner_of(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.OWNER).user


def invite(owner, organization, n):
    return invitation_create(
        actor=owner, organization=organization, email=f"person{n}@example.org", role="member"
    )


def test_an_unverified_organisation_sends_five_a_day(settings):
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    owner = owner_of(organization)
    for n in range(settings.DOBRY_UNVERIFIED_INVITATIONS_PER_DAY):
        invite(owner, organization, n)
    with pytest.raises(TooMany, match="предел — 5"):
        invite(owner, organization, 99)
    assert Invitation.objects.filter(organization=organization).count() == 5


def test_a_verified_organisation_sends_more_and_yesterday_does_not_count(settings):
    settings.DOBRY_INVITATIONS_PER_DAY = 7
    organization = OrganizationFactory(status=Organization.Status.VERIFIED)
    owner = owner_of(organization)
    for n in range(7):
        invite(owner, organization, n)
    with pytest.raises(TooMany):
        invite(owner, organization, 7)
    Invitation.objects.filter(organization=organization).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    invite(owner, organization, 8)


def test_the_api_answers_429(settings, login_as):
    settings.DOBRY_UNVERIFIED_INVITATIONS_PER_DAY = 1
    organization = OrganizationFactory(status=Organization.Status.PENDING)
    client = login_as(owner_of(organization))
    url = f"/api/v1/organizations/{organization.pk}/invitations"
    assert (
        client.post(url, {"email": "a@example.org"}, content_type="application/json").status_code
        == 201
    )
    refused = client.post(url, {"email": "b@example.org"}, content_type="application/json")
    assert refused.status_code == 429
    assert "предел — 1" in refused.json()["message"]
