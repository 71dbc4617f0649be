"""Donations and the bank statements they are read from.

A statement (`StatementImport`) is uploaded, previewed and committed; committing writes
one `StatementEntry` per incoming payment — never twice: an entry's fingerprint (date,
amount, payer and document number) is unique per organisation. An entry whose purpose
carries a campaign's code becomes a `Donation` at once; the others wait in the queue for a
person, who assigns a campaign, a general donation, or marks it as not a donation.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dobry.charity.models.campaigns import Campaign
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization


def payer_key(*, inn: str = "", name: str = "", account: str = "") -> str:
    """One payer's key for counting donors once: the ИНН when there is one, else the name
    (case and spaces ignored) with the account. A hash — the key keeps no name."""
    identity = inn.strip() or " ".join(name.lower().split()) + "|" + account.strip()
    return hashlib.sha256(identity.encode()).hexdigest()


class StatementImport(TimeStampedModel):
    """One uploaded bank statement, from upload (preview) to commit. The file itself is not
    kept: what it held is read at upload into `content`."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("предпросмотр")
        COMMITTED = "committed", _("загружена")
        DISCARDED = "discarded", _("отменена")

    class Format(models.TextChoices):
        ONEC = "onec", _("1С «Клиент-банк»")
        TABLE = "table", _("таблица CSV или XLSX")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="statement_imports",
    )
    filename = models.CharField(_("имя файла"), max_length=200, blank=True)
    format = models.CharField(_("формат"), max_length=10, choices=Format.choices)
    # What the file held, until the commit (then emptied: the entries keep what is needed):
    # a 1C file's incoming payments `{"lines": [...]}`, a table's `{"headers", "rows"}`.
    content = models.JSONField(default=dict, blank=True, editable=False)
    # For a table: field → column index chosen in the preview (`charity.statements.tables`).
    mapping = models.JSONField(_("столбцы"), default=dict, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lines_read = models.PositiveIntegerField(_("платежей в файле"), default=0)
    duplicates = models.PositiveIntegerField(_("уже загруженных"), default=0)
    matched = models.PositiveIntegerField(_("сопоставлено"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("выписка")
        verbose_name_plural = _("выписки")

    def __str__(self) -> str:
        return self.filename or str(self.pk)


class StatementEntry(TimeStampedModel):
    """One incoming payment of a committed statement."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("ждёт разбора")
        MATCHED = "matched", _("пожертвование")
        IGNORED = "ignored", _("не пожертвование")

    organization = models.ForeignKey(
        Organization, verbose_name=_("организация"), on_delete=models.CASCADE, related_name="+"
    )
    statement = models.ForeignKey(
        StatementImport,
        verbose_name=_("выписка"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    line = models.PositiveIntegerField(_("строка файла"))
    paid_on = models.DateField(_("дата поступления"))
    amount = models.DecimalField(_("сумма, ₽"), max_digits=14, decimal_places=2)
    payer = models.CharField(_("плательщик"), max_length=300, blank=True)
    payer_inn = models.CharField(_("ИНН плательщика"), max_length=12, blank=True)
    payer_account = models.CharField(_("счёт плательщика"), max_length=20, blank=True)
    purpose = models.CharField(_("назначение платежа"), max_length=500, blank=True)
    number = models.CharField(_("номер документа"), max_length=20, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.UNMATCHED
    )
    suggested_campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("похоже на сбор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["paid_on", "line", "pk"]
        verbose_name = _("платёж из выписки")
        verbose_name_plural = _("платежи из выписок")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fingerprint"], name="statement_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount} {self.payer}"


def entry_fingerprint(*, paid_on: object, amount: Decimal, payer: str, number: str) -> str:
    """The same payment in two statements has one fingerprint (issue 14: same date,
    amount, payer and document number)."""
    text = f"{paid_on}|{amount:.2f}|{' '.join(payer.lower().split())}|{number.strip()}"
    return hashlib.sha256(text.encode()).hexdigest()


class DonationQuerySet(models.QuerySet["Donation"]):
    def of_year(self, year: int) -> "DonationQuerySet":
        return self.filter(received_on__year=year)


class Donation(TimeStampedModel):
    """Money received by an organisation, for a campaign or for its work in general."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("внесено вручную")
        STATEMENT = "statement", _("из выписки банка")

    organization = models.ForeignKey(
        Organization, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("сбор"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    amount = models.DecimalField(_("сумма, ₽"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("дата поступления"))
    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    entry = models.OneToOneField(
        StatementEntry,
        verbose_name=_("платёж из выписки"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donation",
    )
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("жертвователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    donor_name = models.CharField(_("имя жертвователя"), max_length=300, blank=True)
    # Counts each donor once: «u<id>» for an account, else `payer_key` of the payer.
    donor_key = models.CharField(max_length=70, editable=False)
    is_anonymous = models.BooleanField(_("не называть публично"), default=True)
    note = models.CharField(_("примечание"), max_length=SHORT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("пожертвование")
        verbose_name_plural = _("пожертвования")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount}"


class DonorCode(models.Model):
    """A signed-in donor's personal code for one campaign: the QR's purpose carries it, so
    the payment found in the statement is theirs (their donations page, thank-you letter,
    tax statement) without asking the bank who paid."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="donor_codes"
    )
    code = models.CharField(max_length=30, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "donor"], name="donor_code_once"),
        ]

    def __str__(self) -> str:
        return self.code


_E = StatementEntry.Status
ENTRY_WORKFLOW = Workflow(
    StatementEntry.Status,
    (
        Move("assign", frozenset({_E.UNMATCHED}), _E.MATCHED, _("Записать как пожертвование")),
        Move("ignore", frozenset({_E.UNMATCHED}), _E.IGNORED, _("Не пожертвование")),
        Move("restore", frozenset({_E.IGNORED}), _E.UNMATCHED, _("Вернуть в разбор")),
    ),
    initial=frozenset({_E.MATCHED}),
    model=StatementEntry,
)
_S = StatementImport.Status
STATEMENT_WORKFLOW = Workflow(
    StatementImport.Status,
    (
        Move("commit", frozenset({_S.PREVIEW}), _S.COMMITTED, _("Загрузить платежи")),
        Move("discard", frozenset({_S.PREVIEW}), _S.DISCARDED, _("Отменить")),
    ),
    model=StatementImport,
)
