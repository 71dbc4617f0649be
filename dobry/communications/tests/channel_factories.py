"""Published news and their posts for the channels' tests."""

from django.utils import timezone

from dobry.communications.models import ChannelPost, NewsItem


def published(title: str = "Субботник в парке", **fields) -> NewsItem:
    fields.setdefault("lead", "Собираемся в субботу в 10:00 у главного входа.")
    return NewsItem.objects.create(
        title=title,
        status=NewsItem.Status.PUBLISHED,
        published_at=timezone.now(),
        publisher=NewsItem.Publisher.CITY,
        **fields,
    )


def proposed(item: NewsItem | None = None, channel: str = "vk", **fields) -> ChannelPost:
    item = item or published()
    return ChannelPost.objects.create(
        key=f"news:{item.pk}:{channel}", news=item, channel=channel, **fields
    )
