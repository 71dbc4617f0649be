"""News and announcements: written by the city (the resource centre, the administration)
or by a verified organisation, whose items a coordinator moderates before they appear.

An item names its organisation and what it is about (an event, a competition, later a
campaign) by typed references (`dobry.core.references`): this app sits below the apps
that own those objects and never imports them. Its body is rich text sanitised when saved
(`communications.rich_text`)."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.communications.rich_text import plain_text
from dobry.core.models import TimeStampedModel
from dobry.core.references import Reference, ReferenceField
from dobry.core.search import SearchableModel, search_words
from dobry.core.text_limits import LONG, SHORT
from dobry.core.workflow import Move, Workflow

# The only kind of reference an item's `organization` may hold.
ORGANIZATION_KIND = "organization"
# How many tags one item may carry, and how long one may be.
MAX_TAGS = 8
TAG_LENGTH = 40


def news_cover_path(instance: "NewsItem", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"news/{secrets.token_hex(8)}.{extension}"


class NewsTag(models.Model):
    """A word that groups news («гранты», «волонтёрам»); its slug is the feed's filter."""

    name = models.CharField(_("метка"), max_length=TAG_LENGTH)
    slug = models.SlugField(_("код"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("метка новостей")
        verbose_name_plural = _("метки новостей")

    def __str__(self) -> str:
        return self.name


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    def published(self) -> "NewsItemQuerySet":
        return self.filter(status=NewsItem.Status.PUBLISHED)

    def search(self, text: str) -> "NewsItemQuerySet":
        return search_words(self, text)

    def of_organization(self, pk: int) -> "NewsItemQuerySet":
        return self.filter(ReferenceField.to("organization", Reference(ORGANIZATION_KIND, pk)))

    def due(self, now: datetime | None = None) -> "NewsItemQuerySet":
        """Scheduled items whose time has come."""
        return self.filter(status=NewsItem.Status.SCHEDULED, publish_at__lte=now or timezone.now())

    def for_list(self) -> "NewsItemQuerySet":
        return self.prefetch_related("tags")

    def newest_first(self) -> "NewsItemQuerySet":
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-created_at", "-pk")


class NewsItem(SearchableModel, TimeStampedModel):
    """One news item or announcement."""

    SEARCH_FIELDS = ("title", "lead", "body_words")

    class Kind(models.TextChoices):
        NEWS = "news", _("новость")
        ANNOUNCEMENT = "announcement", _("анонс")

    class Publisher(models.TextChoices):
        CITY = "city", _("ресурсный центр и администрация")
        ORGANIZATION = "organization", _("организация")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        MODERATION = "moderation", _("на модерации")
        RETURNED = "returned", _("возвращена на доработку")
        SCHEDULED = "scheduled", _("запланирована")
        PUBLISHED = "published", _("опубликована")
        ARCHIVED = "archived", _("снята с публикации")

    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    publisher = models.CharField(
        _("от чьего имени"), max_length=20, choices=Publisher.choices, editable=False
    )
    title = models.CharField(_("заголовок"), max_length=200)
    lead = models.CharField(
        _("коротко"),
        max_length=400,
        help_text=_("Одно-два предложения: их видно в ленте и в карточке ссылки в соцсетях."),
    )
    body = models.TextField(
        _("текст"),
        blank=True,
        max_length=LONG,
        help_text=_(
            "Пишите абзацами через пустую строку, адреса сайтов станут ссылками. Можно и "
            "HTML: абзацы, списки, ссылки, подзаголовки h2–h4, выделение и цитаты; "
            "остальная разметка будет удалена."
        ),
    )
    cover = models.ImageField(_("обложка"), upload_to=news_cover_path, blank=True)
    cover_alt = models.CharField(
        _("описание обложки"),
        max_length=300,
        blank=True,
        help_text=_("Что на картинке — для тех, кто её не видит. Обязательно, если есть обложка."),
    )
    organization = ReferenceField(_("организация"))
    subject = ReferenceField(_("о чём"))
    tags = models.ManyToManyField(NewsTag, verbose_name=_("метки"), blank=True, related_name="news")
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("опубликовать в"),
        null=True,
        blank=True,
        help_text=_("Оставьте пустым, чтобы опубликовать сразу. Время городское."),
    )
    published_at = models.DateTimeField(_("опубликована"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("что исправить"), blank=True, max_length=SHORT)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("новость")
        verbose_name_plural = _("новости")
        # with `news_feed_order` on PostgreSQL (migration 0013: SQLite has no NULLS LAST in
        # an index), the feed's order exactly, read in order instead of sorting every item
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # an organisation's items (its page, its filtered feed), an object's (a campaign's
            # page): a scan of every item else (17 ms at a region's 30,000; 0.1 ms with it)
            ReferenceField.index("organization", index="news_organization"),
            ReferenceField.index("subject", index="news_subject"),
        ]
        constraints = [
            ReferenceField.whole("organization", constraint="news_organization_whole"),
            ReferenceField.whole("subject", constraint="news_subject_whole"),
            models.CheckConstraint(
                condition=Q(organization_kind__in=("", ORGANIZATION_KIND)),
                name="news_organization_is_organization",
            ),
            models.CheckConstraint(
                condition=~Q(publisher="organization") | ~Q(organization_kind=""),
                name="news_of_organization_names_it",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def body_words(self) -> str:
        return plain_text(self.body)

    @property
    def organization_pk_named(self) -> int | None:
        """The id of the organisation the item names, if it names one."""
        reference = self.organization
        return reference.pk if reference is not None else None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


_N = NewsItem.Status
# The city's items are published by their authors; an organisation's go to a coordinator's
# moderation first (`permissions.can_move_news` says who makes which move). A time in the
# future schedules the publication; the periodic job `publish_due_news` releases it.
NEWS_WORKFLOW = Workflow(
    NewsItem.Status,
    (
        Move(
            "submit", frozenset({_N.DRAFT, _N.RETURNED}), _N.MODERATION, _("Отправить на модерацию")
        ),
        Move("withdraw", frozenset({_N.MODERATION}), _N.DRAFT, _("Забрать с модерации")),
        Move(
            "publish",
            frozenset({_N.DRAFT, _N.RETURNED, _N.MODERATION, _N.SCHEDULED}),
            _N.PUBLISHED,
            _("Опубликовать сейчас"),
        ),
        Move(
            "schedule",
            frozenset({_N.DRAFT, _N.RETURNED, _N.MODERATION}),
            _N.SCHEDULED,
            _("Запланировать публикацию"),
        ),
        Move(
            "return",
            frozenset({_N.MODERATION}),
            _N.RETURNED,
            _("Вернуть на доработку"),
            needs_reason=True,
            reason_prompt=_("Напишите автору, что исправить."),
        ),
        Move(
            "release",
            frozenset({_N.SCHEDULED}),
            _N.PUBLISHED,
            _("Опубликовать по расписанию"),
            button=False,
        ),
        Move(
            "unpublish",
            frozenset({_N.PUBLISHED, _N.SCHEDULED}),
            _N.ARCHIVED,
            _("Снять с публикации"),
        ),
        Move("redraft", frozenset({_N.ARCHIVED}), _N.DRAFT, _("Вернуть в черновики")),
    ),
    public_names={
        _N.MODERATION: _("на модерации у координатора"),
        _N.SCHEDULED: _("ждёт времени публикации"),
    },
    model=NewsItem,
)
