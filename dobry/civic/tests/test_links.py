"""What came of an initiative: links to a project group, a grant application, an event, a
campaign, news — through the generic reference, shown only to whoever may see the target."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import InitiativeLink
from dobry.civic.selectors import initiative_page
from dobry.civic.services.initiatives import link_add, link_remove
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.communications.tests.factories import NewsItemFactory
from dobry.core import references
from dobry.core.errors import DomainError, PermissionDenied
from dobry.events.tests.factories import EventFactory
from dobry.resources.groups import group_create

pytestmark = pytest.mark.django_db


def test_the_initiative_kind_is_registered_for_news_to_name_it():
    initiative = InitiativeFactory(title="Сквер")
    link = references.resolve(references.reference_to(initiative), AnonymousUser())
    assert link is not None
    assert link.title == "Сквер"


def test_the_author_links_news_and_an_event_and_everyone_sees_them():
    initiative = InitiativeFactory()
    news, event = NewsItemFactory(title="О сквере"), EventFactory()
    link_add(actor=initiative.author, initiative=initiative, kind="news", pk=news.pk)
    link_add(actor=initiative.author, initiative=initiative, kind="event", pk=event.pk)
    shown = initiative_page(AnonymousUser(), initiative)["links"]
    assert [link.target_link.title for link in shown] == ["О сквере", event.title]
    with pytest.raises(DomainError, match="уже связано"):
        link_add(actor=initiative.author, initiative=initiative, kind="news", pk=news.pk)


def test_a_project_group_link_is_seen_only_by_those_who_see_the_group():
    staff = coordinator()
    initiative = InitiativeFactory()
    group = group_create(actor=staff, title="Группа по скверу")
    with pytest.raises(DomainError):  # the author cannot see the group
        link_add(actor=initiative.author, initiative=initiative, kind="project_group", pk=group.pk)
    link_add(actor=staff, initiative=initiative, kind="project_group", pk=group.pk)
    assert initiative_page(AnonymousUser(), initiative)["links"] == []
    assert len(initiative_page(staff, initiative)["links"]) == 1


def test_unknown_kinds_missing_targets_and_outsiders_are_refused():
    initiative = InitiativeFactory()
    with pytest.raises(DomainError):
        link_add(actor=initiative.author, initiative=initiative, kind="user", pk=1)
    with pytest.raises(DomainError):
        link_add(actor=initiative.author, initiative=initiative, kind="news", pk=999999)
    news = NewsItemFactory()
    with pytest.raises(PermissionDenied):
        link_add(actor=UserFactory(), initiative=initiative, kind="news", pk=news.pk)
    assert not InitiativeLink.objects.exists()


def test_the_author_removes_a_link_an_outsider_cannot():
    initiative = InitiativeFactory()
    link = link_add(
        actor=initiative.author, initiative=initiative, kind="news", pk=NewsItemFactory().pk
    )
    with pytest.raises(PermissionDenied):
        link_remove(actor=UserFactory(), link=link)
    link_remove(actor=initiative.author, link=link)
    assert not InitiativeLink.objects.exists()
