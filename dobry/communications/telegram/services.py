"""Linking a person's Telegram and queueing the bot's personal messages.

A person asks for a deep link (`telegram_link_code_create`): a one-time code that expires,
whose hash alone is kept. Opening the link sends `/start <code>` to the bot; its update
(the webhook or the polling command) links that chat to the person
(`telegram_update_handle`). Messages go through `OutboundTelegram`, a row with a unique key
delivered by the task worker (`telegram.tasks`)."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.models import OutboundTelegram, TelegramLink, TelegramLinkCode
from dobry.communications.telegram import bot
from dobry.communications.telegram.tasks import deliver_telegram
from dobry.core.audit import log_action
from dobry.core.errors import DomainError


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def telegram_link_code_create(*, user: User) -> tuple[str, datetime]:
    """A fresh one-time code for the person's deep link and when it expires; the person's
    earlier unused codes stop working. Refused while the bot is not configured."""
    if not bot.configured():
        raise DomainError(_("Бот Telegram ещё не настроен на этом сайте."))
    code = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]: what /start takes
    expires_at = timezone.now() + timedelta(minutes=settings.DOBRY_TELEGRAM_LINK_MINUTES)
    with transaction.atomic():
        TelegramLinkCode.objects.filter(user=user, used_at__isnull=True).delete()
        TelegramLinkCode.objects.create(user=user, code_hash=_hash(code), expires_at=expires_at)
    return code, expires_at


def telegram_link(*, code: str, chat_id: int) -> User | None:
    """Link the chat to the person whose unused, unexpired code this is; the code is used
    up. A chat linked to someone else before moves to this person (one chat, one person).
    None when the code is unknown, used or expired."""
    now = timezone.now()
    with transaction.atomic():
        found = (
            TelegramLinkCode.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if found is None or not found.user.is_active or found.user.erased_at is not None:
            return None
        found.used_at = now
        found.save(update_fields=["used_at"])
        TelegramLink.objects.filter(chat_id=chat_id).exclude(user=found.user).delete()
        TelegramLink.objects.update_or_create(user=found.user, defaults={"chat_id": chat_id})
        log_action(actor=found.user, action="telegram.link", obj=found.user)
    return found.user


def telegram_unlink(*, user: User) -> bool:
    """The bot stops writing to the person: the chat is forgotten, unsent messages are
    dropped. True if there was a link."""
    with transaction.atomic():
        deleted, _rows = TelegramLink.objects.filter(user=user).delete()
        OutboundTelegram.objects.filter(
            user=user, state__in=(OutboundTelegram.State.QUEUED, OutboundTelegram.State.FAILED)
        ).delete()
        if deleted:
            log_action(actor=user, action="telegram.unlink", obj=user)
    return bool(deleted)


def telegram_queue(*, key: str, user: User, text: str, kind: str = "") -> OutboundTelegram | None:
    """Store a message to the person's linked chat and enqueue its delivery; a repeated
    key is a no-op. None when the person has no linked chat or the bot is not configured."""
    link = TelegramLink.objects.filter(user=user).first()
    if link is None or not bot.configured():
        return None
    # The task backend stores the task in this transaction: both are written, or neither.
    with transaction.atomic():
        message, created = OutboundTelegram.objects.get_or_create(
            key=key,
            defaults={"user": user, "chat_id": link.chat_id, "kind": kind, "text": _fit(text)},
        )
        if created:
            deliver_telegram.enqueue(message.pk)
    return message


def _fit(rendered: str) -> str:
    """A rendered notification within Telegram's limit of a message, cut at a word with «…»
    (the whole notification stays on the site, where the message links)."""
    if len(rendered) <= bot.TEXT_LIMIT:
        return rendered
    cut = rendered[: bot.TEXT_LIMIT - 1].rsplit(maxsplit=1)[0]
    return cut + "…"


def telegram_update_handle(update: Any) -> str:
    """One update of the bot (webhook or polling): `/start <code>` in a private chat links
    it and answers; anything else is ignored. Returns what happened: linked, unknown_code,
    ignored."""
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return "ignored"
    chat = message.get("chat")
    text = message.get("text")
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(text, str):
        return "ignored"
    chat_id = chat.get("id")
    parts = text.split()
    if not isinstance(chat_id, int) or len(parts) != 2 or parts[0] not in ("/start",):
        return "ignored"
    user = telegram_link(code=parts[1][:100], chat_id=chat_id)
    if user is None:
        return "unknown_code"
    with translation.override(user.language):
        text = _(
            "Готово: уведомления сайта %(site)s будут приходить сюда. Выбрать, какие именно, "
            "можно в профиле, на странице настроек уведомлений."
        ) % {"site": settings.DOBRY_SITE_NAME}
    telegram_queue(
        key=f"telegram-linked:{user.pk}:{timezone.now().timestamp()}", user=user, text=text
    )
    return "linked"
