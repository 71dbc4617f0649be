"""Who may view, edit, see the members of, manage and review an organisation: every role
against every status, and the 404/403 that `get_organization_for_user` answers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dobry.organizations import permissions
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

S = Organization.Status
ROLES = ["anonymous", "outsider", "member", "editor", "owner", "coordinator", "superuser"]


@pytest.fixture
def people(outsider, coordinator, admin_user):
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "coordinator": coordinator,
        "superuser": admin_user,
    }


def person(people, organization, role):
    """The person of `role` towards `organization` (members are made on demand)."""
    if role in people:
        return people[role]
    return MembershipFactory(
        organization=organization, role=getattr(Membership.Role, role.upper())
    ).user


# what each role may do: view (verified/pending), view returned, edit, see members, manage, review
MATRIX = {
    "anonymous": (True, False, False, False, False, False),
    "outsider": (True, False, False, False, False, False),
    "member": (True, True, False, True, False, False),
    "editor": (True, True, True, True, False, False),
    "owner": (True, True, True, True, True, False),
    "coordinator": (True, True, True, True, False, True),
    "superuser": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [S.VERIFIED, S.PENDING, S.RETURNED])
def test_the_permission_matrix(people, role, status):
    organization = OrganizationFactory(status=status)
    user = person(people, organization, role)
    view, view_returned, edit, see_members, manage, review = MATRIX[role]
    expected_view = view_returned if status == S.RETURNED else view
    assert bool(permissions.can_view(user, organization)) is expected_view
    assert bool(permissions.can_edit(user, organization)) is edit
    assert bool(permissions.can_see_members(user, organization)) is see_members
    assert bool(permissions.can_manage_members(user, organization)) is manage
    assert bool(permissions.can_review(user, organization)) is review


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        (permissions.can_edit, "Редактировать могут владелец и редакторы организации."),
        (permissions.can_manage_members, "Участниками управляет владелец организации."),
        (permissions.can_see_members, "Состав организации видят её участники и координаторы."),
        (permissions.can_review, "Проверяют организации координаторы ресурсного центра."),
    ],
)
def test_a_refusal_says_who_may(outsider, check, reason):
    decision = check(outsider, OrganizationFactory())
    assert not decision
    assert str(decision.reason) == reason


@pytest.mark.parametrize(
    ("role", "action", "outcome"),
    [
        ("outsider", "view", "ok"),
        ("outsider", "edit", 403),
        ("member", "edit", 403),
        ("editor", "edit", "ok"),
        ("editor", "members", 403),
        ("owner", "members", "ok"),
        ("owner", "review", 403),
        ("coordinator", "review", "ok"),
        ("coordinator", "members", 403),
    ],
)
def test_get_organization_for_user_answers_403_for_a_visible_one(people, role, action, outcome):
    organization = OrganizationFactory()
    user = person(people, organization, role)
    if outcome == "ok":
        assert (
            permissions.get_organization_for_user(user, organization.pk, action=action)
            == organization
        )
        return
    with pytest.raises(PermissionDenied):
        permissions.get_organization_for_user(user, organization.pk, action=action)


@pytest.mark.parametrize("action", ["view", "edit", "members", "review"])
def test_a_returned_organisation_is_404_to_outsiders_whatever_the_action(outsider, action):
    organization = OrganizationFactory(status=S.RETURNED)
    with pytest.raises(Http404):
        permissions.get_organization_for_user(outsider, organization.pk, action=action)
    with pytest.raises(Http404):
        permissions.get_organization_for_user(outsider, organization.pk + 1000, action=action)


def test_a_membership_is_read_once_however_many_checks(resident, django_assert_num_queries):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    with django_assert_num_queries(1):
        for check in (permissions.can_edit, permissions.can_see_members, permissions.can_view):
            assert check(resident, organization)
        assert not permissions.can_manage_members(resident, organization)
    assert permissions.membership_of(resident, organization).role == Membership.Role.EDITOR
