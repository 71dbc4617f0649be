"""Who sees and edits which news item: the list form (`visible_news`, `editable_news`) agrees
with the single one (`can_view_news`, `can_edit_news`) for every role and every kind of item,
and `get_news_for_user` answers 404 to those who may not see it, 403 to those who see it but
may not edit it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dobry.accounts.tests.factories import UserFactory
from dobry.communications import permissions
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import NewsItemFactory, editor_of, organization_item
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
N = NewsItem.Status


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """Items of the city and of two organisations, published and not, and a person of
    each role."""
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    items = {
        "city published": NewsItemFactory(),
        "city draft": NewsItemFactory(status=N.DRAFT, published_at=None),
        "ours published": organization_item(ours),
        "ours draft": organization_item(ours, status=N.DRAFT, published_at=None),
        "ours on moderation": organization_item(ours, status=N.MODERATION, published_at=None),
        "theirs draft": organization_item(theirs, status=N.DRAFT, published_at=None),
    }
    people = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "our editor": editor_of(ours),
        "official": UserFactory(is_official=True),
        "coordinator": UserFactory(is_coordinator=True),
    }
    return items, people


SEES = {
    "anonymous": {"city published", "ours published"},
    "outsider": {"city published", "ours published"},
    "our editor": {"city published", "ours published", "ours draft", "ours on moderation"},
    "official": {"city published", "ours published", "city draft"},
    "coordinator": {"city published", "city draft", "ours published", "ours draft",
                    "ours on moderation", "theirs draft"},
}  # fmt: skip


@pytest.mark.parametrize("who", list(SEES))
def test_the_list_and_the_single_check_agree_on_what_each_role_sees(world, who):
    items, people = world
    user = people[who]
    listed = {name for name, item in items.items() if permissions.visible_news(user).filter(pk=item.pk).exists()}  # fmt: skip
    single = {name for name, item in items.items() if permissions.can_view_news(user, item)}
    assert listed == single == SEES[who]


DESK = {
    "anonymous": set(),
    "outsider": set(),
    "our editor": {"ours published", "ours draft", "ours on moderation"},
    "official": {"city published", "city draft"},
    "coordinator": set(SEES["coordinator"]),
}


@pytest.mark.parametrize("who", list(DESK))
def test_the_desk_lists_the_items_of_ones_side_whatever_their_state(world, who):
    items, people = world
    listed = set(permissions.editable_news(people[who]).values_list("pk", flat=True))
    assert {name for name, item in items.items() if item.pk in listed} == DESK[who]


def test_an_organisation_edits_its_item_only_as_a_draft_a_coordinator_always(world):
    items, people = world
    editor, coordinator = people["our editor"], people["coordinator"]
    assert permissions.can_edit_news(editor, items["ours draft"])
    assert not permissions.can_edit_news(editor, items["ours on moderation"])
    assert not permissions.can_edit_news(editor, items["ours published"])
    assert permissions.can_edit_news(coordinator, items["ours on moderation"])
    assert not permissions.can_edit_news(editor, items["theirs draft"])


def test_get_news_for_user_hides_answers_forbidden_and_refuses_an_unknown_action(world):
    items, people = world
    draft = items["ours draft"]
    with pytest.raises(Http404):
        permissions.get_news_for_user(people["outsider"], draft.pk)
    with pytest.raises(Http404):
        permissions.get_news_for_user(people["outsider"], 999_999)
    published = items["ours published"]
    assert permissions.get_news_for_user(people["outsider"], published.pk) == published
    with pytest.raises(PermissionDenied):
        permissions.get_news_for_user(people["outsider"], published.pk, action="edit")
    with pytest.raises(PermissionDenied):  # seen, on the desk, but on moderation
        permissions.get_news_for_user(
            people["our editor"], items["ours on moderation"].pk, action="edit"
        )
    assert permissions.get_news_for_user(people["our editor"], draft.pk, action="edit") == draft
    with pytest.raises(ValueError, match="unknown action"):
        permissions.get_news_for_user(people["our editor"], draft.pk, action="delete")


def test_writing_for_an_organisation_needs_a_signed_in_editor_and_an_organisation(world):
    items, people = world
    ours = items["ours draft"].organization_pk
    assert permissions.writes_for(people["our editor"], ours)
    assert not permissions.writes_for(people["our editor"], None)
    assert not permissions.writes_for(people["anonymous"], ours)
    assert not permissions.writes_for(people["outsider"], ours)


def test_the_suppression_list_is_for_coordinators_and_admins_only(world):
    _items, people = world
    assert not permissions.can_manage_suppressions(people["anonymous"])
    assert not permissions.can_manage_suppressions(people["official"])
    assert permissions.can_manage_suppressions(people["coordinator"])
    assert permissions.can_manage_suppressions(UserFactory(is_superuser=True))
