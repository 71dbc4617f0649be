from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dobry.communications.rendering import render_params
from dobry.core.workflow import Move, Workflow


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


class OutboundEmail(models.Model):
    """Every email is first a row with a state and a unique key: a crash or a retry never
    loses or duplicates a message."""

    class State(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("ошибка")
        SUPPRESSED = "suppressed", _("не отправлено (получатель недоступен)")

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField(_("кому"))
    # The notification kind (or "account", "consent_code"): decides whether the message may
    # reach a suppressed address and which unsubscribe link it carries.
    kind = models.CharField(_("вид"), max_length=80, blank=True)
    subject = models.CharField(_("тема"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"name": ..., "content_type": ..., "base64": ...}] — small files such as a QR code.
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = _("письмо")
        verbose_name_plural = _("письма")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


_O = OutboundEmail.State
# The outbox row's moves, all made by the worker (`communications.tasks.deliver_email`):
# a queued row — or a failed one, retried — is claimed for sending or suppressed; a row
# being sent ends sent or failed. A sent or suppressed row never moves again.
OUTBOX_WORKFLOW = Workflow(
    OutboundEmail.State,
    (
        Move(
            "claim",
            frozenset({_O.QUEUED, _O.FAILED}),
            _O.SENDING,
            _("Отправить письмо"),
            button=False,
        ),
        Move("send", frozenset({_O.SENDING}), _O.SENT, _("Письмо отправлено"), button=False),
        Move("fail", frozenset({_O.SENDING}), _O.FAILED, _("Письмо не отправлено"), button=False),
        Move(
            "suppress",
            frozenset({_O.QUEUED, _O.FAILED}),
            _O.SUPPRESSED,
            _("Не отправлять письмо"),
            button=False,
        ),
    ),
    model=OutboundEmail,
    field="state",
)
