"""A grant after the award: the agreement with a winner, its budget lines, tranches,
reports due, amendments and versions (the rules: `dobry.grants.agreements`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.request_values import validate_date_range
from dobry.core.text_limits import MESSAGE
from dobry.core.workflow import Move, Workflow

# Amounts are roubles to the kopeck (max_digits=14, decimal_places=2), as in the whole app.


class Agreement(TimeStampedModel):
    """The agreement on a grant (соглашение о предоставлении гранта) with one winner of a
    competition: what the commission awarded, the budget lines and the project's calendar
    and indicators copied from the submitted application (its last version), the payment
    schedule in tranches and the reporting schedule (`ReportDue`). Every approved change
    makes a new `version` (the snapshot in `AgreementVersion`), every change an audit
    entry. Amounts in roubles."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("проект соглашения")
        SIGNED = "signed", _("подписано")
        TERMINATED = "terminated", _("расторгнуто")
        CLOSED = "closed", _("проект завершён")

    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField(_("номер соглашения"), max_length=40, unique=True)
    concluded_on = models.DateField(_("дата соглашения"), validators=[validate_date_range])
    amount = models.DecimalField(_("сумма гранта, ₽"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("начало проекта"), validators=[validate_date_range])
    ends_on = models.DateField(_("окончание проекта"), validators=[validate_date_range])
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(
        _("дата подписания"), null=True, blank=True, validators=[validate_date_range]
    )
    signed_scan = PrivateFileField(
        _("подписанное соглашение (скан)"),
        prefix="grants/agreements",
        name_field="signed_scan_name",
        blank=True,
    )
    signed_scan_name = models.CharField(max_length=200, blank=True)
    # The targets, copied from the application: [{title, starts_on, ends_on}] and
    # [{name, unit, target}] (cells as the applicant typed them, dates ISO).
    calendar = models.JSONField(_("календарный план"), default=list, blank=True)
    indicators = models.JSONField(_("показатели"), default=list, blank=True)
    version = models.PositiveSmallIntegerField(_("редакция"), default=1)
    terminated_reason = models.TextField(_("причина расторжения"), blank=True, max_length=MESSAGE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The platform's own objects the project runs on: its reports are pre-filled from
    # their records (`reporting.figures`); the organisation's campaigns name the agreement
    # themselves (`charity.Campaign.agreement`).
    events = models.ManyToManyField(
        "events.Event",
        blank=True,
        related_name="grant_agreements",
        verbose_name=_("мероприятия проекта"),
    )
    programmes = models.ManyToManyField(
        "helprequests.Programme",
        blank=True,
        related_name="grant_agreements",
        verbose_name=_("программы помощи проекта"),
    )

    class Meta:
        ordering = ["-concluded_on", "number", "id"]
        verbose_name = _("соглашение о гранте")
        verbose_name_plural = _("соглашения о грантах")

    def __str__(self) -> str:
        return f"№ {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("grants:agreement", args=[self.pk])


_G = Agreement.Status
AGREEMENT_WORKFLOW = Workflow(
    Agreement.Status,
    (
        Move(
            "sign",
            frozenset({_G.DRAFT}),
            _G.SIGNED,
            _("Отметить подписание"),
            refused=_("Соглашение уже подписано."),
        ),
        Move(
            "terminate",
            frozenset({_G.DRAFT, _G.SIGNED}),
            _G.TERMINATED,
            _("Расторгнуть соглашение"),
            needs_reason=True,
            refused=_("Соглашение уже расторгнуто."),
            reason_prompt=_("Укажите причину расторжения."),
        ),
        Move(
            "close",
            frozenset({_G.SIGNED}),
            _G.CLOSED,
            _("Завершить проект"),
            refused=_("Проект завершают по подписанному соглашению."),
            button=False,  # made by accepting the final report
        ),
    ),
    model=Agreement,
)


class BudgetLine(models.Model):
    """A line of the agreement's budget: an item of the application's budget and the grant
    money it gets. `signed_amount` is its amount when the agreement was made: moving money
    between lines is limited against it (`DOBRY_GRANT_BUDGET_SHIFT_PERCENT`)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("№"))
    item = models.CharField(_("статья расходов"), max_length=1000)
    amount = models.DecimalField(_("сумма, ₽"), max_digits=14, decimal_places=2)
    signed_amount = models.DecimalField(
        _("сумма по соглашению, ₽"), max_digits=14, decimal_places=2
    )

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("статья бюджета")
        verbose_name_plural = _("статьи бюджета")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="unique_budget_line")
        ]

    def __str__(self) -> str:
        return self.item


class Tranche(models.Model):
    """A payment of the grant on the schedule: planned, requested by the grantee (or staff
    for them), paid with the payment order's number."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланирован")
        REQUESTED = "requested", _("запрошен")
        PAID = "paid", _("перечислен")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("№"))
    planned_on = models.DateField(_("плановая дата"), validators=[validate_date_range])
    amount = models.DecimalField(_("сумма, ₽"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    requested_at = models.DateTimeField(_("запрошен"), null=True, blank=True)
    paid_on = models.DateField(
        _("дата перечисления"), null=True, blank=True, validators=[validate_date_range]
    )
    payment_order = models.CharField(_("номер платёжного поручения"), max_length=40, blank=True)

    class Meta:
        ordering = ["agreement", "position", "id"]
        verbose_name = _("транш")
        verbose_name_plural = _("транши")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="unique_tranche")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.position}"


_T = Tranche.Status
TRANCHE_WORKFLOW = Workflow(
    Tranche.Status,
    (
        Move(
            "request",
            frozenset({_T.PLANNED}),
            _T.REQUESTED,
            _("Запросить транш"),
            refused=_("Транш уже запрошен."),
        ),
        Move(
            "pay",
            frozenset({_T.REQUESTED}),
            _T.PAID,
            _("Отметить перечисление"),
            refused=_("Перечисляют запрошенный транш."),
        ),
    ),
    model=Tranche,
)


class ReportDue(models.Model):
    """A report the agreement asks for: its kind, the end of the period it covers and the
    day it is due — `working_days` working days of the production calendar after the
    period's end (`agreements.schedule`)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("промежуточный отчёт")
        FINAL = "final", _("итоговый отчёт")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports_due")
    kind = models.CharField(_("отчёт"), max_length=20, choices=Kind.choices)
    period_ends_on = models.DateField(_("период по"), validators=[validate_date_range])
    working_days = models.PositiveSmallIntegerField(_("рабочих дней на отчёт"))
    due_on = models.DateField(_("срок сдачи"), validators=[validate_date_range])
    # When the grantee was reminded 14 and 3 days before `due_on` (each at most once:
    # `services.agreements.remind_report_deadlines`).
    reminded_14_at = models.DateTimeField(null=True, blank=True)
    reminded_3_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "due_on", "id"]
        verbose_name = _("срок отчёта")
        verbose_name_plural = _("сроки отчётов")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="unique_report_due")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_kind_display()}"


class Amendment(models.Model):
    """A change to a signed agreement (дополнительное соглашение): money moved between
    budget lines within the limit, or the project's end and the tranches' dates, always
    with a reason; staff approve or reject it. `changes` holds what is asked: for a budget
    change {"lines": {"<line id>": "<roubles>"}}, for dates {"ends_on": "<ISO date>",
    "tranches": {"<tranche id>": "<ISO date>"}}. An approval applies it and makes the
    agreement's next version (`version`)."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("перераспределение между статьями бюджета")
        DATES = "dates", _("изменение сроков")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("на рассмотрении")
        APPROVED = "approved", _("утверждено")
        REJECTED = "rejected", _("отклонено")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("что меняется"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.TextField(_("обоснование"), max_length=MESSAGE)
    changes = models.JSONField(_("изменения"), default=dict)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("комментарий"), blank=True, max_length=MESSAGE)
    version = models.PositiveSmallIntegerField(_("редакция"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-proposed_at", "-id"]
        verbose_name = _("изменение соглашения")
        verbose_name_plural = _("изменения соглашений")

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_kind_display()}"


_M = Amendment.Status
AMENDMENT_WORKFLOW = Workflow(
    Amendment.Status,
    (
        Move(
            "approve",
            frozenset({_M.PROPOSED}),
            _M.APPROVED,
            _("Утвердить изменение"),
            refused=_("Решение по изменению уже принято."),
        ),
        Move(
            "reject",
            frozenset({_M.PROPOSED}),
            _M.REJECTED,
            _("Отклонить изменение"),
            needs_reason=True,
            refused=_("Решение по изменению уже принято."),
            reason_prompt=_("Объясните, почему изменение отклонено."),
        ),
    ),
    model=Amendment,
)


class AgreementVersion(models.Model):
    """The agreement as it stood after a change: version 1 when it was made, then one per
    approved amendment. `snapshot`: {amount, starts_on, ends_on, lines: [{id, item,
    amount}], tranches: [{id, planned_on, amount}], reports: [{kind, due_on}]} (roubles
    as text, dates ISO)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("редакция"))
    snapshot = models.JSONField(default=dict)
    reason = models.TextField(_("основание"), blank=True, max_length=MESSAGE)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-version"]
        verbose_name = _("редакция соглашения")
        verbose_name_plural = _("редакции соглашений")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="unique_agreement_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.version}"


__all__ = [
    "AGREEMENT_WORKFLOW",
    "AMENDMENT_WORKFLOW",
    "TRANCHE_WORKFLOW",
    "Agreement",
    "AgreementVersion",
    "Amendment",
    "BudgetLine",
    "ReportDue",
    "Tranche",
]
