"""Making invitations (one open invitation per address, addresses folded, a role from the
list), accepting them, the invitation page for anyone but the invitee, and a person's export
and erasure of memberships and invitations."""

from datetime import datetime, timedelta

import pytest
from django.core import mail

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.organizations import services
from dobry.organizations.models import Invitation, Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

I = Invitation.Status  # noqa: E741
R = Membership.Role


@pytest.fixture
def owner(resident):
    MembershipFactory(
        organization=OrganizationFactory(short_name="Тёплый дом"), user=resident, role=R.OWNER
    )
    return resident


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


def invite(owner, organization, email="Friend@Example.org", role="member"):
    return services.invitation_create(
        actor=owner, organization=organization, email=email, role=role
    )


def test_an_invitation_is_for_the_folded_address_and_expires_in_the_configured_days(
    owner, organization, settings, freeze_now
):
    settings.DOBRY_INVITATION_DAYS = 14
    now = datetime(2031, 3, 10, 10, 0, tzinfo=city_zone())
    freeze_now(now)
    invitation = invite(owner, organization, email="  Friend@Example.org ")
    assert (invitation.email, invitation.role, invitation.status) == (
        "friend@example.org",
        "member",
        I.PENDING,
    )
    assert invitation.expires_at == now + timedelta(days=14)
    assert AuditEntry.objects.get(action="invitation.create").data == {
        "email": "friend@example.org",
        "role": "member",
    }


def test_inviting_the_same_address_again_revokes_the_earlier_invitation(owner, organization):
    first = invite(owner, organization, role="member")
    second = invite(owner, organization, email="FRIEND@example.org", role="editor")
    first.refresh_from_db()
    assert (first.status, second.status) == (I.REVOKED, I.PENDING)
    assert list(organization.invitations.pending()) == [second]
    # revoked through the workflow, with the entry an owner's revoking writes
    revoked = AuditEntry.objects.get(action="invitation.revoke")
    assert (revoked.actor, revoked.object_id, revoked.data) == (
        owner,
        str(organization.pk),
        {"email": "friend@example.org"},
    )


def test_an_unknown_role_is_refused_and_nothing_is_sent(owner, organization):
    with pytest.raises(DomainError) as error:
        invite(owner, organization, role="king")
    assert "role" in error.value.field_errors
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_of_a_deactivated_account_is_sent_an_email(owner, organization):
    UserFactory(email="gone@example.org", is_active=False)
    invite(owner, organization, email="gone@example.org")
    assert [message.to for message in mail.outbox] == [["gone@example.org"]]


def test_accepting_under_the_address_in_other_letters_works(owner, organization):
    invitee = UserFactory(email="FRIEND@example.org")
    membership = services.invitation_accept(user=invitee, invitation=invite(owner, organization))
    assert (membership.user, membership.role) == (invitee, R.MEMBER)


def test_accepting_when_already_a_member_keeps_the_role_held(owner, organization):
    invitee = UserFactory(email="friend@example.org")
    invitation = invite(owner, organization, role="editor")
    MembershipFactory(organization=organization, user=invitee, role=R.OWNER)
    membership = services.invitation_accept(user=invitee, invitation=invitation)
    assert membership.role == R.OWNER
    assert organization.memberships.filter(user=invitee).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == I.ACCEPTED


# --- pages ----------------------------------------------------------------------------------


def test_the_invitation_page_sends_anonymous_to_log_in(client, owner, organization):
    invitation = invite(owner, organization)
    response = client.get(f"/organizations/invitations/{invitation.token}/")
    assert response["Location"].startswith("/accounts/login/")


def test_a_wrong_token_is_404(login_as, outsider):
    assert login_as(outsider).get("/organizations/invitations/nothing-here/").status_code == 404


def test_someone_elses_invitation_cannot_be_accepted_on_the_page(
    login_as, owner, organization, outsider
):
    invitation = invite(owner, organization)
    response = login_as(outsider).post(
        f"/organizations/invitations/{invitation.token}/", follow=True
    )
    assert "Войдите под этим адресом." in response.content.decode()
    assert not organization.memberships.filter(user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.status == I.PENDING


def test_the_members_page_refuses_an_unknown_role_and_an_existing_member(
    login_as, owner, organization, outsider
):
    MembershipFactory(organization=organization, user=outsider)
    client = login_as(owner)
    url = f"/organizations/{organization.pk}/members/"
    bad_role = client.post(url, {"email": "new@example.org", "role": "king"})
    assert "role" in bad_role.context["form"].errors
    member = client.post(url, {"email": outsider.email.upper(), "role": "member"})
    assert member.context["form"].errors["email"] == ["Уже участник."]
    assert not Invitation.objects.exists()


def test_revoking_an_invitation_of_another_organisation_is_404(login_as, owner, organization):
    foreign_owner = MembershipFactory(role=R.OWNER)
    foreign = services.invitation_create(
        actor=foreign_owner.user,
        organization=foreign_owner.organization,
        email="x@example.org",
        role="member",
    )
    url = f"/organizations/{organization.pk}/invitations/{foreign.pk}/revoke/"
    assert login_as(owner).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == I.PENDING


def test_the_owner_revokes_on_the_members_page(login_as, owner, organization):
    invitation = invite(owner, organization)
    url = f"/organizations/{organization.pk}/invitations/{invitation.pk}/revoke/"
    response = login_as(owner).post(url)
    assert response["Location"] == f"/organizations/{organization.pk}/members/"
    invitation.refresh_from_db()
    assert invitation.status == I.REVOKED


# --- a person's export and erasure --------------------------------------------------------


def test_the_export_lists_ones_memberships_with_roles(owner, organization):
    exported = personal_data.export_sections(owner)["organization_memberships"]
    assert [(row["organization"], row["role"]) for row in exported] == [("Тёплый дом", "owner")]


def test_erasure_removes_memberships_and_invitations_to_any_of_ones_addresses(
    owner, organization, outsider
):
    elsewhere = OrganizationFactory()
    MembershipFactory(organization=elsewhere, user=outsider)
    invite(owner, organization, email=outsider.email.upper())
    kept = invite(owner, organization, email="someone@example.org")
    personal_data.erase_sections(outsider)
    assert not Membership.objects.filter(user=outsider).exists()
    assert list(Invitation.objects.all()) == [kept]
    assert Membership.objects.filter(user=owner).exists()
