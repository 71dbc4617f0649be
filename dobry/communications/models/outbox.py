"""The outbox row every personal message is first written as (an email, a message by the
city's bot): a unique key, a state (queued → sending → sent / failed / suppressed), the
attempts and the earliest time of the next one. The moves are one workflow shape for
every outbox (`outbox_workflow`); the worker makes them through `communications.outbox`."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dobry.core.workflow import Move, Workflow


class OutboxState(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("ошибка")
    SUPPRESSED = "suppressed", _("не отправлено (получатель недоступен)")


class OutboxMessage(models.Model):
    """An outbox row: a crash or a retry never loses or duplicates the message. A failed
    row is tried again once `not_before` has passed (null: at the next retry round), up to
    the outbox's limit of attempts."""

    State = OutboxState

    key = models.CharField(max_length=200, unique=True)
    # The notification kind (or "account", "consent_code"): decides whether the message may
    # reach a suppressed address and which unsubscribe link it carries.
    kind = models.CharField(_("вид"), max_length=80, blank=True)
    state = models.CharField(max_length=12, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


def outbox_workflow(
    model: type[OutboxMessage], *, claim: Promise, send: Promise, fail: Promise, suppress: Promise
) -> Workflow:
    """The moves of an outbox row, all made by the worker, named for its kind of message:
    a queued row — or a failed one, retried — is claimed for sending or suppressed; a row
    being sent ends sent or failed. A sent or suppressed row never moves again."""
    s = OutboxState
    return Workflow(
        OutboxState,
        (
            Move("claim", frozenset({s.QUEUED, s.FAILED}), s.SENDING, claim, button=False),
            Move("send", frozenset({s.SENDING}), s.SENT, send, button=False),
            Move("fail", frozenset({s.SENDING}), s.FAILED, fail, button=False),
            Move("suppress", frozenset({s.QUEUED, s.FAILED}), s.SUPPRESSED, suppress, button=False),
        ),
        model=model,
        field="state",
    )
