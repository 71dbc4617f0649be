"""Members and their roles: an owner changes roles and removes members, anyone may leave, and
an organisation never loses its last owner — not by one request, nor by two at once."""

import time

import pytest
from django.db import connection

from dobry.communications.models import Notification
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.core.tests.threads import at_once
from dobry.organizations import services
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

R = Membership.Role


@pytest.fixture
def organization(db):
    return OrganizationFactory(short_name="Тёплый дом")


@pytest.fixture
def owner(organization, resident):
    return MembershipFactory(organization=organization, user=resident, role=R.OWNER)


@pytest.fixture
def member(organization, outsider):
    return MembershipFactory(organization=organization, user=outsider, role=R.MEMBER)


def role_of(membership) -> str | None:
    found = Membership.objects.filter(pk=membership.pk).first()
    return found.role if found else None


# --- services -------------------------------------------------------------------------------


def test_a_new_role_is_audited_and_the_member_is_told(owner, member):
    services.membership_set_role(actor=owner.user, membership=member, role="editor")
    assert role_of(member) == R.EDITOR
    entry = AuditEntry.objects.get(action="membership.set_role")
    assert entry.data == {"user": member.user_id, "from": "member", "to": "editor"}
    assert Notification.objects.filter(user=member.user, kind="membership_changed").count() == 1


def test_setting_the_same_role_changes_and_tells_nothing(owner, member):
    services.membership_set_role(actor=owner.user, membership=member, role="member")
    assert not AuditEntry.objects.filter(action="membership.set_role").exists()
    assert not Notification.objects.filter(kind="membership_changed").exists()


def test_an_unknown_role_is_refused(owner, member):
    with pytest.raises(DomainError) as error:
        services.membership_set_role(actor=owner.user, membership=member, role="king")
    assert "role" in error.value.field_errors
    assert role_of(member) == R.MEMBER


def test_an_owner_steps_down_once_another_owner_exists(owner, member):
    services.membership_set_role(actor=owner.user, membership=member, role="owner")
    services.membership_set_role(actor=owner.user, membership=owner, role="editor")
    assert (role_of(owner), role_of(member)) == (R.EDITOR, R.OWNER)


def test_removing_a_member_is_audited_as_removal_and_leaving_as_leaving(owner, member):
    services.membership_remove(actor=owner.user, membership=member)
    assert role_of(member) is None
    assert AuditEntry.objects.get(action="membership.remove").data == {
        "user": member.user_id,
        "role": "member",
    }
    again = MembershipFactory(organization=owner.organization, role=R.EDITOR)
    services.membership_remove(actor=again.user, membership=again)
    assert AuditEntry.objects.filter(action="membership.leave").count() == 1


def test_the_last_owner_cannot_be_removed_by_a_superuser_either(owner, admin_user):
    with pytest.raises(DomainError, match="должен остаться владелец"):
        services.membership_remove(actor=admin_user, membership=owner)
    assert role_of(owner) == R.OWNER


# --- pages ----------------------------------------------------------------------------------


def role_url(membership) -> str:
    return f"/organizations/{membership.organization_id}/members/{membership.pk}/role/"


def remove_url(membership) -> str:
    return f"/organizations/{membership.organization_id}/members/{membership.pk}/remove/"


def test_the_owner_changes_a_role_on_the_page(login_as, owner, member):
    response = login_as(owner.user).post(role_url(member), {"role": "editor"}, follow=True)
    assert "Роль изменена." in response.content.decode()
    assert role_of(member) == R.EDITOR


@pytest.mark.parametrize("who", ["member", "editor", "stranger", "coordinator"])
def test_only_the_owner_changes_roles(login_as, owner, member, coordinator, who):
    users = {
        "member": member.user,
        "editor": MembershipFactory(organization=owner.organization, role=R.EDITOR).user,
        "stranger": MembershipFactory(role=R.OWNER).user,
        "coordinator": coordinator,
    }
    response = login_as(users[who]).post(role_url(member), {"role": "owner"})
    assert response.status_code == 403
    assert role_of(member) == R.MEMBER


def test_role_changes_need_login_and_a_post(client, login_as, owner, member):
    assert client.post(role_url(member), {"role": "owner"})["Location"].startswith(
        "/accounts/login/"
    )
    assert login_as(owner.user).get(role_url(member)).status_code == 405
    assert role_of(member) == R.MEMBER


def test_a_membership_of_another_organisation_is_not_found(login_as, owner):
    elsewhere = MembershipFactory()
    url = f"/organizations/{owner.organization_id}/members/{elsewhere.pk}/role/"
    assert login_as(owner.user).post(url, {"role": "owner"}).status_code == 404
    url = f"/organizations/{owner.organization_id}/members/{elsewhere.pk}/remove/"
    assert login_as(owner.user).post(url).status_code == 404
    assert role_of(elsewhere) == R.MEMBER


def test_a_bad_role_on_the_page_is_refused_naming_it_and_changes_nothing(login_as, owner, member):
    response = login_as(owner.user).post(role_url(member), {"role": "king"})
    assert response.status_code == 400
    assert "«role»" in response.content.decode()
    assert role_of(member) == R.MEMBER


def test_demoting_the_last_owner_on_the_page_is_a_message(login_as, owner):
    response = login_as(owner.user).post(role_url(owner), {"role": "member"}, follow=True)
    assert "У организации должен остаться владелец." in response.content.decode()
    assert role_of(owner) == R.OWNER


def test_the_last_owner_leaving_is_a_message_and_they_stay(login_as, owner):
    response = login_as(owner.user).post(remove_url(owner), follow=True)
    assert response.redirect_chain[-1][0] == f"/organizations/{owner.organization_id}/"
    assert "Сначала назначьте другого владельца." in response.content.decode()
    assert role_of(owner) == R.OWNER


def test_a_member_who_leaves_goes_to_their_profile(login_as, member):
    response = login_as(member.user).post(remove_url(member))
    assert response["Location"] == "/profile/"
    assert role_of(member) is None


def test_the_owner_removes_a_member_and_stays_on_the_members_page(login_as, owner, member):
    response = login_as(owner.user).post(remove_url(member))
    assert response["Location"] == f"/organizations/{owner.organization_id}/members/"
    assert role_of(member) is None


def test_an_editor_cannot_remove_a_member(login_as, owner, member):
    editor = MembershipFactory(organization=owner.organization, role=R.EDITOR)
    assert login_as(editor.user).post(remove_url(member)).status_code == 403
    assert role_of(member) == R.MEMBER


# --- two owners stepping down at once -------------------------------------------------------


def race_to_step_down(monkeypatch):
    """Both owners of an organisation step down at the same instant; the check for a
    remaining owner is slowed, as on a busy server, so both check before either writes.
    Returns the organisation and the sorted outcomes."""
    from dobry.accounts.tests.factories import UserFactory

    organization = OrganizationFactory()
    first, second = (
        MembershipFactory(organization=organization, user=UserFactory(), role=R.OWNER)
        for _ in range(2)
    )
    checked = services._ensure_an_owner_remains

    def slow_check(membership):
        checked(membership)
        time.sleep(0.3)  # as on a busy server: both check before either writes

    monkeypatch.setattr(services, "_ensure_an_owner_remains", slow_check)

    def step_down(membership):
        return services.membership_set_role(
            actor=membership.user, membership=membership, role="member"
        )

    stepped_down, raised = at_once(step_down, (first, second), timeout=60)
    assert all(isinstance(error, DomainError) for error in raised), raised
    return organization, sorted(["stepped down"] * len(stepped_down) + ["refused"] * len(raised))


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_two_owners_stepping_down_at_once_leave_one_owner(monkeypatch):
    organization, outcomes = race_to_step_down(monkeypatch)
    assert outcomes == ["refused", "stepped down"]
    assert organization.memberships.filter(role=R.OWNER).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs every write transaction alone (IMMEDIATE): no race to show",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_without_the_lock_both_owners_step_down(monkeypatch):
    """The negative control: each sees the other as the owner who remains."""
    monkeypatch.setattr(services, "_lock_owners", lambda membership: None)
    organization, outcomes = race_to_step_down(monkeypatch)
    assert outcomes == ["stepped down", "stepped down"]
    assert organization.memberships.filter(role=R.OWNER).count() == 0
