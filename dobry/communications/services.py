"""The one way to tell people something: notify() and the email outbox."""

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.kinds import KINDS, get_kind
from dobry.communications.models import (
    Notification,
    NotificationPreference,
    OutboundEmail,
    TelegramLink,
)
from dobry.communications.rendering import encode, references_of, render_kind, render_params
from dobry.communications.tasks import deliver_email
from dobry.communications.telegram.services import telegram_queue
from dobry.core.errors import DomainError
from dobry.core.site import absolute_url
from dobry.core.typography import quoted


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "content_type": self.content_type,
            "base64": base64.b64encode(self.content).decode(),
        }


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    user: User | None = None,
    attachments: Sequence[Attachment] = (),
    kind: str = "",
) -> OutboundEmail:
    """Store an email in the outbox and enqueue its delivery; a repeated key is a no-op.

    `kind` (a notification kind, `account`, `consent_code`) decides whether a suppressed
    address still gets it and whether it carries the unsubscribe link: an empty kind is
    a direct message treated as transactional, so every other sender must name one."""
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "to": to,
                "subject": " ".join(subject.split())[:250],
                "body_text": body_text,
                "body_html": body_html,
                "user": user,
                "kind": kind,
                "attachments": [a.as_json() for a in attachments],
            },
        )
        if created:
            deliver_email.enqueue(email.pk)
    return email


def email_kind_to_address(
    *, key: str, to: str, kind: str, context: Mapping[str, Any], url: str = ""
) -> OutboundEmail:
    """Email a notification kind to an address that has no account (e.g. an invitation)."""
    subject, body = render_kind(kind, {**context, "url": url})
    return email_queue(key=key, to=to, subject=subject, body_text=body + _link(url), kind=kind)


def _link(url: str) -> str:
    return f"\n\n{absolute_url(url)}" if url else ""


def wants_email(user: User, kind: str) -> bool:
    return _wants(user, kind)[0]


def _wants(user: User, kind: str) -> tuple[bool, bool]:
    """Whether the user gets this kind by email and by Telegram too (one query)."""
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if pref is None:
        return get_kind(kind).email_by_default, False
    return pref.email, pref.telegram


def notify(
    kind: str,
    recipients: Iterable[User],
    context: Mapping[str, Any],
    *,
    url: str = "",
    attachments: Sequence[Attachment] = (),
) -> list[Notification]:
    """Tell each recipient about something: an in-app notification, plus an email and a
    Telegram message (to a linked chat) through the task worker when their preferences for
    this kind ask for them.

    The notification keeps the kind and the context as parameters and is rendered when
    read, in the reader's language (`communications.rendering`); the email is rendered
    from the same parameters in the recipient's language. A context that cannot be kept
    as parameters leaves frozen text in the notification.
    """
    get_kind(kind)
    params = encode(context)
    created: list[Notification] = []
    with transaction.atomic():
        for user in _reachable_once(recipients):
            with translation.override(user.language):
                subject, body = render_kind(kind, {**context, "user": user, "url": url})
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                url=url,
                params=params,
                **({} if params is not None else {"title": subject, "body": body}),
            )
            created.append(notification)
            _send_copies(notification, subject, body, attachments)
    return created


def _reachable_once(recipients: Iterable[User]) -> Iterator[User]:
    """Each active, not erased recipient once, in the order given."""
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active or user.erased_at is not None:
            continue
        seen.add(user.pk)
        yield user


def _send_copies(
    notification: Notification, subject: str, body: str, attachments: Sequence[Attachment]
) -> None:
    """Queue the notification's Telegram message and email where the recipient's
    preferences for its kind ask for them, each keyed by the notification."""
    user, kind, url = notification.user, notification.kind, notification.url
    by_email, by_telegram = _wants(user, kind)
    key = f"notification:{notification.pk}"
    if by_telegram:
        telegram_queue(key=key, user=user, text=f"{subject}\n\n{body}{_link(url)}", kind=kind)
    if by_email:
        email_queue(
            key=key,
            to=user.email,
            subject=subject,
            body_text=body + _link(url),
            user=user,
            attachments=attachments,
            kind=kind,
        )


def notification_emails_refresh(*, objects: Iterable[models.Model]) -> int:
    """The stored copies of emails sent about these objects are rendered again from the
    objects as they are now, in each recipient's language: called where an object's text
    is minimised or erased (a consultation whose asker erased the account), so the
    outbox keeps no copy of what went. Notifications need nothing: they are rendered when
    read. Returns the number of emails rewritten."""
    wanted = {(obj._meta.label_lower, obj.pk) for obj in objects}
    if not wanted:
        return 0
    mentions = Q()
    for label in {label for label, _pk in wanted}:
        mentions |= Q(params_text__contains=f'"{label}"')
    candidates = (
        Notification.objects.filter(params__isnull=False)
        .annotate(params_text=Cast("params", models.TextField()))
        .filter(mentions)
    )
    made_from = {n.pk: n for n in candidates.iterator() if references_of(n.params) & wanted}
    keys = {f"notification:{pk}": pk for pk in made_from}
    rewritten = 0
    for email in OutboundEmail.objects.filter(key__in=keys).select_related("user"):
        notification = made_from[keys[email.key]]
        params = notification.params or {}
        language = email.user.language if email.user is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = render_params(notification.kind, params, url=notification.url)
        email.subject, email.body_text = subject, body + _link(notification.url)
        email.save(update_fields=["subject", "body_text"])
        rewritten += 1
    return rewritten


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """The user has read their notification (someone else's is left as it is)."""
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Every unread notification of the user is read now; returns how many were unread."""
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def notification_preferences_set(
    *,
    user: User,
    email_by_kind: Mapping[str, bool] | None = None,
    telegram_by_kind: Mapping[str, bool] | None = None,
) -> None:
    """Whether each kind named also comes by email, by Telegram (in the app it always
    comes); kinds not named keep the choice made before. An unknown kind, or Telegram
    asked for without a linked chat, refuses the whole change."""
    email_by_kind, telegram_by_kind = email_by_kind or {}, telegram_by_kind or {}
    errors = {
        f"{channel}.{kind}": [_("Выберите из списка.")]
        for channel, chosen in (("email", email_by_kind), ("telegram", telegram_by_kind))
        for kind in sorted(chosen)
        if kind not in KINDS
    }
    if not email_by_kind and not telegram_by_kind:
        errors = {
            name: [_("Назовите хотя бы один вид уведомлений.")] for name in ("email", "telegram")
        }
    if any(telegram_by_kind.values()) and not TelegramLink.objects.filter(user=user).exists():
        errors["telegram"] = [_("Сначала свяжите аккаунт Telegram с профилем.")]
    if errors:
        raise DomainError(_("Проверьте данные."), field_errors=errors)
    with transaction.atomic():
        for kind in sorted({*email_by_kind, *telegram_by_kind}):
            defaults: dict[str, bool] = {}
            if kind in email_by_kind:
                defaults["email"] = email_by_kind[kind]
            if kind in telegram_by_kind:
                defaults["telegram"] = telegram_by_kind[kind]
            pref, created = NotificationPreference.objects.get_or_create(
                user=user,
                kind=kind,
                defaults={"email": get_kind(kind).email_by_default, **defaults},
            )
            if not created:
                for name, value in defaults.items():
                    setattr(pref, name, value)
                pref.save(update_fields=list(defaults))


def consent_code_email(*, user: User, code: str, consent_code: Any) -> None:
    """Email the one-time code that signs a written consent (63-ФЗ art. 6 part 2).

    Connected to `accounts.services.CONSENT_CODE_ISSUED` in `dobry.site`; the code is
    removed from the stored email once used (`consent_code_redact`)."""
    minutes = int((consent_code.expires_at - consent_code.created_at).total_seconds() // 60)
    with translation.override(user.language):
        # The code only in the body: a subject shows on locked screens and in mail lists.
        subject = _("Код для подписи согласия")
        body = _(
            "Ваш код для подписи документа %(title)s (версия %(version)s): %(code)s\n\n"
            "Вводя код на сайте, вы подписываете согласие простой электронной подписью. "
            "Код действует %(minutes)s мин. и только один раз. Никому его не сообщайте. "
            "Если вы не запрашивали код, просто удалите это письмо."
        ) % {
            "title": quoted(consent_code.document.shown_title),
            "version": consent_code.document.version,
            "code": code,
            "minutes": minutes,
        }
    email_queue(
        key=f"consent-code:{consent_code.pk}",
        to=user.email,
        subject=subject,
        body_text=body,
        user=user,
        kind="consent_code",
    )


def consent_code_redact(*, consent_code: Any) -> None:
    """A used code leaves no copy in the outbox: only its hash is kept, in the consent."""
    OutboundEmail.objects.filter(key=f"consent-code:{consent_code.pk}").update(
        subject=_("Код для подписи согласия"), body_text=_("Код использован.")
    )
