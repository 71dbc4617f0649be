"""Writing and publishing news, by role: the city publishes its own; an organisation's
editor writes for it and a coordinator moderates; nobody acts for an organisation that is
not theirs; the schedule publishes what is due."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dobry.communications import permissions
from dobry.communications.models import NEWS_WORKFLOW, NewsItem, Notification
from dobry.communications.news.services import (
    news_create,
    news_move,
    news_release_due,
    news_update,
)
from dobry.communications.news.tasks import publish_due_news
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.core.references import Reference
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import SupportKind, SupportRecord

from .factories import NewsItemFactory, editor_of, organization_item, png

pytestmark = pytest.mark.django_db


def fields(**overrides):
    return {"title": "Открыт приём заявок", "lead": "Конкурс для НКО.", **overrides}


def test_a_coordinator_writes_for_the_city_and_publishes_without_moderation(coordinator):
    item = news_create(author=coordinator, fields=fields())
    assert item.publisher == NewsItem.Publisher.CITY
    assert item.status == NewsItem.Status.DRAFT
    news_move(actor=coordinator, item=item, move="publish")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED
    assert item.published_at is not None
    assert list(
        AuditEntry.objects.for_object(item).order_by("pk").values_list("action", flat=True)
    ) == ["news.create", "news.publish"]


def test_an_official_writes_for_the_city_too(official):
    item = news_create(author=official, fields=fields())
    assert item.publisher == NewsItem.Publisher.CITY
    news_move(actor=official, item=item, move="publish")
    assert item.status == NewsItem.Status.PUBLISHED


def test_the_citys_items_need_no_moderation(coordinator):
    item = news_create(author=coordinator, fields=fields())
    with pytest.raises(PermissionDenied, match="без модерации"):
        news_move(actor=coordinator, item=item, move="submit")


def test_an_organisations_editor_cannot_publish_without_moderation(coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = news_create(author=editor, fields=fields(organization=organization.pk))
    assert item.publisher == NewsItem.Publisher.ORGANIZATION
    assert item.organization == Reference("organization", organization.pk)
    assert [move.name for move in permissions.news_moves(editor, item)] == ["submit"]
    with pytest.raises(PermissionDenied, match="после модерации"):
        news_move(actor=editor, item=item, move="publish")
    # a coordinator cannot publish what the organisation has not sent either: not yet (409)
    with pytest.raises(InvalidTransition, match="ещё не отправила"):
        news_move(actor=coordinator, item=item, move="publish")
    assert NewsItem.objects.get().status == NewsItem.Status.DRAFT


def test_moderation_from_submission_to_publication(coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = news_create(author=editor, fields=fields(organization=organization.pk))
    news_move(actor=editor, item=item, move="submit")
    assert item.status == NewsItem.Status.MODERATION
    told = Notification.objects.get(user=coordinator)
    assert told.kind == "news_submitted"
    assert told.url == item.get_absolute_url()
    # on moderation the editor no longer edits it
    with pytest.raises(PermissionDenied):
        news_update(actor=editor, item=item, fields={"title": "Другое"})
    assert {move.name for move in permissions.news_moves(coordinator, item)} == {
        "publish",
        "return",
    }
    news_move(actor=coordinator, item=item, move="publish")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED
    assert Notification.objects.get(user=editor).kind == "news_published"
    # news naming an organisation is informational support of it, recorded once
    record = SupportRecord.objects.get()
    assert record.organization == organization
    assert record.kind == SupportKind.INFORMATIONAL
    assert record.source == Reference("news", item.pk)


def test_a_return_needs_a_reason_and_the_editor_fixes_and_resubmits(coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = news_create(author=editor, fields=fields(organization=organization.pk))
    news_move(actor=editor, item=item, move="submit")
    with pytest.raises(DomainError) as refused:
        news_move(actor=coordinator, item=item, move="return", reason="  ")
    assert "reason" in refused.value.field_errors
    news_move(actor=coordinator, item=item, move="return", reason="Добавьте дату.")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.RETURNED
    assert item.return_reason == "Добавьте дату."
    returned = Notification.objects.get(user=editor)
    assert returned.kind == "news_returned"
    assert "Добавьте дату." in returned.body
    news_update(actor=editor, item=item, fields={"lead": "Конкурс до 1 марта."})
    news_move(actor=editor, item=item, move="submit")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.MODERATION
    assert item.return_reason == ""


def test_only_a_moderator_returns(official):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization, status=NewsItem.Status.MODERATION)
    for someone in (editor, official):
        with pytest.raises(PermissionDenied):
            news_move(actor=someone, item=item, move="return", reason="Нет")


def test_an_outsider_cannot_edit_or_move_another_organisations_item(outsider):
    organization = OrganizationFactory()
    other_editor = editor_of()  # edits another organisation
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    for someone in (outsider, other_editor):
        with pytest.raises(PermissionDenied):
            news_update(actor=someone, item=item, fields={"title": "Взлом"})
        with pytest.raises(PermissionDenied):
            news_move(actor=someone, item=item, move="submit")
        with pytest.raises(Http404):
            permissions.get_news_for_user(someone, item.pk)
    assert NewsItem.objects.get().title != "Взлом"


def test_an_editor_cannot_write_for_another_organisation():
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    editor = editor_of(mine)
    with pytest.raises(DomainError) as refused:
        news_create(author=editor, fields=fields(organization=theirs.pk))
    assert "organization" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        news_create(author=editor, fields=fields())
    assert "organization" in refused.value.field_errors
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Membership.Role.MEMBER, Organization.Status.VERIFIED),
        (Membership.Role.OWNER, Organization.Status.PENDING),
        (Membership.Role.OWNER, Organization.Status.RETURNED),
    ],
)
def test_a_plain_member_or_an_unverified_organisation_writes_no_news(role, status):
    organization = OrganizationFactory(status=status)
    user = editor_of(organization, role=role)
    assert not permissions.can_write_news(user)
    with pytest.raises(PermissionDenied):
        news_create(author=user, fields=fields(organization=organization.pk))


def test_anonymous_sees_only_published_items(coordinator):
    anonymous = AnonymousUser()
    for status in NewsItem.Status.values:
        item = NewsItemFactory(status=status)
        if status == NewsItem.Status.PUBLISHED:
            assert permissions.get_news_for_user(anonymous, item.pk) == item
        else:
            with pytest.raises(Http404):
                permissions.get_news_for_user(anonymous, item.pk)
        assert permissions.get_news_for_user(coordinator, item.pk) == item
    assert set(permissions.visible_news(anonymous).values_list("status", flat=True)) == {
        NewsItem.Status.PUBLISHED
    }


def test_a_time_in_the_future_schedules_and_the_job_publishes_when_due(coordinator, freeze_now):
    now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in the city
    freeze_now(now)
    item = news_create(author=coordinator, fields=fields(publish_at=now + timedelta(hours=2)))
    assert [move.name for move in permissions.news_moves(coordinator, item)] == ["schedule"]
    with pytest.raises(InvalidTransition, match="ещё не наступило"):
        news_move(actor=coordinator, item=item, move="publish")
    news_move(actor=coordinator, item=item, move="schedule")
    assert item.status == NewsItem.Status.SCHEDULED
    assert news_release_due(now=now + timedelta(hours=1)) == []
    freeze_now(now + timedelta(hours=2, minutes=3))
    assert publish_due_news.call() == 1
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED
    assert item.published_at == now + timedelta(hours=2, minutes=3)
    release = AuditEntry.objects.for_object(item).get(action="news.release")
    assert release.actor is None
    assert release.data == {"from": "scheduled", "to": "published"}
    assert publish_due_news.call() == 0  # released once


def test_scheduling_needs_a_time_in_the_future(coordinator):
    item = news_create(author=coordinator, fields=fields())
    with pytest.raises(InvalidTransition, match="в будущем"):
        news_move(actor=coordinator, item=item, move="schedule")


def test_a_scheduled_item_keeps_its_time(coordinator):
    later = timezone.now() + timedelta(days=1)
    item = news_create(author=coordinator, fields=fields(publish_at=later))
    news_move(actor=coordinator, item=item, move="schedule")
    with pytest.raises(DomainError) as refused:
        news_update(actor=coordinator, item=item, fields={"publish_at": None})
    assert "publish_at" in refused.value.field_errors


def test_an_organisations_scheduled_item_is_released_and_its_author_told(coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    later = timezone.now() + timedelta(hours=5)
    item = news_create(author=editor, fields=fields(organization=organization.pk, publish_at=later))
    news_move(actor=editor, item=item, move="submit")
    news_move(actor=coordinator, item=item, move="schedule")
    assert Notification.objects.get(user=editor).title.startswith("Новость одобрена")
    assert not SupportRecord.objects.exists()  # not public yet
    [released] = news_release_due(now=later)
    assert released.pk == item.pk
    assert SupportRecord.objects.get().organization == organization
    assert Notification.objects.filter(user=editor).count() == 2


def test_unpublish_hides_it_and_redraft_lets_the_editor_change_it(coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization)
    assert "unpublish" in [move.name for move in permissions.news_moves(editor, item)]
    news_move(actor=editor, item=item, move="unpublish")
    assert item.status == NewsItem.Status.ARCHIVED
    with pytest.raises(Http404):
        permissions.get_news_for_user(AnonymousUser(), item.pk)
    with pytest.raises(PermissionDenied):
        news_update(actor=editor, item=item, fields={"title": "Исправлено"})
    news_move(actor=editor, item=item, move="redraft")
    news_update(actor=editor, item=item, fields={"title": "Исправлено"})
    assert NewsItem.objects.get().title == "Исправлено"


def test_a_move_the_table_refuses_is_a_conflict(coordinator):
    item = NewsItemFactory(status=NewsItem.Status.PUBLISHED)
    with pytest.raises(InvalidTransition):
        news_move(actor=coordinator, item=item, move="return", reason="Поздно")


def test_every_state_is_reached_and_left():
    targets = {move.target for move in NEWS_WORKFLOW.moves}
    assert set(NewsItem.Status.values) - targets == set()
    sources = set().union(*(move.sources for move in NEWS_WORKFLOW.moves))
    assert set(NewsItem.Status.values) - sources == set()


def test_tags_are_words_once_each_and_limited(coordinator):
    item = news_create(
        author=coordinator, fields=fields(tags=["Гранты", " гранты ", "Волонтёрам", ""])
    )
    assert sorted(item.tags.values_list("name", flat=True)) == ["Волонтёрам", "Гранты"]
    other = news_create(author=coordinator, fields=fields(tags=["гранты"]))
    assert list(other.tags.values_list("name", flat=True)) == ["Гранты"]  # the same tag
    for bad in ([f"метка{n}" for n in range(9)], ["!!!"], ["я" * 41]):
        with pytest.raises(DomainError) as refused:
            news_create(author=coordinator, fields=fields(tags=bad))
        assert "tags" in refused.value.field_errors


def test_a_text_over_its_limit_is_refused_naming_it(coordinator):
    for name, limit in (("title", 200), ("lead", 400), ("body", 20_000)):
        with pytest.raises(DomainError) as refused:
            news_create(author=coordinator, fields=fields(**{name: "а" * (limit + 1)}))
        assert name in refused.value.field_errors
    assert not NewsItem.objects.exists()


def test_a_blank_title_is_refused_at_the_field(coordinator):
    with pytest.raises(ValidationError) as refused:
        news_create(author=coordinator, fields=fields(title="   "))
    assert "title" in refused.value.message_dict


def test_a_cover_needs_its_description_and_must_be_a_picture(coordinator):
    with pytest.raises(DomainError) as refused:
        news_create(author=coordinator, fields=fields(), cover=png())
    assert "cover_alt" in refused.value.field_errors
    with pytest.raises(ValidationError) as refused:
        news_create(
            author=coordinator,
            fields=fields(cover_alt="Дети сажают деревья"),
            cover=png(name="x.png").__class__("x.png", b"not a picture", "image/png"),
        )
    assert "cover" in refused.value.message_dict
    item = news_create(
        author=coordinator, fields=fields(cover_alt="Дети сажают деревья"), cover=png()
    )
    assert item.cover.name.startswith("news/")
    news_update(actor=coordinator, item=item, fields={}, remove_cover=True)
    assert not NewsItem.objects.get().cover


def test_the_subject_is_an_event_or_competition_the_author_sees(coordinator):
    from dobry.events.models import Event
    from dobry.events.tests.factories import EventFactory

    event = EventFactory(status=Event.Status.PUBLISHED)
    item = news_create(author=coordinator, fields=fields(subject=Reference("event", event.pk)))
    assert item.subject == Reference("event", event.pk)
    editor = editor_of()
    draft = EventFactory(status=Event.Status.DRAFT)
    organization_pk = Membership.objects.get(user=editor).organization_id
    for subject, message in (
        (Reference("event", draft.pk), "не найден"),
        (Reference("event", 10**9), "не найден"),
        (Reference("organization", organization_pk), "мероприятии, конкурсе или сборе"),
        (Reference("nothing", 1), "мероприятии, конкурсе или сборе"),
    ):
        with pytest.raises(DomainError, match=message) as refused:
            news_create(author=editor, fields=fields(organization=organization_pk, subject=subject))
        assert "subject" in refused.value.field_errors


def test_an_erased_author_leaves_the_item_without_a_name(coordinator):
    from dobry.accounts import personal_data

    item = news_create(author=coordinator, fields=fields())
    news_move(actor=coordinator, item=item, move="publish")
    draft = news_create(author=coordinator, fields=fields(title="Недописанная"))
    exported = personal_data.export_sections(coordinator)
    assert exported["communications"]["news_written"][0]["title"] == item.title
    personal_data.erase_sections(coordinator)
    item.refresh_from_db()
    assert item.author is None
    # a draft nobody has read is the author's own text: it goes (communications.privacy)
    assert not NewsItem.objects.filter(pk=draft.pk).exists()
