"""The grantee's reports on the agreement's schedule (`ReportDue`): one report per report
due, its versions (the grantee's reply to a return is the next version; submitted ones
stay as they were), receipts and photos; staff accept or return it with a comment per
section, and an accepted final report closes the project with a rating. The rules of the
content: `dobry.grants.reporting`."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.workflow import Move, Workflow
from dobry.grants.models.agreements import Agreement, BudgetLine, ReportDue


class GrantReport(TimeStampedModel):
    """A report of the grantee for one of the agreement's reports due (`kind`: at most one
    of each kind). `version` is the version being worked on or decided (`ReportVersion`);
    `submitted_late` says whether its last submission came after the due day (the city's
    date); `rating` is the final report's mark when it is accepted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на проверке")
        RETURNED = "returned", _("возвращён на доработку")
        ACCEPTED = "accepted", _("принят")

    class Rating(models.TextChoices):
        # the Presidential Grants Fund's marks of a finished project
        SUCCESSFUL = "successful", _("успешный проект")
        SATISFACTORY = "satisfactory", _("удовлетворительный проект")
        UNSATISFACTORY = "unsatisfactory", _("неудовлетворительный проект")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("отчёт"), max_length=20, choices=ReportDue.Kind.choices)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    submitted_at = models.DateTimeField(_("сдан"), null=True, blank=True)
    submitted_late = models.BooleanField(_("сдан с опозданием"), default=False)
    decided_at = models.DateTimeField(_("решение"), null=True, blank=True)
    rating = models.CharField(
        _("оценка проекта"), max_length=20, choices=Rating.choices, blank=True
    )
    # The accepted version's counts, as the grantee reported them (without names): the
    # passport's indicators 3 and 6 add the final reports' (`reports.indicators`).
    participants = models.PositiveIntegerField(_("участники, человек"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("благополучатели, человек"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "kind", "id"]
        verbose_name = _("отчёт по гранту")
        verbose_name_plural = _("отчёты по грантам")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="unique_grant_report")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("grants:report", args=[self.pk])


_R = GrantReport.Status
REPORT_WORKFLOW = Workflow(
    GrantReport.Status,
    (
        Move(
            "submit",
            frozenset({_R.DRAFT, _R.RETURNED}),
            _R.SUBMITTED,
            _("Сдать отчёт"),
            refused=_("Отчёт уже сдан."),
        ),
        Move(
            "return",
            frozenset({_R.SUBMITTED}),
            _R.RETURNED,
            _("Вернуть на доработку"),
            needs_reason=True,
            refused=_("Вернуть можно сданный отчёт."),
            reason_prompt=_("Напишите, что доработать, хотя бы по одному разделу."),
        ),
        Move(
            "accept",
            frozenset({_R.SUBMITTED}),
            _R.ACCEPTED,
            _("Принять отчёт"),
            refused=_("Принять можно сданный отчёт."),
        ),
    ),
    model=GrantReport,
)


class ReportVersion(models.Model):
    """One version of a report: what the grantee wrote (`content`, by section — see
    `reporting.content`) and the figures the platform counted from its own records
    (`figures`, refreshed until submission, then kept); staff's decision on it with a
    comment per section (`comments`: section → text). A submitted version is never
    changed again."""

    class Decision(models.TextChoices):
        RETURNED = "returned", _("возвращён на доработку")
        ACCEPTED = "accepted", _("принят")

    report = models.ForeignKey(GrantReport, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("версия"))
    content = models.JSONField(_("содержание"), default=dict, blank=True)
    figures = models.JSONField(_("данные платформы"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("сдан"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("решение"), max_length=20, choices=Decision.choices, blank=True)
    comments = models.JSONField(_("комментарии по разделам"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("решение"), null=True, blank=True)

    class Meta:
        ordering = ["report", "-version"]
        verbose_name = _("версия отчёта")
        verbose_name_plural = _("версии отчётов")
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class ReportFile(models.Model):
    """A receipt (for a budget line) or a photo attached to a report's version. Both are
    private files: receipts carry people's names and bank details; photos show the
    project's participants and recipients (children, people who got help), whose consent
    to publication the platform does not hold — the grantee publishes photos themselves
    (publications section). Files of a submitted version stay with it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("подтверждающий документ")
        PHOTO = "photo", _("фотография")

    report = models.ForeignKey(GrantReport, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField(_("версия"))
    kind = models.CharField(_("что это"), max_length=20, choices=Kind.choices)
    line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("статья бюджета"),
    )
    file = PrivateFileField(_("файл"), prefix="grants/reports", name_field="file_name")
    file_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "version", "kind", "id"]
        verbose_name = _("файл отчёта")
        verbose_name_plural = _("файлы отчётов")

    def __str__(self) -> str:
        return self.file_name or self.get_kind_display()


__all__ = ["REPORT_WORKFLOW", "GrantReport", "ReportFile", "ReportVersion"]
