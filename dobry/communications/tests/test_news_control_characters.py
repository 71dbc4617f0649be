"""A control character in a news item (issue 11): refused where it is typed — the edit
form's field and the API's 422 — and, in a row stored before that, dropped from the RSS and
Atom feeds, which stay valid XML for every reader."""

import json

import feedparser
import pytest

from dobry.communications.models import NewsItem
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import NewsItemFactory, editor_of, organization_item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/news/rss/", "/news/atom/"])
def test_a_stored_control_character_is_dropped_and_the_feed_stays_valid(client, url):
    NewsItemFactory(title="Ярмарка\x0bв субботу", lead="Приходите\x08 все\x1f", tags=["зи\x0cма"])
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == "Ярмаркав субботу"
    assert "Приходите все" in entry.summary
    assert [tag.term for tag in entry.tags] == ["зима"]


@pytest.mark.parametrize(
    ("character", "code"), [("\x0b", "U+000B"), ("\x08", "U+0008"), ("\u202e", "U+202E")]
)
def test_the_edit_form_refuses_a_control_character_at_the_field(login_as, character, code):
    organization = OrganizationFactory()
    item = organization_item(organization, status=NewsItem.Status.DRAFT, title="Старое")
    client = login_as(editor_of(organization))
    response = client.post(
        f"/news/{item.pk}/edit/",
        {
            "kind": "news",
            "title": f"Но{character}вое",
            "lead": "x",
            "organization": organization.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        f"Текст содержит недопустимый невидимый символ {code}: удалите его."
    ]
    item.refresh_from_db()
    assert item.title == "Старое"


@pytest.mark.parametrize(("escaped", "code"), [("\\u000b", "U+000B"), ("\\b", "U+0008")])
def test_the_api_refuses_a_control_character_with_a_422_naming_the_field(
    login_as, coordinator, escaped, code
):
    body = '{"title": "x", "lead": "Ко' + escaped + 'ротко"}'
    response = login_as(coordinator).post("/api/v1/news", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {
        "lead": [f"недопустимый невидимый управляющий символ {code}: удалите его."]
    }
    assert not NewsItem.objects.exists()


def test_the_api_refuses_a_bidi_override_sent_unescaped(login_as, coordinator):
    body = json.dumps({"title": "Счёт \u202eexe.pdf", "lead": "x"}, ensure_ascii=False)
    response = login_as(coordinator).post(
        "/api/v1/news", body.encode(), content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["title"]
