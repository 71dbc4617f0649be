"""Changing a news item after it was written: the edit form keeps what the item holds,
saves only what the author may change, refuses what no field allows, and the demo news
is written once."""

import pytest
from django.core.management import call_command

from dobry.communications.models import NewsItem
from dobry.communications.news import demo, services
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import EventFactory
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import NewsItemFactory, editor_of, organization_item, png

pytestmark = pytest.mark.django_db


def refused_at(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return sorted(error.value.field_errors)


def test_the_edit_form_shows_the_item_as_it_is(login_as):
    organization = OrganizationFactory(short_name="Тёплый дом")
    item = organization_item(
        organization, status=NewsItem.Status.DRAFT, title="Ярмарка", tags=["зима", "помощь"]
    )
    html = login_as(editor_of(organization)).get(f"/news/{item.pk}/edit/").content.decode()
    assert 'value="Ярмарка"' in html
    assert "зима, помощь" in html or "помощь, зима" in html
    assert f'<option value="{organization.pk}" selected>' in html


def test_an_editor_saves_changes_of_a_draft_and_the_audit_names_the_fields(login_as):
    organization = OrganizationFactory()
    item = organization_item(organization, status=NewsItem.Status.DRAFT, title="Старое")
    response = login_as(editor_of(organization)).post(
        f"/news/{item.pk}/edit/",
        {
            "kind": "announcement",
            "title": "Новое",
            "lead": "Коротко",
            "body": "Первый абзац.\n\nВторой: https://example.org",
            "organization": organization.pk,
            "tags": "Гранты, гранты, волонтёрам",
        },
        follow=True,
    )
    assert "Изменения сохранены." in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.kind) == ("Новое", NewsItem.Kind.ANNOUNCEMENT)
    assert item.body.count("<p>") == 2
    assert 'href="https://example.org"' in item.body
    assert sorted(item.tags.values_list("name", flat=True)) == ["Гранты", "волонтёрам"]
    entry = AuditEntry.objects.get(action="news.update")
    assert "title" in entry.data["fields"]


def test_a_refused_change_is_shown_at_the_field_and_nothing_is_saved(login_as):
    organization = OrganizationFactory()
    item = organization_item(organization, status=NewsItem.Status.DRAFT, title="Старое")
    response = login_as(editor_of(organization)).post(
        f"/news/{item.pk}/edit/",
        {
            "kind": "news",
            "title": "Новое",
            "lead": "x",
            "organization": organization.pk,
            "cover": png(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cover_alt"]
    item.refresh_from_db()
    assert item.title == "Старое"


def test_removing_the_cover_keeps_the_item(login_as, coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    services.news_update(actor=coordinator, item=item, fields={"cover_alt": "Лес"}, cover=png())
    item.refresh_from_db()
    assert item.cover
    login_as(coordinator).post(
        f"/news/{item.pk}/edit/",
        {"kind": "news", "title": item.title, "lead": item.lead, "remove_cover": "on"},
    )
    item.refresh_from_db()
    assert not item.cover


def test_a_field_the_service_does_not_know_is_refused(coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    with pytest.raises(DomainError) as refused:
        services.news_update(actor=coordinator, item=item, fields={"status": "published"})
    assert "status" in refused.value.message
    item.refresh_from_db()
    assert item.status == NewsItem.Status.DRAFT


@pytest.mark.parametrize("organization", ["12", 1.5, True])
def test_an_organisation_that_is_not_a_number_is_refused(coordinator, organization):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    with pytest.raises(DomainError) as refused:
        services.news_update(actor=coordinator, item=item, fields={"organization": organization})
    assert refused_at(refused) == ["organization"]


def test_tags_must_be_a_list(coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    with pytest.raises(DomainError) as refused:
        services.news_update(actor=coordinator, item=item, fields={"tags": "одна, две"})
    assert refused_at(refused) == ["tags"]


def test_an_item_is_about_a_known_kind_of_object_only(coordinator):
    from dobry.core.references import Reference

    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    with pytest.raises(DomainError) as refused:
        services.news_update(
            actor=coordinator, item=item, fields={"subject": Reference("help_request", 1)}
        )
    assert refused_at(refused) == ["subject"]
    event = EventFactory()
    services.news_update(
        actor=coordinator, item=item, fields={"subject": Reference("event", event.pk)}
    )
    item.refresh_from_db()
    assert item.subject == Reference("event", event.pk)


def test_the_form_asks_for_both_halves_of_what_an_item_is_about(login_as, coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    base = {"kind": "news", "title": item.title, "lead": item.lead}
    page = login_as(coordinator)
    no_number = page.post(f"/news/{item.pk}/edit/", {**base, "subject_kind": "event"})
    assert no_number.context["form"].errors["subject_id"]
    no_kind = page.post(f"/news/{item.pk}/edit/", {**base, "subject_id": "3"})
    assert no_kind.context["form"].errors["subject_kind"]


def test_the_demo_news_is_written_once_with_its_moderation_states():
    call_command("seed_passport", stdout=None)
    titles = list(NewsItem.objects.values_list("title", flat=True))
    assert len(titles) == len(demo.NEWS)
    assert {item.status for item in NewsItem.objects.all()} >= {
        NewsItem.Status.PUBLISHED,
        NewsItem.Status.MODERATION,
        NewsItem.Status.SCHEDULED,
    }
    demo.seed()
    assert NewsItem.objects.count() == len(titles)
