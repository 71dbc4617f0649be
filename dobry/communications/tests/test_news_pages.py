"""The news pages by role: the public feed and an item's page for everyone (published
only), the form, the buttons and the desk for the item's side; the organisation's page and
the home page show the latest items."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.communications.models import NewsItem
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import NewsItemFactory, editor_of, organization_item, png

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


# --- the public feed ----------------------------------------------------------------------


def test_the_feed_shows_published_items_newest_first_to_anyone(client):
    now = timezone.now()
    older = NewsItemFactory(title="Старая", published_at=now - timedelta(days=2))
    newer = NewsItemFactory(title="Новая", published_at=now - timedelta(hours=1))
    for status in set(NewsItem.Status.values) - {NewsItem.Status.PUBLISHED}:
        NewsItemFactory(title=f"Скрытая {status}", status=status)
    response = client.get("/news/")
    assert response.status_code == 200
    assert titles(response) == [newer.title, older.title]
    assert "Скрытая" not in response.content.decode()


def test_the_feed_filters_by_words_tag_organisation_and_kind(client):
    organization = OrganizationFactory(short_name="Тёплый дом")
    NewsItemFactory(title="Субботник в парке", tags=["экология"])
    organization_item(organization, title="Ярмарка", kind=NewsItem.Kind.ANNOUNCEMENT)
    NewsItemFactory(title="Итоги конкурса", lead="Гранты получили 12 проектов")
    assert titles(client.get("/news/", {"q": "гранты"})) == ["Итоги конкурса"]
    assert titles(client.get("/news/", {"tag": "экология"})) == ["Субботник в парке"]
    by_organization = client.get("/news/", {"organization": organization.pk})
    assert titles(by_organization) == ["Ярмарка"]
    assert "Новости: Тёплый дом" in by_organization.content.decode()
    assert f"/news/organizations/{organization.pk}/rss/" in by_organization.content.decode()
    assert titles(client.get("/news/", {"kind": "announcement"})) == ["Ярмарка"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("tag", "нет-такой"), ("organization", "999999"), ("kind", "gossip"), ("organization", "٣")],
)
def test_a_filter_value_the_feed_does_not_offer_is_a_400_naming_it(client, name, value):
    NewsItemFactory(tags=["экология"])
    response = client.get("/news/", {name: value})
    assert response.status_code == 400
    assert name in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_the_feed_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    organization = OrganizationFactory()
    for number in range(count):
        organization_item(
            organization, tags=[f"метка{number % 3}"], cover="news/x.png", cover_alt="x"
        )
    with django_assert_max_num_queries(7):
        response = client.get("/news/", {"tag": "метка0", "organization": organization.pk})
    assert response.status_code == 200


# --- an item's page -----------------------------------------------------------------------


def test_an_items_page_carries_its_open_graph_card(client, settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    item = NewsItemFactory(title="Фестиваль «Добрый Железногорск»", lead="Приглашаем всех.")
    item.cover.save("cover.png", png(), save=False)
    item.cover_alt = "Волонтёры с флагами"
    item.save()
    html = client.get(item.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Фестиваль «Добрый Железногорск»">' in html
    assert '<meta property="og:description" content="Приглашаем всех.">' in html
    assert f'<meta property="og:url" content="https://dobry.example.org/news/{item.pk}/">' in html
    assert f'<meta property="og:image" content="https://dobry.example.org{item.cover.url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'alt="Волонтёры с флагами"' in html


def test_an_unpublished_item_is_not_found_but_by_its_side(client, outsider, coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    url = item.get_absolute_url()
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    outside = Client()
    outside.force_login(outsider)
    assert outside.get(url).status_code == 404
    for someone in (editor, coordinator):
        inside = Client()
        inside.force_login(someone)
        assert inside.get(url).status_code == 200


def test_the_item_page_offers_exactly_the_allowed_buttons(login_as, coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    html = login_as(editor).get(item.get_absolute_url()).content.decode()
    assert 'value="submit"' in html
    assert 'value="publish"' not in html
    item.status = NewsItem.Status.MODERATION
    item.save()
    html = login_as(coordinator).get(item.get_absolute_url()).content.decode()
    assert 'value="publish"' in html
    assert 'value="return"' in html
    assert 'value="submit"' not in html


# --- writing ------------------------------------------------------------------------------


def test_writing_needs_a_newsroom(client, login_as, outsider):
    assert client.get("/news/new/").status_code == 302  # to the login page
    assert login_as(outsider).get("/news/new/").status_code == 403
    member = editor_of(role=Membership.Role.MEMBER)
    assert login_as(member).get("/news/new/").status_code == 403


def test_an_editor_writes_a_draft_for_their_organisation(login_as):
    organization = OrganizationFactory(short_name="Тёплый дом")
    editor = editor_of(organization)
    page = login_as(editor)
    form = page.get("/news/new/")
    assert form.status_code == 200
    assert "Тёплый дом" in form.content.decode()
    response = page.post(
        "/news/new/",
        {
            "kind": "news",
            "title": "Собираем тёплые вещи",
            "lead": "Пункт сбора открыт до пятницы.",
            "body": "<p>Адрес: <strong>ул. Ленина, 1</strong></p><script>x</script>",
            "organization": organization.pk,
            "tags": "помощь, зима",
            "cover": png(),
            "cover_alt": "Коробки с одеждой",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert item.status == NewsItem.Status.DRAFT
    assert item.publisher == NewsItem.Publisher.ORGANIZATION
    assert item.body == "<p>Адрес: <strong>ул. Ленина, 1</strong></p>"
    assert sorted(item.tags.values_list("name", flat=True)) == ["зима", "помощь"]
    assert item.cover


def test_a_refusal_shows_at_its_field_and_keeps_what_was_typed(login_as):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    response = login_as(editor).post(
        "/news/new/",
        {
            "kind": "news",
            "title": "Новость",
            "lead": "Коротко",
            "organization": organization.pk,
            "cover": png(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cover_alt"]
    assert 'value="Новость"' in response.content.decode()
    assert not NewsItem.objects.exists()
    too_long = login_as(editor).post(
        "/news/new/",
        {"kind": "news", "title": "я" * 201, "lead": "x", "organization": organization.pk},
    )
    assert too_long.context["form"].errors["title"]


def test_an_outsider_cannot_open_the_edit_form_of_another_organisations_item(login_as, outsider):
    organization = OrganizationFactory()
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    assert login_as(outsider).get(f"/news/{item.pk}/edit/").status_code == 404
    published = organization_item(organization)
    assert login_as(outsider).get(f"/news/{published.pk}/edit/").status_code == 403
    assert (
        login_as(editor_of()).post(f"/news/{published.pk}/edit/", {"title": "x"}).status_code == 403
    )
    assert login_as(editor_of(organization)).get(f"/news/{item.pk}/edit/").status_code == 200


def test_the_buttons_move_the_item(login_as, coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    url = f"/news/{item.pk}/move/"
    assert login_as(editor).post(url).status_code == 400  # no button pressed
    assert login_as(editor).post(url, {"decision": "fly"}).status_code == 400
    response = login_as(editor).post(url, {"decision": "publish"}, follow=True)
    assert "после модерации" in response.content.decode()
    login_as(editor).post(url, {"decision": "submit"})
    item.refresh_from_db()
    assert item.status == NewsItem.Status.MODERATION
    refused = login_as(coordinator).post(url, {"decision": "return"}, follow=True)
    assert "Напишите автору, что исправить" in refused.content.decode()
    login_as(coordinator).post(url, {"decision": "return", "reason": "Нужна дата"})
    item.refresh_from_db()
    assert item.status == NewsItem.Status.RETURNED
    page = login_as(editor).get(item.get_absolute_url()).content.decode()
    assert "Нужна дата" in page


def test_an_outsider_pressing_a_button_finds_nothing(login_as, outsider, client):
    item = organization_item(OrganizationFactory(), status=NewsItem.Status.MODERATION)
    assert (
        login_as(outsider).post(f"/news/{item.pk}/move/", {"decision": "publish"}).status_code
        == 404
    )
    assert client.post(f"/news/{item.pk}/move/", {"decision": "publish"}).status_code == 302
    assert NewsItem.objects.get().status == NewsItem.Status.MODERATION


# --- the desk -----------------------------------------------------------------------------


def test_the_desk_lists_the_items_of_ones_side(client, login_as, outsider, coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    mine = organization_item(organization, title="Наша", status=NewsItem.Status.DRAFT)
    organization_item(OrganizationFactory(), title="Чужая", status=NewsItem.Status.MODERATION)
    NewsItemFactory(title="Городская", status=NewsItem.Status.DRAFT)
    assert client.get("/news/desk/").status_code == 302
    assert login_as(outsider).get("/news/desk/").status_code == 403
    assert titles(login_as(editor).get("/news/desk/")) == [mine.title]
    queue = login_as(coordinator).get("/news/desk/", {"status": "moderation"})
    assert titles(queue) == ["Чужая"]
    assert login_as(coordinator).get("/news/desk/", {"status": "lost"}).status_code == 400


@pytest.mark.parametrize("count", [1, 25])
def test_the_desk_has_a_fixed_query_count(
    login_as, coordinator, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    for _ in range(count):
        organization_item(organization, status=NewsItem.Status.MODERATION, tags=["a"])
    page = login_as(coordinator)
    with django_assert_max_num_queries(10):
        assert page.get("/news/desk/").status_code == 200


# --- where else the news shows ------------------------------------------------------------


def test_the_organisations_page_shows_its_latest_news_and_links(client, login_as):
    organization = OrganizationFactory()
    for number in range(4):
        organization_item(organization, title=f"Новость {number}")
    NewsItemFactory(title="Чужая новость")
    html = client.get(organization.get_absolute_url()).content.decode()
    assert html.count('class="org-card news-card"') == 3
    assert "Чужая новость" not in html
    assert f"/news/?organization={organization.pk}" in html
    assert f"/news/organizations/{organization.pk}/rss/" in html
    assert "Написать новость" not in html
    assert (
        "Написать новость"
        in login_as(editor_of(organization)).get(organization.get_absolute_url()).content.decode()
    )


def test_an_organisation_without_news_shows_no_block_to_visitors(client):
    organization = OrganizationFactory()
    assert (
        'id="org-news-heading"' not in client.get(organization.get_absolute_url()).content.decode()
    )


def test_the_home_page_shows_the_latest_news(client):
    for number in range(5):
        NewsItemFactory(title=f"Свежая {number}")
    html = client.get("/").content.decode()
    assert html.count('class="org-card news-card"') == 3
    assert "Новости города" in html
