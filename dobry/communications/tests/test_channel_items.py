"""Posts of objects other than news (an event) in the channels' queue: what the post
shows is kept when proposed (`ChannelItem`), rendered per channel with when and where,
proposed once per channel, posted by the same worker, listed on the same page and API."""

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.communications.channels.rendering import (
    ChannelItem,
    render_item_telegram,
    render_item_vk,
    render_post,
)
from dobry.communications.channels.services import (
    channel_post_move,
    channel_post_send,
    channel_posts_propose_item,
)
from dobry.communications.models import ChannelPost
from dobry.communications.telegram.bot import CAPTION_LIMIT
from dobry.core.references import Reference

pytestmark = pytest.mark.django_db
_P = ChannelPost.Status
EVENT = Reference("event", 77)
ITEM = ChannelItem(
    title="Акция «Чистый берег»",
    url="https://dobry.example.org/events/77/",
    lead="Убираем берег Енисея вместе.",
    when="5 декабря, 10:00–14:00",
    place="Набережная, г. Железногорск",
)


def test_vk_shows_title_when_where_lead_and_the_one_link():
    rendered = render_item_vk(ITEM)
    assert rendered.text == (
        "Акция «Чистый берег»\n\nКогда: 5 декабря, 10:00–14:00\nГде: Набережная, г. Железногорск"
        "\n\nУбираем берег Енисея вместе.\n\nhttps://dobry.example.org/events/77/"
    )
    assert rendered.link == ITEM.url


def test_telegram_escapes_and_links_to_the_page():
    item = ChannelItem(title="A <b>&</b>", url="https://x.example/e/1/?a=1&b=2", when="завтра")
    text = render_item_telegram(item).text
    assert text.startswith("<b>A &lt;b&gt;&amp;&lt;/b&gt;</b>\n\nКогда: завтра")
    assert '<a href="https://x.example/e/1/?a=1&amp;b=2">Подробнее на сайте</a>' in text
    assert "Где:" not in text


def test_a_long_lead_under_a_photo_is_cut_to_the_caption_and_keeps_the_link():
    item = ChannelItem(
        title="Фестиваль",
        url="https://x.example/e/2/",
        lead="слово " * 400,
        photo_url="https://x.example/media/covers/a.jpg",
    )
    rendered = render_item_telegram(item)
    assert len(rendered.text) <= CAPTION_LIMIT
    assert rendered.text.endswith('<a href="https://x.example/e/2/">Подробнее на сайте</a>')
    assert "…" in rendered.text
    assert rendered.photo_url == item.photo_url


def test_an_item_round_trips_through_json_and_ignores_unknown_keys():
    assert ChannelItem.from_json({**ITEM.as_json(), "extra": "x"}) == ITEM
    assert ChannelItem.from_json({"title": "T"}) == ChannelItem(title="T", url="")


def test_proposing_twice_keeps_one_post_per_channel():
    made = channel_posts_propose_item(subject=EVENT, item=ITEM, channels=["vk", "telegram"])
    again = channel_posts_propose_item(subject=EVENT, item=ITEM, channels=["vk", "telegram"])
    assert len(made) == 2
    assert again == []
    post = ChannelPost.objects.about(EVENT).get(channel="vk")
    assert (post.key, post.status, post.news_id) == ("event:77:vk", _P.PROPOSED, None)
    assert (post.headline, post.page_url) == (ITEM.title, ITEM.url)
    assert render_post(post).text == render_item_vk(ITEM).text


def test_with_no_channel_configured_nothing_is_proposed(settings):
    settings.DOBRY_VK_TOKEN = settings.DOBRY_TELEGRAM_BOT_TOKEN = ""
    assert channel_posts_propose_item(subject=EVENT, item=ITEM) == []
    assert not ChannelPost.objects.exists()


def test_an_approved_event_post_goes_to_vk_once_with_its_key_as_guid(coordinator, fake_apis):
    [post] = channel_posts_propose_item(subject=EVENT, item=ITEM, channels=["vk"])
    channel_post_move(actor=coordinator, post=post, move="approve")
    assert channel_post_send(post_id=post.pk) == "sent"  # the task ran, and once more:
    [call] = fake_apis.calls("wall.post")
    assert call["guid"] == "event:77:vk"
    assert call["attachments"] == ITEM.url
    assert "Когда: 5 декабря, 10:00–14:00" in call["message"]
    post.refresh_from_db()
    assert (post.status, post.text) == (_P.SENT, call["message"])


def test_the_queue_page_and_api_show_an_event_post(login_as, coordinator):
    channel_posts_propose_item(subject=EVENT, item=ITEM, channels=["telegram"])
    page = login_as(coordinator).get("/news/channels/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{ITEM.url}"' in html
    assert "Когда: 5 декабря, 10:00–14:00" in html
    [row] = bearer(coordinator).get("/api/v1/channel-posts").json()["items"]
    assert (row["news_id"], row["news_title"]) == (None, ITEM.title)
    assert (row["subject_kind"], row["subject_pk"]) == ("event", 77)
