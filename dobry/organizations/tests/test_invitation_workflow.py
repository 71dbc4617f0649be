"""Invitations move by INVITATION_WORKFLOW: the invitee accepts (under the invited address,
before it expires), an owner revokes; each once. Pages offer exactly the allowed moves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.organizations import permissions, services
from dobry.organizations.models import INVITATION_WORKFLOW, Invitation, Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
I = Invitation.Status  # noqa: E741


def test_the_table():
    assert INVITATION_WORKFLOW.table == {I.PENDING: frozenset({I.ACCEPTED, I.REVOKED})}


@pytest.fixture
def owner(resident):
    return resident


@pytest.fixture
def invitation(owner, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=owner, role=Membership.Role.OWNER)
    return services.invitation_create(
        actor=owner, organization=organization, email=outsider.email, role="member"
    )


def _status(invitation):
    invitation.refresh_from_db()
    return invitation.status


def test_allowed_moves(invitation, owner, outsider):
    services.invitation_accept(user=outsider, invitation=invitation)
    assert _status(invitation) == I.ACCEPTED
    again = services.invitation_create(
        actor=owner, organization=invitation.organization, email="new@example.org", role="member"
    )
    services.invitation_revoke(actor=owner, invitation=again)
    assert _status(again) == I.REVOKED


@pytest.mark.parametrize("status", [I.ACCEPTED, I.REVOKED])
def test_an_answered_invitation_is_neither_accepted_nor_revoked(
    invitation, owner, outsider, status
):
    Invitation.objects.filter(pk=invitation.pk).update(status=status)
    with pytest.raises(InvalidTransition, match="уже недействительно"):
        services.invitation_accept(user=outsider, invitation=invitation)
    with pytest.raises(InvalidTransition, match="не ожидает ответа"):
        services.invitation_revoke(actor=owner, invitation=invitation)
    assert _status(invitation) == status


def test_who_may_move(invitation, owner, outsider, coordinator):
    with pytest.raises(DomainError, match="Участниками управляет владелец"):
        services.invitation_revoke(actor=outsider, invitation=invitation)
    with pytest.raises(DomainError, match="Войдите под этим адресом"):
        services.invitation_accept(user=owner, invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(DomainError, match="уже недействительно"):
        services.invitation_accept(user=outsider, invitation=invitation)
    assert _status(invitation) == I.PENDING


def test_moves_offered_follow_the_table_and_the_permission(invitation, owner, outsider):
    names = lambda user: [m.name for m in permissions.invitation_moves(user, invitation)]  # noqa: E731
    assert names(outsider) == ["accept"]
    assert names(owner) == ["revoke"]
    Invitation.objects.filter(pk=invitation.pk).update(status=I.REVOKED)
    invitation.refresh_from_db()
    assert names(outsider) == names(owner) == []


def test_the_invitation_page_offers_accept_only_to_the_invitee(
    login_as, invitation, owner, outsider
):
    url = f"/organizations/invitations/{invitation.token}/"
    assert "Принять приглашение" in login_as(outsider).get(url).content.decode()
    other = login_as(owner).get(url).content.decode()
    assert "Принять приглашение" not in other
    assert "Войдите под этим адресом" in other
    refused = login_as(owner).post(url, follow=True)
    assert refused.status_code == 200
    assert "Войдите под этим адресом" in refused.content.decode()
    services.invitation_revoke(actor=owner, invitation=invitation)
    used = login_as(outsider).get(url).content.decode()
    assert "Принять приглашение" not in used
    assert "уже недействительно" in used


def test_revoking_twice_on_the_page_is_a_message(login_as, invitation, owner):
    url = f"/organizations/{invitation.organization_id}/invitations/{invitation.pk}/revoke/"
    client = login_as(owner)
    members = client.get(f"/organizations/{invitation.organization_id}/members/").content.decode()
    assert url in members
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "не ожидает ответа" in response.content.decode()
