"""The expert pool of a competition and the experts' reviews of applications
(`REVIEW_WORKFLOW`: scored once, or set aside for a conflict of interest)."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.text_limits import MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.grants.models.applications import Application
from dobry.grants.models.competitions import Competition


class Expert(models.Model):
    """A member of a competition's expert pool, with the sector they represent."""

    class Sector(models.TextChoices):
        NKO = "nko", _("представитель НКО")
        ADMINISTRATION = "administration", _("администрация")
        BUSINESS = "business", _("бизнес")
        ENTERPRISE = "enterprise", _("предприятие")
        INDEPENDENT = "independent", _("независимый эксперт")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_seats"
    )
    sector = models.CharField(_("кого представляет"), max_length=20, choices=Sector.choices)
    is_active = models.BooleanField(_("работает"), default=True)

    class Meta:
        ordering = ["competition", "id"]
        verbose_name = _("эксперт")
        verbose_name_plural = _("эксперты")
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="unique_expert_seat")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_sector_display()})"


class ReviewQuerySet(models.QuerySet["Review"]):
    def active(self) -> "ReviewQuerySet":
        """Reviews that count: assigned or submitted, not given up for a conflict."""
        return self.exclude(status=Review.Status.CONFLICT)


class Review(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("назначена")
        CONFLICT = "conflict", _("конфликт интересов")
        SUBMITTED = "submitted", _("оценка отправлена")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    declared_at = models.DateTimeField(_("заявил об отсутствии конфликта"), null=True, blank=True)
    conflict_reason = models.TextField(_("конфликт интересов"), blank=True, max_length=SHORT)
    scores = models.JSONField(_("баллы"), default=dict, blank=True)
    comments = models.JSONField(_("комментарии к критериям"), default=dict, blank=True)
    comment = models.TextField(_("общий комментарий"), blank=True, max_length=MESSAGE)
    total = models.DecimalField(_("сумма"), max_digits=10, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    for_divergence = models.BooleanField(_("назначен из-за расхождения"), default=False)
    assigned_at = models.DateTimeField(auto_now_add=True)
    # The competition's review deadline, or a replacement's own (`grants.deadlines`).
    due_at = models.DateTimeField(_("оценить до"))
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["application", "assigned_at", "id"]
        verbose_name = _("экспертная оценка")
        verbose_name_plural = _("экспертные оценки")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="unique_review")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.expert}"

    def get_absolute_url(self) -> str:
        return reverse("grants:review", args=[self.pk])

    def overdue(self, now: datetime | None = None) -> bool:
        """Still unsubmitted at its own due time."""
        return self.status == Review.Status.ASSIGNED and (now or timezone.now()) >= self.due_at


_R = Review.Status
# The expert submits the scores once, or declares a conflict of interest before opening
# the application; a conflict found later sets the review aside (by the expert or the
# organisers), its scores kept for the record.
REVIEW_WORKFLOW = Workflow(
    Review.Status,
    (
        Move(
            "submit",
            frozenset({_R.ASSIGNED}),
            _R.SUBMITTED,
            _("Отправить оценку"),
            refused=_("Оценка уже отправлена."),
        ),
        Move(
            "declare_conflict",
            frozenset({_R.ASSIGNED}),
            _R.CONFLICT,
            _("Заявить о конфликте интересов"),
            needs_reason=True,
            reason_prompt=_("Коротко опишите конфликт интересов."),
        ),
        Move(
            "recuse",
            frozenset({_R.ASSIGNED, _R.SUBMITTED}),
            _R.CONFLICT,
            _("Отвести эксперта"),
            needs_reason=True,
            refused=_("Эксперт уже отведён от этой заявки."),
            reason_prompt=_("Укажите причину отвода эксперта."),
        ),
    ),
    model=Review,
)
