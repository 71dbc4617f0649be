"""The queue of posts with events in it, as coordinators use it: page and API list both
kinds side by side at a fixed query count, filter by channel, move an event's post like a
news item's (reject, bring back, approve; a failed one queued again and posted with the
same guid), and refuse anyone else an event's post as they refuse a news item's."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.communications.channels.rendering import ChannelItem
from dobry.communications.channels.services import channel_posts_propose_item
from dobry.communications.models import ChannelPost
from dobry.communications.tests.channel_factories import proposed, published
from dobry.communications.tests.fake_apis import Answer
from dobry.core.references import Reference

pytestmark = pytest.mark.django_db
_P = ChannelPost.Status
PAGE = "/news/channels/"
API = "/api/v1/channel-posts"


def event_post(pk: int = 5, channel: str = "vk", title: str = "Чистый берег") -> ChannelPost:
    item = ChannelItem(title=title, url=f"https://x.example/events/{pk}/", when="завтра, 10:00")
    [post] = channel_posts_propose_item(
        subject=Reference("event", pk), item=item, channels=[channel]
    )
    return post


def test_news_and_events_are_listed_side_by_side(login_as, coordinator):
    news = proposed(published("Ярмарка"))
    event = event_post(title="Чистый берег")
    html = login_as(coordinator).get(PAGE).content.decode()
    assert "Ярмарка" in html
    assert "Чистый берег" in html
    data = bearer(coordinator).get(API).json()
    assert {row["id"]: row["news_title"] for row in data["items"]} == {
        news.pk: "Ярмарка",
        event.pk: "Чистый берег",
    }


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_keeps_its_query_count_with_events(
    login_as, coordinator, count, django_assert_max_num_queries
):
    for index in range(count):
        event_post(pk=index + 1, title=f"Мероприятие {index}")
        proposed(published(f"Новость {index}"))
    client = login_as(coordinator)
    with django_assert_max_num_queries(9):
        assert client.get(PAGE).status_code == 200


def test_the_api_filters_by_channel(coordinator):
    vk = event_post(channel="vk")
    telegram = event_post(pk=6, channel="telegram")
    client = bearer(coordinator)
    assert [row["id"] for row in client.get(API, {"channel": "vk"}).json()["items"]] == [vk.pk]
    rows = client.get(API, {"channel": "telegram"}).json()["items"]
    assert [row["id"] for row in rows] == [telegram.pk]


def test_the_page_filters_by_channel_and_status(login_as, coordinator):
    event_post(channel="vk", title="ВК-мероприятие")
    event_post(pk=6, channel="telegram", title="ТГ-мероприятие")
    html = login_as(coordinator).get(PAGE, {"channel": "telegram"}).content.decode()
    assert "ТГ-мероприятие" in html
    assert "ВК-мероприятие" not in html
    html = login_as(coordinator).get(PAGE, {"status": "sent"}).content.decode()
    assert "мероприятие" not in html


def test_an_event_post_is_rejected_and_brought_back_by_the_api(coordinator):
    post = event_post()
    client = bearer(coordinator)
    assert client.post(f"{API}/{post.pk}/reject").json()["status"] == _P.REJECTED
    assert client.post(f"{API}/{post.pk}/repropose").json()["status"] == _P.PROPOSED
    post.refresh_from_db()
    assert (post.status, post.approved_by_id) == (_P.PROPOSED, None)


def test_a_failed_event_post_is_queued_again_and_posted_with_the_same_guid(
    login_as, coordinator, fake_apis
):
    post = event_post()
    fake_apis.answer("wall.post", Answer(200, {"error": {"error_code": 15, "error_msg": "no"}}))
    client = login_as(coordinator)
    client.post(f"/news/channels/{post.pk}/move/", {"move": "approve"})
    post.refresh_from_db()
    assert post.status == _P.FAILED
    response = client.post(f"/news/channels/{post.pk}/move/", {"move": "retry"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.attempts) == (_P.SENT, 1)
    guids = [call["guid"] for call in fake_apis.calls("wall.post")]
    assert guids == ["event:5:vk", "event:5:vk"]


def test_an_event_post_is_refused_to_anyone_but_a_coordinator(login_as, resident, official):
    post = event_post()
    assert Client().get(f"{API}/{post.pk}").status_code == 401
    for person in (resident, official):
        assert bearer(person).get(f"{API}/{post.pk}").status_code == 404
        assert bearer(person).post(f"{API}/{post.pk}/approve").status_code == 404
        answer = login_as(person).post(f"/news/channels/{post.pk}/move/", {"move": "approve"})
        assert answer.status_code in (403, 404)
    post.refresh_from_db()
    assert post.status == _P.PROPOSED
