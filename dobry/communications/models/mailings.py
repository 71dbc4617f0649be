"""Mailings to the city's base: imported contacts, saved segments, mailings and one
`Delivery` row per (mailing, recipient) — the row is written before the message goes to
SMTP, and its state says what happened (docs/communications.md, «Рассылки»)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.core.models import District
from dobry.core.text_limits import LONG, SHORT
from dobry.core.workflow import Move, Workflow


class MailingContact(models.Model):
    """A person outside the platform who may get mailings: imported from a list, mailed
    only after confirming the address by the signed link of the double opt-in email."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("имя"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("район"), null=True, blank=True, on_delete=models.SET_NULL
    )
    interests = models.JSONField(_("интересы (направления)"), default=list, blank=True)
    source = models.CharField(_("источник"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("добавлен"), auto_now_add=True)
    invited_at = models.DateTimeField(_("письмо-подтверждение отправлено"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подтвердил адрес"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["email"]
        verbose_name = _("контакт рассылки")
        verbose_name_plural = _("контакты рассылки")

    def __str__(self) -> str:
        return self.email


class Segment(models.Model):
    """A saved choice of recipients: every condition filled narrows it; empty means all."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("волонтёры")
        ORGANIZATION_MEMBER = "organization_member", _("участники организаций")
        COORDINATOR = "coordinator", _("координаторы")
        OFFICIAL = "official", _("сотрудники администрации")
        EXPERT = "expert", _("эксперты")
        CONTACT = "contact", _("импортированные контакты")

    name = models.CharField(_("название"), max_length=200)
    roles = models.JSONField(_("роли"), default=list, blank=True)
    organization_kinds = models.JSONField(_("виды организаций"), default=list, blank=True)
    areas = models.JSONField(_("направления"), default=list, blank=True)
    districts = models.ManyToManyField(District, verbose_name=_("районы"), blank=True)
    active_months = models.PositiveSmallIntegerField(
        _("активны за последние N месяцев"),
        null=True,
        blank=True,
        help_text=_("Зарегистрировались, внесли часы или откликнулись на просьбу о помощи."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("сегмент рассылки")
        verbose_name_plural = _("сегменты рассылки")

    def __str__(self) -> str:
        return self.name


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SCHEDULED = "scheduled", _("запланирована")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлена")
        CANCELLED = "cancelled", _("отменена")

    subject = models.CharField(_("тема"), max_length=200)
    body_text = models.TextField(_("текст"), max_length=LONG)
    body_html = models.TextField(_("оформленный текст (HTML)"), max_length=LONG, blank=True)
    segment = models.ForeignKey(
        Segment, verbose_name=_("сегмент"), on_delete=models.PROTECT, related_name="mailings"
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("отправить в"), null=True, blank=True)
    started_at = models.DateTimeField(_("отправка начата"), null=True, blank=True)
    finished_at = models.DateTimeField(_("отправка завершена"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]
        verbose_name = _("рассылка")
        verbose_name_plural = _("рассылки")

    def __str__(self) -> str:
        return self.subject

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


_M = Mailing.Status
# Composed as a draft, scheduled (a time; now is a time too), started by the job when the
# time comes, sent when no delivery is left queued or sending; cancelled before it starts,
# or while sending — the deliveries not yet handed to SMTP are then suppressed.
MAILING_WORKFLOW = Workflow(
    Mailing.Status,
    (
        Move("schedule", frozenset({_M.DRAFT}), _M.SCHEDULED, _("Запланировать")),
        Move("unschedule", frozenset({_M.SCHEDULED}), _M.DRAFT, _("Вернуть в черновики")),
        Move("start", frozenset({_M.SCHEDULED}), _M.SENDING, _("Начать отправку"), button=False),
        Move("finish", frozenset({_M.SENDING}), _M.SENT, _("Завершить"), button=False),
        Move(
            "cancel",
            frozenset({_M.DRAFT, _M.SCHEDULED, _M.SENDING}),
            _M.CANCELLED,
            _("Отменить рассылку"),
        ),
    ),
    model=Mailing,
)


def new_delivery_key() -> str:
    return secrets.token_hex(16)


class Delivery(models.Model):
    """One (mailing, recipient): the unique key survives retries and crashes. A worker
    claims a row (`sending`, `claimed_by`, `lease_until`), sends, then marks it `sent`; a
    row whose lease expired is taken over by another worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("ошибка")
        SUPPRESSED = "suppressed", _("не отправлено (адрес недоступен)")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=64, unique=True, default=new_delivery_key)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        MailingContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=SHORT, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What happened after: reported by the provider or the bounce mailbox, or the link used
    # (`mailings.feedback`); the mailing's statistics count them.
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="unique_delivery_recipient")
        ]
        indexes = [
            models.Index(fields=["mailing", "state"]),
            models.Index(fields=["state", "lease_until"]),
        ]
        verbose_name = _("доставка рассылки")
        verbose_name_plural = _("доставки рассылки")

    def __str__(self) -> str:
        return f"{self.mailing_id}: {self.email} ({self.state})"


_D = Delivery.State
# The worker's moves of a mailing's deliveries, many rows at a time under a claim token
# (`mailings.delivery`, with `Workflow.update_rows`): a queued row — or one being sent
# whose worker's lease ran out — is claimed; a claimed row ends sent, back in the queue
# (a transient error, with a delay), failed, or suppressed (the address may not be mailed
# now). Cancelling a mailing suppresses the rows not yet claimed.
DELIVERY_WORKFLOW = Workflow(
    Delivery.State,
    (
        Move(
            "claim",
            frozenset({_D.QUEUED, _D.SENDING}),
            _D.SENDING,
            _("Взять в отправку"),
            button=False,
        ),
        Move("send", frozenset({_D.SENDING}), _D.SENT, _("Письмо принято сервером"), button=False),
        Move("retry", frozenset({_D.SENDING}), _D.QUEUED, _("Повторить позже"), button=False),
        Move("fail", frozenset({_D.SENDING}), _D.FAILED, _("Письмо не принято"), button=False),
        Move(
            "suppress",
            frozenset({_D.SENDING}),
            _D.SUPPRESSED,
            _("Не отправлять: адрес недоступен"),
            button=False,
        ),
        Move(
            "cancel",
            frozenset({_D.QUEUED}),
            _D.SUPPRESSED,
            _("Не отправлять: рассылка отменена"),
            button=False,
        ),
    ),
    model=Delivery,
    field="state",
)


class SendingAllowance(models.Model):
    """How many messages the whole platform has handed to the mail provider in the current
    minute (`mailings.platform_limit`): one row per limit, shared by every worker of every
    mailing on every machine."""

    name = models.CharField(max_length=50, unique=True)
    minute = models.BigIntegerField(default=0)  # minutes since the epoch
    used = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.used} in minute {self.minute}"
