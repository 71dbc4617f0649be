"""A person's Telegram: the chat the city's bot writes to, the one-time codes that link it,
and the outbox of personal messages (the Bot API's `sendMessage`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.communications.models.outbox import OutboxMessage, outbox_workflow


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


class OutboundTelegram(OutboxMessage):
    """A personal message by the city's bot: an outbox row (`OutboxMessage`); a 429 sets
    `not_before` from the Bot API's `retry_after`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chat_id = models.BigIntegerField()
    text = models.TextField()
    message_id = models.BigIntegerField(null=True, blank=True)

    class Meta(OutboxMessage.Meta):
        indexes = [models.Index(fields=["state", "not_before"])]
        verbose_name = _("сообщение в Telegram")
        verbose_name_plural = _("сообщения в Telegram")

    def __str__(self) -> str:
        return f"{self.chat_id}: {self.key}"


# The worker's moves (`telegram.tasks.deliver_telegram`), as the email outbox's.
TELEGRAM_OUTBOX_WORKFLOW = outbox_workflow(
    OutboundTelegram,
    claim=_("Отправить сообщение в Telegram"),
    send=_("Сообщение отправлено"),
    fail=_("Сообщение не отправлено"),
    suppress=_("Не отправлять сообщение"),
)
