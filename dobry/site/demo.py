"""Demo data that joins two apps: the next public event proposed to the city's Telegram
channel, waiting for a coordinator's approval on /news/channels/. Idempotent."""

from django.utils import timezone

from dobry.communications.channels.services import channel_posts_propose_item
from dobry.communications.models import ChannelPost
from dobry.core.references import reference_to
from dobry.events.models import Event
from dobry.site.hooks import event_channel_item


def seed_event_post() -> None:
    event = Event.objects.public().upcoming(timezone.now()).order_by("starts_at", "pk").first()
    if event is not None:
        channel_posts_propose_item(
            subject=reference_to(event),
            item=event_channel_item(event),
            channels=[ChannelPost.Channel.TELEGRAM],
        )
