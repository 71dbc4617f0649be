"""Demo posts to the city's channels: the resource centre's news went to the Telegram
channel (as if the channel had answered with its message id — the demo has no token), and
the competition's announcement waits for a coordinator's approval for VK. Idempotent."""

from django.utils import timezone

from dobry.communications.channels.rendering import render
from dobry.communications.channels.services import channel_posts_propose
from dobry.communications.models import ChannelPost, NewsItem

SENT_TITLE = "Ресурсный центр отвечает на вопросы НКО онлайн"
PROPOSED_TITLE = "Объявлен конкурс социально значимых проектов СО НКО"


def seed() -> None:
    sent = NewsItem.objects.published().filter(title=SENT_TITLE).first()
    if sent is not None:
        for post in channel_posts_propose(item=sent, channels=[ChannelPost.Channel.TELEGRAM]):
            ChannelPost.objects.filter(pk=post.pk).update(
                status=ChannelPost.Status.SENT,
                text=render(post.channel, sent).text,
                remote_id="1024",
                attempts=1,
                approved_at=timezone.now(),
                sent_at=timezone.now(),
            )
    proposed = NewsItem.objects.published().filter(title=PROPOSED_TITLE).first()
    if proposed is not None:
        channel_posts_propose(item=proposed, channels=[ChannelPost.Channel.VK])
