"""Publishing an event proposes it to the city's channels as news are (`EVENT_PUBLISHED`
→ `channel_posts_propose_item`): a post per configured channel, with the event's dates in
the city's local time, its place and its link, waiting for a coordinator's approval."""

from datetime import UTC, datetime

import pytest

from dobry.communications.models import ChannelPost
from dobry.communications.tests.fake_apis import fake_apis  # noqa: F401
from dobry.core.references import Reference
from dobry.events.models import Event
from dobry.events.services.events import event_publish
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.site import demo
from dobry.site.hooks import event_channel_item

pytestmark = pytest.mark.django_db

_P = ChannelPost.Status


def draft(**fields) -> Event:
    event = EventFactory(status=Event.Status.DRAFT, **fields)
    # 03:00 UTC is 10:00 in Krasnoyarsk (UTC+7)
    ShiftFactory(
        event=event,
        starts_at=datetime(2031, 6, 5, 3, 0, tzinfo=UTC),
        ends_at=datetime(2031, 6, 5, 7, 0, tzinfo=UTC),
    )
    event.refresh_from_db()
    return event


def test_publishing_an_event_proposes_it_to_each_configured_channel(
    coordinator,
    fake_apis,  # noqa: F811
):
    event = draft(title="Чистый берег", place="Набережная", address="ул. Ленина, 1")
    event_publish(actor=coordinator, event=event)
    posts = ChannelPost.objects.about(Reference("event", event.pk))
    assert sorted(posts.values_list("channel", "status")) == [
        ("telegram", _P.PROPOSED),
        ("vk", _P.PROPOSED),
    ]
    item = posts.get(channel="vk").item
    assert item["when"] == "5 июня 2031, 10:00–14:00"
    assert item["place"] == "Набережная, ул. Ленина, 1"
    assert item["url"].endswith(f"/events/{event.pk}/")
    assert fake_apis.requests == []  # nothing goes before a coordinator approves


def test_with_no_channel_configured_publishing_proposes_nothing(coordinator):
    event_publish(actor=coordinator, event=draft())
    assert not ChannelPost.objects.exists()


def test_an_online_event_says_so_in_the_place():
    event = draft(place="", address="", online_url="https://meet.example/x")
    assert event_channel_item(event).place == "онлайн"


def test_an_event_without_a_summary_shows_the_start_of_its_description():
    event = draft(summary="", description="Подробно " * 300)
    assert event_channel_item(event).lead == ("Подробно " * 300)[:1000]


def test_the_demo_has_an_event_waiting_for_approval(coordinator):
    event = draft()
    event_publish(actor=coordinator, event=event)
    demo.seed_event_post()
    demo.seed_event_post()
    [post] = ChannelPost.objects.about(Reference("event", event.pk))
    assert (post.channel, post.status) == ("telegram", _P.PROPOSED)
