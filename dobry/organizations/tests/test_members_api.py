"""Members and invitations through the API: the same permission functions, selectors and
services as the members page and the invitation page — every operation as anonymous (401),
as someone without the right (403/404, as the page answers), as the right role, with bad
input (422 naming the field, nothing changed), and the lists' query budgets."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.errors import PermissionDenied
from dobry.core.models import AuditEntry
from dobry.organizations import services
from dobry.organizations.models import Invitation, Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
R = Membership.Role
I = Invitation.Status  # noqa: E741


def post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def organization(db):
    return OrganizationFactory(short_name="Тёплый дом")


@pytest.fixture
def owner(organization, resident):
    return MembershipFactory(organization=organization, user=resident, role=R.OWNER)


@pytest.fixture
def member(organization, outsider):
    return MembershipFactory(organization=organization, user=outsider, role=R.MEMBER)


@pytest.fixture
def editor(organization):
    return MembershipFactory(organization=organization, role=R.EDITOR)


def url(organization, rest: str = "") -> str:
    return f"/api/v1/organizations/{organization.pk}{rest}"


def invite(owner, email="friend@example.org", role="member") -> Invitation:
    return services.invitation_create(
        actor=owner.user, organization=owner.organization, email=email, role=role
    )


def role_of(membership) -> str | None:
    found = Membership.objects.filter(pk=membership.pk).first()
    return found.role if found else None


# --- anonymous ------------------------------------------------------------------------------


def test_every_operation_needs_credentials(client, owner, member):
    invitation = invite(owner)
    calls = [
        ("get", url(owner.organization, "/members")),
        ("post", url(owner.organization, f"/members/{member.pk}/role")),
        ("post", url(owner.organization, f"/members/{member.pk}/remove")),
        ("get", url(owner.organization, "/invitations")),
        ("post", url(owner.organization, "/invitations")),
        ("post", url(owner.organization, f"/invitations/{invitation.pk}/revoke")),
        ("get", f"/api/v1/organizations/invitations/{invitation.token}"),
        ("post", f"/api/v1/organizations/invitations/{invitation.token}/accept"),
    ]
    for method, path in calls:
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 401, (method, path)
    assert role_of(member) == R.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == I.PENDING


# --- the list of members --------------------------------------------------------------------


def test_the_owner_sees_members_with_their_addresses_owners_first(owner, member, editor):
    items = bearer(owner.user).get(url(owner.organization, "/members")).json()["items"]
    assert [(item["user_id"], item["role"]) for item in items] == [
        (owner.user_id, "owner"),
        (editor.user_id, "editor"),
        (member.user_id, "member"),
    ]
    assert items[0]["name"] == "Анна Жителева"
    assert [item["email"] for item in items] == [
        owner.user.email,
        editor.user.email,
        member.user.email,
    ]


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_members_and_coordinators_see_names_and_roles_but_no_addresses(
    owner, member, coordinator, who
):
    user = {"member": member.user, "coordinator": coordinator}[who]
    response = bearer(user).get(url(owner.organization, "/members"))
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["role"] for item in items} == {"owner", "member"}
    assert {item["email"] for item in items} == {None}


def test_outsiders_and_members_of_another_organisation_may_not_list_members(owner):
    stranger = MembershipFactory(role=R.OWNER).user
    response = bearer(stranger).get(url(owner.organization, "/members"))
    assert response.status_code == 403
    assert response.json()["message"] == "Состав организации видят её участники и координаторы."


def test_a_returned_organisation_is_hidden_from_outsiders(outsider):
    hidden = OrganizationFactory(status=Organization.Status.RETURNED)
    assert bearer(outsider).get(url(hidden, "/members")).status_code == 404
    assert bearer(outsider).get("/api/v1/organizations/999999/members").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_the_members_list_keeps_a_fixed_query_count(owner, count, django_assert_max_num_queries):
    for _ in range(count):
        MembershipFactory(organization=owner.organization)
    client = bearer(owner.user)
    with django_assert_max_num_queries(6):
        response = client.get(url(owner.organization, "/members"))
    assert response.json()["count"] == count + 1


# --- inviting -------------------------------------------------------------------------------


def test_the_owner_invites_by_email_and_the_person_is_told(owner, member):
    newcomer = UserFactory(email="friend@example.org")
    response = post(
        bearer(owner.user),
        url(owner.organization, "/invitations"),
        {"email": " Friend@Example.org ", "role": "editor"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["status"], body["moves"]) == (
        "friend@example.org",
        "editor",
        "pending",
        ["revoke"],
    )
    invitation = Invitation.objects.get()
    assert (invitation.organization, invitation.invited_by) == (owner.organization, owner.user)
    assert Notification.objects.filter(user=newcomer, kind="membership_invited").exists()
    assert AuditEntry.objects.filter(action="invitation.create").count() == 1


def test_an_address_without_an_account_is_emailed_the_link(owner):
    post(bearer(owner.user), url(owner.organization, "/invitations"), {"email": "new@example.org"})
    invitation = Invitation.objects.get()
    assert invitation.role == R.MEMBER
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    assert invitation.token in mail.outbox[0].body


@pytest.mark.parametrize("who", ["editor", "member", "coordinator", "stranger"])
def test_only_an_owner_invites(owner, member, editor, coordinator, who):
    user = {
        "editor": editor.user,
        "member": member.user,
        "coordinator": coordinator,
        "stranger": MembershipFactory(role=R.OWNER).user,
    }[who]
    response = post(
        bearer(user), url(owner.organization, "/invitations"), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Участниками управляет владелец организации."
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
        ({}, "email"),
        ({"email": "x@example.org", "role": "king"}, "role"),
        ({"email": "x@example.org", "role": None}, "role"),
    ],
)
def test_a_bad_invitation_is_refused_naming_the_field_and_nothing_is_sent(owner, body, field):
    response = post(bearer(owner.user), url(owner.organization, "/invitations"), body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_a_member_again_is_refused_at_email(owner, member):
    response = post(
        bearer(owner.user),
        url(owner.organization, "/invitations"),
        {"email": member.user.email.upper()},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Уже участник."]}
    assert not Invitation.objects.exists()


# The known hole this closes: the members page checked the owner, the service did not, so
# any other way in could invite on an organisation's behalf.
def test_the_service_itself_refuses_an_invitation_from_anyone_but_an_owner(owner, editor):
    with pytest.raises(PermissionDenied, match="Участниками управляет владелец"):
        services.invitation_create(
            actor=editor.user, organization=owner.organization, email="x@example.org", role="member"
        )
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="invitation.create").exists()


def test_the_members_page_refuses_an_invitation_from_an_editor(login_as, owner, editor):
    response = login_as(editor.user).post(
        f"/organizations/{owner.organization.pk}/members/",
        {"email": "x@example.org", "role": "member"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- pending invitations and revoking -------------------------------------------------------


def test_the_owner_lists_pending_invitations_with_what_they_may_do(owner):
    first = invite(owner, "first@example.org")
    second = invite(owner, "second@example.org", role="editor")
    services.invitation_revoke(actor=owner.user, invitation=first)
    Invitation.objects.create(
        organization=owner.organization,
        email="late@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    data = bearer(owner.user).get(url(owner.organization, "/invitations")).json()
    assert data["count"] == 1
    assert [(i["id"], i["email"], i["moves"]) for i in data["items"]] == [
        (second.pk, "second@example.org", ["revoke"])
    ]


@pytest.mark.parametrize("who", ["editor", "member", "coordinator"])
def test_only_an_owner_lists_invitations(owner, member, editor, coordinator, who):
    invite(owner)
    user = {"editor": editor.user, "member": member.user, "coordinator": coordinator}[who]
    assert bearer(user).get(url(owner.organization, "/invitations")).status_code == 403


@pytest.mark.parametrize("count", [1, 20])
def test_the_invitations_list_keeps_a_fixed_query_count(
    owner, count, django_assert_max_num_queries
):
    for number in range(count):
        invite(owner, f"person{number}@example.org")
    client = bearer(owner.user)
    with django_assert_max_num_queries(5):
        response = client.get(url(owner.organization, "/invitations"))
    assert response.json()["count"] == count


def test_the_owner_revokes_and_a_second_revoke_is_a_conflict(owner):
    invitation = invite(owner)
    client = bearer(owner.user)
    path = url(owner.organization, f"/invitations/{invitation.pk}/revoke")
    response = post(client, path)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["moves"]) == ("revoked", [])
    again = post(client, path)
    assert again.status_code == 409
    assert again.json()["message"] == "Приглашение уже не ожидает ответа."


def test_revoking_is_for_owners_and_their_own_organisations_invitations(owner, editor):
    invitation = invite(owner)
    path = url(owner.organization, f"/invitations/{invitation.pk}/revoke")
    assert post(bearer(editor.user), path).status_code == 403
    elsewhere = MembershipFactory(role=R.OWNER)
    foreign_path = url(elsewhere.organization, f"/invitations/{invitation.pk}/revoke")
    assert post(bearer(elsewhere.user), foreign_path).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == I.PENDING


# --- roles and removal ----------------------------------------------------------------------


def test_the_owner_changes_a_role(owner, member):
    response = post(
        bearer(owner.user),
        url(owner.organization, f"/members/{member.pk}/role"),
        {"role": "editor"},
    )
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["email"]) == ("editor", member.user.email)
    assert role_of(member) == R.EDITOR
    assert Notification.objects.filter(user=member.user, kind="membership_changed").exists()


@pytest.mark.parametrize("who", ["member", "editor", "coordinator", "stranger"])
def test_only_the_owner_changes_roles(owner, member, editor, coordinator, who):
    user = {
        "member": member.user,
        "editor": editor.user,
        "coordinator": coordinator,
        "stranger": MembershipFactory(role=R.OWNER).user,
    }[who]
    response = post(
        bearer(user), url(owner.organization, f"/members/{member.pk}/role"), {"role": "owner"}
    )
    assert response.status_code == 403
    assert role_of(member) == R.MEMBER


@pytest.mark.parametrize("body", [{"role": "king"}, {"role": ""}, {}, {"role": ["owner"]}])
def test_a_bad_role_is_refused_naming_it(owner, member, body):
    response = post(bearer(owner.user), url(owner.organization, f"/members/{member.pk}/role"), body)
    assert response.status_code == 422
    assert "role" in response.json()["errors"]
    assert role_of(member) == R.MEMBER


def test_the_last_owner_cannot_step_down_nor_leave(owner):
    client = bearer(owner.user)
    demote = post(client, url(owner.organization, f"/members/{owner.pk}/role"), {"role": "member"})
    leave = post(client, url(owner.organization, f"/members/{owner.pk}/remove"))
    for response in (demote, leave):
        assert response.status_code == 422
        assert "должен остаться владелец" in response.json()["message"]
    assert role_of(owner) == R.OWNER


def test_a_membership_of_another_organisation_is_not_found(owner):
    elsewhere = MembershipFactory()
    client = bearer(owner.user)
    assert (
        post(client, url(owner.organization, f"/members/{elsewhere.pk}/role"), {"role": "owner"})
    ).status_code == 404
    assert post(client, url(owner.organization, f"/members/{elsewhere.pk}/remove")).status_code == (
        404
    )
    assert role_of(elsewhere) == R.MEMBER


def test_the_owner_removes_a_member_and_a_member_leaves(owner, member, editor):
    assert (
        post(
            bearer(owner.user), url(owner.organization, f"/members/{member.pk}/remove")
        ).status_code
        == 204
    )
    assert role_of(member) is None
    assert (
        post(
            bearer(editor.user), url(owner.organization, f"/members/{editor.pk}/remove")
        ).status_code
        == 204
    )
    assert role_of(editor) is None
    actions = AuditEntry.objects.filter(action__startswith="membership.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "membership.leave",
        "membership.remove",
    ]


@pytest.mark.parametrize("who", ["editor", "coordinator", "stranger"])
def test_nobody_else_removes_a_member(owner, member, editor, coordinator, who):
    user = {
        "editor": editor.user,
        "coordinator": coordinator,
        "stranger": MembershipFactory(role=R.OWNER).user,
    }[who]
    response = post(bearer(user), url(owner.organization, f"/members/{member.pk}/remove"))
    assert response.status_code == 403
    assert role_of(member) == R.MEMBER


def test_the_services_refuse_role_changes_and_removals_by_others(owner, member, editor):
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=editor.user, membership=member, role="owner")
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=editor.user, membership=member)
    assert role_of(member) == R.MEMBER


# --- the invitee ----------------------------------------------------------------------------


def token_url(invitation, rest: str = "") -> str:
    return f"/api/v1/organizations/invitations/{invitation.token}{rest}"


def test_the_invitee_reads_and_accepts_their_invitation(owner):
    invitee = UserFactory(email="friend@example.org")
    invitation = invite(owner, "Friend@Example.org", role="editor")
    client = bearer(invitee)
    shown = client.get(token_url(invitation)).json()
    assert shown == {
        "organization_id": owner.organization_id,
        "organization": "Тёплый дом",
        "role": "editor",
        "status": "pending",
        "expires_at": shown["expires_at"],
        "moves": ["accept"],
        "refusal": "",
    }
    response = post(client, token_url(invitation, "/accept"))
    assert response.status_code == 200
    assert response.json() == {
        "organization_id": owner.organization_id,
        "organization": "Тёплый дом",
        "role": "editor",
    }
    assert owner.organization.memberships.get(user=invitee).role == R.EDITOR
    again = post(client, token_url(invitation, "/accept"))
    assert again.status_code == 409
    assert again.json()["message"] == "Приглашение уже недействительно."


def test_someone_elses_invitation_says_why_and_cannot_be_accepted(owner, outsider):
    invitation = invite(owner, "friend@example.org")
    client = bearer(outsider)
    shown = client.get(token_url(invitation)).json()
    assert shown["moves"] == []
    assert shown["refusal"] == (
        "Приглашение отправлено на адрес friend@example.org. Войдите под этим адресом."
    )
    response = post(client, token_url(invitation, "/accept"))
    assert response.status_code == 403
    assert response.json()["message"] == shown["refusal"]
    assert not owner.organization.memberships.filter(user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.status == I.PENDING


def test_an_expired_invitation_cannot_be_accepted(owner):
    invitee = UserFactory(email="friend@example.org")
    invitation = invite(owner, "friend@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = bearer(invitee)
    assert client.get(token_url(invitation)).json()["refusal"] == "Приглашение уже недействительно."
    # the invitee may accept, only not any more: a 409, as for an answered one
    assert post(client, token_url(invitation, "/accept")).status_code == 409
    assert not owner.organization.memberships.filter(user=invitee).exists()


@pytest.mark.parametrize("token", ["nothing-here", "x" * 64])
def test_an_unknown_token_is_not_found(outsider, token):
    assert bearer(outsider).get(f"/api/v1/organizations/invitations/{token}").status_code == 404


@pytest.mark.parametrize("token", ["x" * 65, "a.b", "%D0%B6"])
def test_a_token_that_cannot_be_one_is_refused_naming_it(outsider, token):
    response = bearer(outsider).get(f"/api/v1/organizations/invitations/{token}")
    assert response.status_code == 422
    assert "path.token" in response.json()["errors"]


# --- the page and the API give the same --------------------------------------------------


def test_the_members_page_and_the_api_list_the_same_members_in_the_same_order(
    login_as, owner, member, editor
):
    page = login_as(owner.user).get(f"/organizations/{owner.organization.pk}/members/")
    shown = [(m.user_id, m.role, m.user.email) for m in page.context["memberships"]]
    items = bearer(owner.user).get(url(owner.organization, "/members")).json()["items"]
    assert shown == [(item["user_id"], item["role"], item["email"]) for item in items]


def test_the_invitation_page_and_the_api_give_the_same_refusal(login_as, owner, outsider):
    invitation = invite(owner, "friend@example.org")
    page = login_as(outsider).get(f"/organizations/invitations/{invitation.token}/")
    api = bearer(outsider).get(token_url(invitation)).json()
    assert (page.context["refusal"], page.context["accept"]) == (api["refusal"], None)
    assert api["refusal"] in page.content.decode()
