"""Organisations and invitations keep the project's one order of refusals: a person who
may never make the move gets 403 whatever the state — someone other than a coordinator
verifying an organisation used to get 422 (a «domain error», as if they had typed it
wrong), and a stranger «accepting» somebody's answered invitation got 409, learning it
had been answered —; the coordinator, the owner or the invitee, refused only for the state
or the time, gets 409."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.organizations import services
from dobry.organizations.models import Invitation, Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
I = Invitation.Status  # noqa: E741


@pytest.fixture
def invitation(resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.OWNER)
    return services.invitation_create(
        actor=resident, organization=organization, email=outsider.email, role="member"
    )


@pytest.mark.parametrize("status", [Organization.Status.PENDING, Organization.Status.VERIFIED])
def test_verifying_is_403_for_anyone_but_coordinators_in_every_state(status, resident):
    organization = OrganizationFactory(status=status)
    with pytest.raises(PermissionDenied):
        services.organization_verify(actor=resident, organization=organization)
    with pytest.raises(PermissionDenied):
        services.organization_return(actor=resident, organization=organization, reason="Нет ИНН")


def test_a_coordinator_verifying_twice_gets_409(coordinator):
    organization = OrganizationFactory(status=Organization.Status.VERIFIED)
    with pytest.raises(InvalidTransition):
        services.organization_verify(actor=coordinator, organization=organization)


@pytest.mark.parametrize("status", [I.PENDING, I.ACCEPTED, I.REVOKED])
def test_someone_else_accepting_gets_403_in_every_state(invitation, status):
    Invitation.objects.filter(pk=invitation.pk).update(status=status)
    with pytest.raises(PermissionDenied, match="Войдите под этим адресом"):
        services.invitation_accept(user=UserFactory(), invitation=invitation)


def test_the_invitee_gets_409_once_it_expired_or_was_answered(invitation, outsider):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    invitation.refresh_from_db()
    with pytest.raises(InvalidTransition, match="уже недействительно"):
        services.invitation_accept(user=outsider, invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(status=I.REVOKED)
    with pytest.raises(InvalidTransition):
        services.invitation_accept(user=outsider, invitation=invitation)
    assert not Membership.objects.filter(user=outsider).exists()


def test_the_api_says_the_same(login_as, resident):
    organization = OrganizationFactory(status=Organization.Status.VERIFIED)
    path = f"/api/v1/organizations/{organization.pk}/verify"
    assert login_as(resident).post(path).status_code == 403
    assert login_as(UserFactory(is_coordinator=True)).post(path).status_code == 409
