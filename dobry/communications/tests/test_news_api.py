"""News through the API: the same permission functions, selectors and services as the
pages — the public feed and an item for anyone, writing and the moves for the item's side,
refusals as the pages refuse (404 hidden, 403 not allowed, 422 naming the field), the
lists' query budgets."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.api.tests.error_shape import shape_problems
from dobry.communications.models import NewsItem
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import NewsItemFactory, editor_of, organization_item, png

pytestmark = pytest.mark.django_db
API = "/api/v1/news"


def send(client: Client, method: str, path: str, body: object = None):
    if method == "get":
        return client.get(path, body or {})
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def refused(response, status: int, field: str | None = None):
    assert response.status_code == status, response.content
    assert shape_problems(response) == []
    if field is not None:
        assert field in response.json()["errors"], response.json()
    return response.json()


def test_the_public_feed_lists_what_the_page_lists(client):
    now = timezone.now()
    organization = OrganizationFactory(short_name="Тёплый дом")
    event = EventFactory(status=Event.Status.PUBLISHED, title="Субботник")
    NewsItemFactory(title="Старая", published_at=now - timedelta(days=3), tags=["экология"])
    newest = organization_item(
        organization, title="Ярмарка", published_at=now, subject_kind="event", subject_pk=event.pk
    )
    NewsItemFactory(title="Черновик", status=NewsItem.Status.DRAFT)
    body = client.get(API).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["title"] == "Ярмарка"
    assert first["organization"] == {
        "kind": "organization",
        "id": organization.pk,
        "title": "Тёплый дом",
        "url": organization.get_absolute_url(),
    }
    assert first["subject"]["title"] == "Субботник"
    assert first["url"] == newest.get_absolute_url()
    page = client.get("/news/", {"tag": "экология"}).context["page"]
    api = client.get(API, {"tag": "экология"}).json()
    assert [item["title"] for item in api["items"]] == [item.title for item in page.object_list]
    assert [
        i["title"] for i in client.get(API, {"organization": organization.pk}).json()["items"]
    ] == ["Ярмарка"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("tag", "нет"), ("organization", 987654321), ("kind", "gossip"), ("q", "я" * 201)],
)
def test_a_filter_the_feed_does_not_offer_is_a_422_naming_it(client, name, value):
    response = client.get(API, {name: value})
    errors = refused(response, 422)["errors"]
    assert name in errors or f"query.{name}" in errors


@pytest.mark.parametrize("count", [1, 25])
def test_the_feed_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    organization = OrganizationFactory()
    event = EventFactory(status=Event.Status.PUBLISHED)
    for number in range(count):
        organization_item(
            organization, tags=[f"t{number % 3}"], subject_kind="event", subject_pk=event.pk
        )
    with django_assert_max_num_queries(5):
        assert client.get(API).status_code == 200


def test_an_item_is_hidden_from_anyone_but_its_side_until_published(client, login_as, outsider):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    item = organization_item(organization, status=NewsItem.Status.DRAFT)
    refused(client.get(f"{API}/{item.pk}"), 404)
    refused(login_as(outsider).get(f"{API}/{item.pk}"), 404)
    mine = login_as(editor).get(f"{API}/{item.pk}").json()
    assert mine["moves"] == ["submit"]
    assert mine["can_edit"] is True


def test_an_editor_writes_submits_and_a_coordinator_publishes(login_as, coordinator):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    author = login_as(editor)
    created = send(
        author,
        "post",
        API,
        {
            "title": "Собираем книги",
            "lead": "Для сельских библиотек.",
            "body": '<p onclick="x()">Приносите</p><script>alert(1)</script>',
            "organization": organization.pk,
            "tags": ["книги", "Книги"],
        },
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["status"] == "draft"
    assert item["publisher"] == "organization"
    assert item["body"] == "<p>Приносите</p>"
    assert item["tags"] == ["книги"]
    pk = item["id"]
    refused(send(author, "post", f"{API}/{pk}/publish"), 403)
    assert send(author, "post", f"{API}/{pk}/submit").json()["status"] == "moderation"
    refused(send(author, "patch", f"{API}/{pk}", {"title": "Поздно"}), 403)
    moderator = login_as(coordinator)
    refused(send(moderator, "post", f"{API}/{pk}/return", {}), 422, "reason")
    returned = send(moderator, "post", f"{API}/{pk}/return", {"reason": "Уточните адрес"})
    assert returned.json()["status"] == "returned"
    fixed = send(author, "patch", f"{API}/{pk}", {"lead": "Адрес: Ленина, 1."})
    assert fixed.json()["return_reason"] == "Уточните адрес"
    assert send(author, "post", f"{API}/{pk}/submit").json()["status"] == "moderation"
    published = send(moderator, "post", f"{API}/{pk}/publish").json()
    assert published["status"] == "published"
    assert published["published_at"]


def test_an_outsider_cannot_change_another_organisations_item(login_as, outsider):
    organization = OrganizationFactory()
    draft = organization_item(organization, status=NewsItem.Status.DRAFT)
    live = organization_item(organization)
    theirs = {"title": "x", "lead": "y", "organization": organization.pk}
    for someone in (outsider, editor_of()):
        client = login_as(someone)
        refused(send(client, "patch", f"{API}/{draft.pk}", {"title": "x"}), 404)
        refused(send(client, "patch", f"{API}/{live.pk}", {"title": "x"}), 403)
        refused(send(client, "post", f"{API}/{live.pk}/unpublish"), 403)
        if someone == outsider:  # writes no news at all
            refused(send(client, "post", API, theirs), 403)
        else:  # writes for their own organisation only
            refused(send(client, "post", API, theirs), 422, "organization")
    assert NewsItem.objects.filter(title="x").count() == 0


def test_writing_needs_credentials(client):
    refused(send(client, "post", API, {"title": "x", "lead": "y"}), 401)
    refused(client.get(f"{API}/desk"), 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lead": "y"}, "title"),
        ({"title": "я" * 201, "lead": "y"}, "title"),
        ({"title": "x", "lead": "y", "body": "я" * 20_001}, "body"),
        ({"title": "x", "lead": "y", "kind": "rumour"}, "kind"),
        ({"title": "x", "lead": "y", "tags": ["я" * 41]}, "tags"),
        ({"title": "x", "lead": "y", "tags": [f"t{n}" for n in range(9)]}, "tags"),
        ({"title": "x", "lead": "y", "publish_at": "9999-01-01T10:00"}, "publish_at"),
        ({"title": "x", "lead": "y", "organization": 987654321}, "organization"),
        ({"title": "x", "lead": "y", "subject": {"kind": "nothing", "id": 1}}, "subject"),
        ({"title": "x", "lead": "y", "subject": {"kind": "event", "id": 987654321}}, "subject"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(login_as, coordinator, body, field):
    response = send(login_as(coordinator), "post", API, body)
    errors = refused(response, 422)["errors"]
    assert any(key == field or key.startswith(f"{field}.") for key in errors), errors
    assert not NewsItem.objects.exists()


def test_a_patch_cannot_null_a_required_field(login_as, coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    refused(send(login_as(coordinator), "patch", f"{API}/{item.pk}", {"title": None}), 422, "title")


def test_schedule_then_the_job_publishes(login_as, coordinator):
    client = login_as(coordinator)
    later = (timezone.now() + timedelta(days=1)).isoformat()
    pk = send(client, "post", API, {"title": "Анонс", "lead": "Скоро", "publish_at": later}).json()[
        "id"
    ]
    refused(send(client, "post", f"{API}/{pk}/publish"), 409)  # the time, not who
    assert send(client, "post", f"{API}/{pk}/schedule").json()["status"] == "scheduled"
    assert send(client, "post", f"{API}/{pk}/unpublish").json()["status"] == "archived"
    assert send(client, "post", f"{API}/{pk}/redraft").json()["status"] == "draft"
    refused(send(client, "post", f"{API}/{pk}/redraft"), 409)


def test_a_cover_is_uploaded_with_its_description(login_as, coordinator):
    client = login_as(coordinator)
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    response = client.post(
        f"{API}/{item.pk}/cover", {"cover": png(), "cover_alt": "Дети с саженцами"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["cover_url"].startswith("http")
    assert body["cover_alt"] == "Дети с саженцами"
    not_a_picture = png().__class__("x.png", b"text", "image/png")
    refused(
        client.post(f"{API}/{item.pk}/cover", {"cover": not_a_picture, "cover_alt": "x"}),
        422,
        "cover",
    )
    refused(client.post(f"{API}/{item.pk}/cover", {"cover": png()}), 422)
    assert client.delete(f"{API}/{item.pk}/cover").json()["cover_url"] is None


def test_the_desk_lists_ones_side(login_as, coordinator, django_assert_max_num_queries):
    organization = OrganizationFactory()
    editor = editor_of(organization)
    organization_item(organization, title="Наша", status=NewsItem.Status.DRAFT)
    organization_item(OrganizationFactory(), title="Чужая", status=NewsItem.Status.MODERATION)
    assert [i["title"] for i in login_as(editor).get(f"{API}/desk").json()["items"]] == ["Наша"]
    queue = login_as(coordinator).get(f"{API}/desk", {"status": "moderation"}).json()
    assert [i["title"] for i in queue["items"]] == ["Чужая"]
