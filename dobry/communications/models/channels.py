"""Posts to the city's channels (the VK community, the Telegram channel): one moderated
queue, a row per item and channel with a unique key, approved by a coordinator before the
worker posts it; the remote message id is kept, so a post is never made twice. A post is
of a news item (rendered from the item when it is posted) or of an object of a higher app
— an event — named by a reference, with what the post shows kept in `item` when it was
proposed (`channels.rendering.ChannelItem`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dobry.communications.models.news import NewsItem
from dobry.core.references import Reference, ReferenceField
from dobry.core.workflow import Move, Workflow


class ChannelPostQuerySet(models.QuerySet["ChannelPost"]):
    def for_list(self) -> "ChannelPostQuerySet":
        return self.select_related("news", "approved_by").order_by("-created_at", "-pk")

    def about(self, subject: Reference) -> "ChannelPostQuerySet":
        """The posts of the object `subject` names (an event)."""
        return self.filter(ReferenceField.to("subject", subject))


class ChannelPost(models.Model):
    """One item to be posted to one channel."""

    class Channel(models.TextChoices):
        VK = "vk", _("сообщество ВКонтакте")
        TELEGRAM = "telegram", _("канал в Telegram")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("ждёт одобрения")
        APPROVED = "approved", _("одобрен, в очереди")
        SENT = "sent", _("опубликован")
        FAILED = "failed", _("не опубликован")
        REJECTED = "rejected", _("отклонён")

    # news:<item id>:<channel> or <kind>:<pk>:<channel>: one post of an item per channel,
    # whatever retries happen
    key = models.CharField(max_length=100, unique=True)
    news = models.ForeignKey(
        NewsItem, null=True, blank=True, on_delete=models.CASCADE, related_name="channel_posts"
    )
    # Or what else the post is of (an event), its title and what the post shows.
    subject = ReferenceField(_("о чём"))
    title = models.CharField(_("заголовок"), max_length=300, blank=True)
    item = models.JSONField(default=dict, blank=True)
    channel = models.CharField(_("канал"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # what went to the channel, as rendered when it was posted
    text = models.TextField(_("текст"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    # set while a worker is calling the channel: a row found in flight is never sent again
    in_flight_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("ошибка"), blank=True)
    remote_id = models.CharField(_("номер записи в канале"), max_length=100, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ChannelPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["news", "channel"], name="one_post_per_channel"),
            ReferenceField.whole("subject", constraint="channel_post_subject_whole"),
            models.CheckConstraint(
                condition=Q(news__isnull=False) | ~Q(subject_kind=""),
                name="channel_post_of_something",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            ReferenceField.index("subject", index="channel_post_subject"),  # `about`
        ]
        verbose_name = _("публикация в канале")
        verbose_name_plural = _("публикации в каналах")

    def __str__(self) -> str:
        return f"{self.channel}: {self.news_id or self.subject}"

    @property
    def headline(self) -> str:
        """The title of what is posted: the news item's, or the one kept for the subject."""
        return self.news.title if self.news is not None else self.title

    @property
    def page_url(self) -> str:
        """The page on the site of what is posted."""
        return self.news.get_absolute_url() if self.news is not None else self.item.get("url", "")


_P = ChannelPost.Status
CHANNEL_POST_WORKFLOW = Workflow(
    ChannelPost.Status,
    (
        Move("approve", frozenset({_P.PROPOSED}), _P.APPROVED, _("Одобрить публикацию")),
        Move("reject", frozenset({_P.PROPOSED}), _P.REJECTED, _("Отклонить")),
        Move("retry", frozenset({_P.FAILED}), _P.APPROVED, _("Повторить публикацию")),
        Move("repropose", frozenset({_P.REJECTED}), _P.PROPOSED, _("Вернуть на одобрение")),
        Move("send", frozenset({_P.APPROVED}), _P.SENT, _("Опубликовать"), button=False),
        Move("fail", frozenset({_P.APPROVED}), _P.FAILED, _("Не опубликовано"), button=False),
    ),
    model=ChannelPost,
)
