"""A person's Telegram: the chat the city's bot writes to, the one-time codes that link it,
and the outbox of personal messages (the Bot API's `sendMessage`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.core.workflow import Move, Workflow


class TelegramLink(models.Model):
    """The chat of the city's bot with a person: made when the person opens the bot by
    their deep link (`/start <code>`), gone when they unlink or erase the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_link"
    )
    chat_id = models.BigIntegerField(_("чат Telegram"), unique=True)
    linked_at = models.DateTimeField(_("связан"), auto_now_add=True)

    class Meta:
        verbose_name = _("связь с Telegram")
        verbose_name_plural = _("связи с Telegram")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.chat_id}"


class TelegramLinkCode(models.Model):
    """A one-time code of a deep link `https://t.me/<bot>?start=<code>`: only its hash is
    kept; it expires and is used once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("код связи с Telegram")
        verbose_name_plural = _("коды связи с Telegram")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.expires_at:%Y-%m-%d %H:%M}"


class OutboundTelegram(models.Model):
    """A personal message by the city's bot: first a row with a state and a unique key, so
    a crash or a retry never loses or duplicates it; a 429 sets `not_before` from the
    Bot API's `retry_after`."""

    class State(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("ошибка")
        SUPPRESSED = "suppressed", _("не отправлено (получатель недоступен)")

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chat_id = models.BigIntegerField()
    kind = models.CharField(_("вид"), max_length=80, blank=True)
    text = models.TextField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "not_before"])]
        verbose_name = _("сообщение в Telegram")
        verbose_name_plural = _("сообщения в Telegram")

    def __str__(self) -> str:
        return f"{self.chat_id}: {self.key}"


_T = OutboundTelegram.State
# The bot's outbox row's moves, all made by the worker (`telegram.tasks.deliver_telegram`),
# as the email outbox's: claimed or suppressed from queued or failed; sent or failed after.
TELEGRAM_OUTBOX_WORKFLOW = Workflow(
    OutboundTelegram.State,
    (
        Move(
            "claim",
            frozenset({_T.QUEUED, _T.FAILED}),
            _T.SENDING,
            _("Отправить сообщение в Telegram"),
            button=False,
        ),
        Move("send", frozenset({_T.SENDING}), _T.SENT, _("Сообщение отправлено"), button=False),
        Move(
            "fail", frozenset({_T.SENDING}), _T.FAILED, _("Сообщение не отправлено"), button=False
        ),
        Move(
            "suppress",
            frozenset({_T.QUEUED, _T.FAILED}),
            _T.SUPPRESSED,
            _("Не отправлять сообщение"),
            button=False,
        ),
    ),
    model=OutboundTelegram,
    field="state",
)
