from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dobry.communications.models.outbox import OutboxMessage, outbox_workflow
from dobry.communications.rendering import render_params


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification: the bell shows the unread ones.

    Made by `notify`, it keeps its kind and parameters (`params`, see
    `communications.rendering`) and is rendered when read, in the reader's language, from
    the objects it names as they are now: `title` and `body`. Notifications made before
    (or from a context that cannot be kept) keep frozen text in `stored_title` and
    `stored_body`, shown as it is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("вид"), max_length=80)
    stored_title = models.CharField(_("заголовок"), max_length=250, blank=True)
    stored_body = models.TextField(_("текст"), blank=True)
    params = models.JSONField(_("параметры"), null=True, blank=True)
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")

    def __str__(self) -> str:
        return self.title

    def render(self, *, rows: Any = None) -> tuple[str, str]:
        """Title and body in the active language (kept per language on the instance)."""
        if self.params is None:
            return self.stored_title, self.stored_body
        cache: dict[str, tuple[str, str]] = self.__dict__.setdefault("_rendered", {})
        language = get_language() or settings.LANGUAGE_CODE
        if language not in cache:
            cache[language] = render_params(self.kind, self.params, url=self.url, rows=rows)
        return cache[language]

    @property
    def title(self) -> str:
        return self.render()[0]

    @title.setter
    def title(self, value: str) -> None:
        self.stored_title = value

    @property
    def body(self) -> str:
        return self.render()[1]

    @body.setter
    def body(self, value: str) -> None:
        self.stored_body = value


class NotificationPreference(models.Model):
    """A user's choice of channels for one kind besides the app (where every notification
    is kept): email, Telegram; absent means the kind's default (email as the kind says, no
    Telegram)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=80)
    email = models.BooleanField(default=True)
    telegram = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_pref")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={self.email}"


class OutboundEmail(OutboxMessage):
    """Every email is first an outbox row (`OutboxMessage`): a crash or a retry never loses
    or duplicates a message."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField(_("кому"))
    subject = models.CharField(_("тема"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"name": ..., "content_type": ..., "base64": ...}] — small files such as a QR code.
    attachments = models.JSONField(default=list, blank=True)

    class Meta(OutboxMessage.Meta):
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = _("письмо")
        verbose_name_plural = _("письма")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


# The worker's moves (`communications.tasks.deliver_email`), named for an email.
OUTBOX_WORKFLOW = outbox_workflow(
    OutboundEmail,
    claim=_("Отправить письмо"),
    send=_("Письмо отправлено"),
    fail=_("Письмо не отправлено"),
    suppress=_("Не отправлять письмо"),
)
