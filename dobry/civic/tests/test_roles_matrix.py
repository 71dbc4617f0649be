"""Every permission of the civic app for every role: the anonymous visitor, an outsider,
the author, an editor of the group behind the initiative, a team member and a coordinator
(`civic.permissions`), in the states where the answer changes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dobry.accounts.tests.factories import UserFactory
from dobry.civic import permissions
from dobry.civic.models import COMMENT_WORKFLOW, INITIATIVE_WORKFLOW, Comment, Initiative
from dobry.civic.tests.factories import (
    CommentFactory,
    InitiativeFactory,
    TeamMemberFactory,
    coordinator,
)
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "author", "group editor", "group member", "team", "coordinator")


@pytest.fixture
def cast():
    group = OrganizationFactory(kind=Organization.Kind.INITIATIVE_GROUP)
    initiative = InitiativeFactory(group=group)
    editor, member = UserFactory(), UserFactory()
    MembershipFactory(organization=group, user=editor, role=Membership.Role.EDITOR)
    MembershipFactory(organization=group, user=member, role=Membership.Role.MEMBER)
    people = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "author": initiative.author,
        "group editor": editor,
        "group member": member,
        "team": TeamMemberFactory(initiative=initiative).user,
        "coordinator": coordinator(),
    }
    return initiative, people


EDITORS = {"author", "group editor", "coordinator"}
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.mark.parametrize("role", ROLES)
def test_who_edits_and_links(cast, role):
    initiative, people = cast
    user = people[role]
    assert bool(permissions.can_edit_initiative(user, initiative)) == (role in EDITORS)
    assert bool(permissions.can_link(user, initiative)) == (role in EDITORS)
    assert bool(permissions.can_view_initiative(user, initiative))


@pytest.mark.parametrize("role", ROLES)
def test_who_posts_results(cast, role):
    initiative, people = cast
    expected = role in EDITORS | {"team"}
    assert bool(permissions.can_post_result(people[role], initiative)) == expected


@pytest.mark.parametrize("role", ROLES)
def test_who_takes_part(cast, role):
    initiative, people = cast
    user = people[role]
    # others support an initiative: its author and its group's editors are behind it already
    assert bool(permissions.can_support(user, initiative)) == (
        role in SIGNED_IN - {"author", "group editor"}
    )
    for check in (
        permissions.can_follow,
        permissions.can_join_team,
        permissions.can_comment,
    ):
        assert bool(check(user, initiative)) == (role in SIGNED_IN), check.__name__
    assert bool(permissions.can_create_initiative(user)) == (role in SIGNED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_which_stage_moves_each_role_sees(cast, role):
    initiative, people = cast
    moves = INITIATIVE_WORKFLOW.moves_for(people[role], initiative, permissions.can_move_initiative)
    expected = {"author": ["gather"], "group editor": ["gather"]}.get(role, [])
    if role == "coordinator":
        expected = ["gather", "to_centre"]
    assert [move.name for move in moves] == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_moderate_and_answer(cast, role, settings):
    initiative, people = cast
    user = people[role]
    assert bool(permissions.can_moderate(user)) == (role == "coordinator")
    comment = CommentFactory(initiative=initiative, status=Comment.Status.REPORTED)
    moves = COMMENT_WORKFLOW.moves_for(user, comment, permissions.can_move_comment)
    expected = ["keep", "hide"] if role == "coordinator" else []
    assert [m.name for m in moves if m.button] == expected
    decision = permissions.can_respond(user, initiative)
    assert not decision
    assert decision.not_now == (role == "coordinator")


def test_a_done_initiative_takes_no_support_nor_team_but_comments_and_follows():
    initiative = InitiativeFactory(status=Initiative.Status.DONE)
    resident = UserFactory()
    assert permissions.can_support(resident, initiative).not_now
    assert permissions.can_join_team(resident, initiative).not_now
    assert permissions.can_comment(resident, initiative)
    assert permissions.can_follow(resident, initiative)


def test_reports_each_role():
    comment = CommentFactory()
    assert not permissions.can_report_comment(AnonymousUser(), comment)
    assert not permissions.can_report_comment(comment.author, comment)
    assert permissions.can_report_comment(UserFactory(), comment)
    comment.status = Comment.Status.HIDDEN
    assert permissions.can_report_comment(UserFactory(), comment).not_now


def test_an_inactive_account_takes_no_part():
    initiative = InitiativeFactory()
    gone = UserFactory(is_active=False)
    assert not permissions.can_support(gone, initiative)
    assert not permissions.can_edit_initiative(initiative.author.__class__(pk=None), initiative)


def test_hidden_comments_are_found_by_coordinators_only():
    from django.http import Http404

    comment = CommentFactory(status=Comment.Status.HIDDEN)
    with pytest.raises(Http404):
        permissions.get_comment_for_user(UserFactory(), comment.pk)
    assert permissions.get_comment_for_user(coordinator(), comment.pk) == comment
