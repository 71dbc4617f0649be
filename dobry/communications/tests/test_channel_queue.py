"""The moderated queue of posts to the city's channels: publishing proposes an item to the
configured channels; coordinators approve, reject and retry on the page and by the API;
everyone else is refused; bad input is a 4xx naming it; the list keeps its query budget;
the demo has one post sent and one awaiting approval."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import bearer
from dobry.communications.channels import demo
from dobry.communications.models import ChannelPost, NewsItem
from dobry.communications.news.services import news_create, news_move
from dobry.communications.tests.channel_factories import proposed, published

pytestmark = pytest.mark.django_db
PAGE = "/news/channels/"
API = "/api/v1/channel-posts"
_P = ChannelPost.Status


def move_url(post) -> str:
    return f"/news/channels/{post.pk}/move/"


def test_publishing_proposes_the_item_to_each_configured_channel(coordinator, fake_apis):
    item = news_create(author=coordinator, fields={"title": "Ярмарка", "lead": "В субботу."})
    news_move(actor=coordinator, item=item, move="publish")
    posts = ChannelPost.objects.filter(news=item)
    assert sorted(posts.values_list("channel", "status")) == [
        ("telegram", _P.PROPOSED),
        ("vk", _P.PROPOSED),
    ]
    assert fake_apis.requests == []  # nothing goes before a coordinator approves


def test_publishing_again_keeps_one_post_per_channel(coordinator, fake_apis):
    item = news_create(author=coordinator, fields={"title": "Ярмарка", "lead": "В субботу."})
    news_move(actor=coordinator, item=item, move="publish")
    news_move(actor=coordinator, item=item, move="unpublish")
    news_move(actor=coordinator, item=item, move="redraft")
    news_move(actor=coordinator, item=item, move="publish")
    assert ChannelPost.objects.filter(news=item).count() == 2


def test_with_no_channel_configured_nothing_is_proposed_and_the_page_says_so(login_as, coordinator):
    item = news_create(author=coordinator, fields={"title": "Ярмарка", "lead": "В субботу."})
    news_move(actor=coordinator, item=item, move="publish")
    assert not ChannelPost.objects.exists()
    page = login_as(coordinator).get(PAGE).content.decode()
    assert page.count("не подключено") == 2


def test_the_page_needs_login(client):
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize("who", ["resident", "official"])
def test_the_page_is_for_coordinators_only(login_as, request, who):
    post = proposed()
    client = login_as(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.post(move_url(post), {"move": "approve"}).status_code == 404
    post.refresh_from_db()
    assert post.status == _P.PROPOSED


def test_a_coordinator_sees_the_preview_and_approves(login_as, coordinator, fake_apis):
    post = proposed(channel="vk")
    client = login_as(coordinator)
    page = client.get(PAGE).content.decode()
    assert "Субботник в парке" in page
    assert f"/news/{post.news_id}/" in page  # the preview's link
    assert "Одобрить публикацию" in page
    response = client.post(move_url(post), {"move": "approve"}, follow=True)
    assert "Публикация одобрена" in response.content.decode()
    post.refresh_from_db()
    assert (post.status, post.approved_by) == (_P.SENT, coordinator)
    assert "Что опубликовано" in client.get(PAGE).content.decode()


def test_an_admin_may_reject(login_as, admin_user):
    post = proposed()
    login_as(admin_user).post(move_url(post), {"move": "reject"})
    post.refresh_from_db()
    assert post.status == _P.REJECTED


@pytest.mark.parametrize("move", ["", "explode", "send"])
def test_a_bad_or_machine_move_changes_nothing(login_as, coordinator, move):
    post = proposed()
    response = login_as(coordinator).post(move_url(post), {"move": move}, follow=True)
    assert response.status_code in (200, 400)
    post.refresh_from_db()
    assert post.status == _P.PROPOSED


def test_a_move_from_the_wrong_state_says_why(login_as, coordinator):
    post = proposed(status=_P.SENT)
    response = login_as(coordinator).post(move_url(post), {"move": "approve"}, follow=True)
    assert "Нельзя перейти" in response.content.decode()
    post.refresh_from_db()
    assert post.status == _P.SENT


@pytest.mark.parametrize("query", ["status=nope", "channel=facebook"])
def test_bad_filters_are_a_400(login_as, coordinator, query):
    assert login_as(coordinator).get(f"{PAGE}?{query}").status_code == 400


def test_filters_pick_the_rows(login_as, coordinator):
    proposed(published("Первая"), channel="vk")
    proposed(published("Вторая"), channel="telegram", status=_P.FAILED)
    page = login_as(coordinator).get(f"{PAGE}?status=failed").content.decode()
    assert "Вторая" in page
    assert "Первая" not in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_keeps_its_query_count(
    login_as, coordinator, count, django_assert_max_num_queries
):
    for index in range(count):
        proposed(published(f"Новость {index}"), channel="vk", approved_by=coordinator)
    client = login_as(coordinator)
    with django_assert_max_num_queries(9):
        assert client.get(PAGE).status_code == 200


# --- API ------------------------------------------------------------------------------------


def test_the_api_needs_a_coordinator(resident, official):
    post = proposed()
    assert Client().get(API).status_code == 401
    assert bearer(resident).get(API).status_code == 403
    assert bearer(official).get(API).status_code == 403
    assert bearer(resident).get(f"{API}/{post.pk}").status_code == 404
    assert bearer(resident).post(f"{API}/{post.pk}/approve").status_code == 404


def test_the_api_lists_and_approves(coordinator, fake_apis):
    post = proposed(channel="telegram")
    client = bearer(coordinator)
    data = client.get(API).json()
    assert data["count"] == 1
    assert data["items"][0]["news_title"] == "Субботник в парке"
    assert data["items"][0]["status"] == "proposed"
    answer = client.post(f"{API}/{post.pk}/approve")
    assert answer.status_code == 200
    assert answer.json()["status"] == _P.APPROVED  # as it was moved; the worker posted after
    assert client.get(f"{API}/{post.pk}").json()["status"] == _P.SENT
    again = client.post(f"{API}/{post.pk}/approve")
    assert again.status_code == 409
    assert len(fake_apis.calls("sendMessage")) == 1


def test_the_api_rejects_and_brings_back(coordinator):
    post = proposed()
    client = bearer(coordinator)
    assert client.post(f"{API}/{post.pk}/reject").json()["status"] == _P.REJECTED
    assert client.post(f"{API}/{post.pk}/repropose").json()["status"] == _P.PROPOSED


def test_the_api_offers_no_machine_moves(coordinator):
    post = proposed()
    assert bearer(coordinator).post(f"{API}/{post.pk}/send").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"), [({"status": "nope"}, "status"), ({"channel": "fb"}, "channel")]
)
def test_the_api_refuses_unknown_filters_naming_them(coordinator, query, field):
    answer = bearer(coordinator).get(API, query)
    assert answer.status_code == 422
    assert field in str(answer.json())


@pytest.mark.parametrize("count", [1, 30])
def test_the_api_list_keeps_its_query_count(coordinator, count, django_assert_max_num_queries):
    for index in range(count):
        proposed(published(f"Новость {index}"))
    client = bearer(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get(API).status_code == 200


def test_the_demo_has_one_post_sent_and_one_awaiting_approval(db):
    published(demo.SENT_TITLE)
    published(demo.PROPOSED_TITLE)
    demo.seed()
    demo.seed()
    assert sorted(ChannelPost.objects.values_list("channel", "status")) == [
        ("telegram", _P.SENT),
        ("vk", _P.PROPOSED),
    ]
    assert ChannelPost.objects.get(status=_P.SENT).text.startswith(f"<b>{demo.SENT_TITLE}</b>")
    assert NewsItem.objects.count() == 2
