from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_time
from dobry.core.text_limits import SHORT


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True


class CommentStatus(models.TextChoices):
    """Where a moderated comment is (`dobry.core.moderation`)."""

    PUBLISHED = "published", _("опубликован")
    REPORTED = "reported", _("есть жалоба")
    HIDDEN = "hidden", _("скрыт модератором")


class ModeratedComment(TimeStampedModel):
    """A resident's comment that is shown at once; a report of abuse puts it in its
    moderators' queue, who keep or hide it (`dobry.core.moderation`). A concrete comment
    adds what it is about and its author (each app names the relations its own way)."""

    Status = CommentStatus

    text = models.TextField(_("комментарий"), max_length=SHORT)
    status = models.CharField(
        _("статус"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)


class ModeratedCommentReport(models.Model):
    """Someone's report that a comment is abusive; a concrete report adds its `comment`
    and the constraint of one report per person and comment."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пожаловался"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("что не так"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("время"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        comment_id = getattr(self, "comment_id", None)
        return f"{comment_id}: {Truncator(self.reason).chars(40)}"


class District(models.Model):
    """A district of the municipality: data, so that any city can run the platform."""

    name = models.CharField(_("название"), max_length=120, unique=True)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("район")
        verbose_name_plural = _("районы")

    def __str__(self) -> str:
        return self.name


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """Who did what to which object, when, with which data. Written by every service."""

    created_at = models.DateTimeField(_("время"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("действие"), max_length=80)
    object_type = models.CharField(_("тип объекта"), max_length=100)
    object_id = models.CharField(_("ID объекта"), max_length=64)
    # Written before issue 11 only: the object's name is now read from the object when the
    # journal is shown (`audit.describe`), never copied here.
    object_repr = models.CharField(_("объект"), max_length=200, blank=True)
    data = models.JSONField(_("данные"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]
        verbose_name = _("запись журнала")
        verbose_name_plural = _("журнал действий")

    def __str__(self) -> str:
        moment = local_time(self.created_at)
        return f"{moment:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Installation(models.Model):
    """This installation's identity, written once by the migration that creates the table:
    the domain on the right of every calendar UID and feed item id
    (`dobry.core.site.uid_domain`), taken from the site's address of that first `migrate`
    and never changed with it — a calendar or a feed reader that sees the ids change
    shows every event and item twice."""

    uid_domain = models.CharField(max_length=253)

    class Meta:
        verbose_name = _("установка платформы")

    def __str__(self) -> str:
        return self.uid_domain


class ScheduledRun(models.Model):
    """One row per periodic job and time slot: the unique key makes each slot run once."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerBeat(models.Model):
    """A running task worker's sign of life (`dobry.core.task_leases`): `run_worker` writes
    it every DOBRY_WORKER_BEAT seconds and deletes it when it stops."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class IdempotentRequest(models.Model):
    """A POST to the API sent with an `Idempotency-Key` and its stored answer
    (`dobry.core.idempotency`): one per caller, key and path."""

    caller = models.CharField(max_length=80)
    # The account that sent it (session or token), so its answers go when the account does.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # None: still running
    content_type = models.CharField(max_length=100, blank=True)
    content = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key", "path"], name="one_answer_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.key}"
