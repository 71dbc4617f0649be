"""A grant competition: the call, its terms and stages (`COMPETITION_WORKFLOW`) and the
criteria experts score against."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import DOCUMENT, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.grants.rules import Rule


def new_seed() -> str:
    return secrets.token_hex(8)


class Section(models.TextChoices):
    """Optional sections of the application form; the core (title, summary, problem and
    target group, goals and tasks) is always asked."""

    CALENDAR = "calendar", _("Календарный план")
    INDICATORS = "indicators", _("Результаты и показатели")
    BUDGET = "budget", _("Бюджет")
    TEAM = "team", _("Команда")
    PARTNERS = "partners", _("Партнёры")
    ATTACHMENTS = "attachments", _("Приложения")


class CompetitionQuerySet(models.QuerySet["Competition"]):
    def public(self) -> "CompetitionQuerySet":
        return self.exclude(status=Competition.Status.DRAFT)


class Competition(TimeStampedModel):
    class Kind(models.TextChoices):
        SONKO = "sonko", _("для СО НКО")
        INDIVIDUALS = "individuals", _("для жителей")
        INITIATIVE_GROUPS = "initiative_groups", _("для инициативных групп")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        PUBLISHED = "published", _("объявлен")
        DECIDED = "decided", _("решение принято")
        RESULTS = "results", _("итоги опубликованы")

    kind = models.CharField(_("вид конкурса"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("название"), max_length=300)
    rules = models.TextField(_("положение о конкурсе"), blank=True, max_length=DOCUMENT)
    rules_document = PrivateFileField(
        _("положение (документ)"),
        prefix="grants/rules",
        name_field="rules_document_name",
        blank=True,
    )
    rules_document_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    budget = models.DecimalField(_("фонд конкурса, ₽"), max_digits=14, decimal_places=2)
    min_grant = models.DecimalField(
        _("минимальный грант, ₽"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    max_grant = models.DecimalField(_("максимальный грант, ₽"), max_digits=14, decimal_places=2)
    eligible_kinds = models.JSONField(
        _("кто может подать (виды организаций)"), default=list, blank=True
    )
    local_only = models.BooleanField(_("только организации муниципалитета"), default=True)
    min_registered_months = models.PositiveSmallIntegerField(
        _("зарегистрирована не менее, месяцев"), default=0
    )
    one_per_applicant = models.BooleanField(_("одна заявка от заявителя"), default=True)
    applications_open = models.DateTimeField(_("приём заявок с"))
    applications_close = models.DateTimeField(_("приём заявок до"))
    review_deadline = models.DateTimeField(_("экспертиза до"))
    results_on = models.DateField(_("итоги"))
    # The period the supported projects run in (the city's dates): each activity of an
    # application's calendar plan must lie within it. Empty: not limited.
    projects_from = models.DateField(_("проекты — с"), null=True, blank=True)
    projects_until = models.DateField(_("проекты — по"), null=True, blank=True)
    sections = models.JSONField(_("разделы заявки"), default=list, blank=True)
    experts_per_application = models.PositiveSmallIntegerField(_("экспертов на заявку"), default=2)
    divergence_percent = models.DecimalField(
        _("порог расхождения, % от максимума"), max_digits=5, decimal_places=2, default=30
    )
    comment_below = models.PositiveSmallIntegerField(
        _("комментарий обязателен при оценке ниже"), default=5
    )
    passing_score = models.DecimalField(
        _("проходной балл"), max_digits=8, decimal_places=2, default=Decimal(0)
    )
    allocation_rule = models.CharField(
        _("правило распределения"),
        max_length=20,
        choices=[
            (Rule.RANK_GREEDY.value, _("по рейтингу, пропуская не помещающиеся")),
            (Rule.RANK_STOP.value, _("по рейтингу до первой не помещающейся")),
        ],
        default=Rule.RANK_GREEDY.value,
    )
    partial_funding = models.BooleanField(_("частичное финансирование"), default=True)
    blind_review = models.BooleanField(_("слепая экспертиза"), default=False)
    lottery_winners = models.PositiveSmallIntegerField(_("грантов по жребию"), default=0)
    lottery_amount = models.DecimalField(
        _("размер гранта по жребию, ₽"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    lottery_min_score = models.DecimalField(
        _("жребий: минимальный балл"), max_digits=8, decimal_places=2, default=Decimal(0)
    )
    lottery_seed = models.CharField(_("зерно жребия"), max_length=64, default=new_seed)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("организаторы"),
        blank=True,
        related_name="managed_competitions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    results_published_at = models.DateTimeField(_("итоги опубликованы"), null=True, blank=True)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-applications_open", "-id"]
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:competition", args=[self.pk])

    @property
    def for_organizations(self) -> bool:
        return self.kind != self.Kind.INDIVIDUALS

    def accepting(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.applications_open <= moment < self.applications_close  # type: ignore[operator]
        )

    def has_section(self, section: str) -> bool:
        return section in self.sections

    @property
    def ranking_budget(self) -> Decimal:
        """The fund left for the ranking once the lottery tier is set aside."""
        return self.budget - self.lottery_winners * self.lottery_amount


_C = Competition.Status
# The status moves of a competition (what each stage allows in between: `grants.stages`).
COMPETITION_WORKFLOW = Workflow(
    Competition.Status,
    (
        Move(
            "announce",
            frozenset({_C.DRAFT}),
            _C.PUBLISHED,
            _("Объявить конкурс"),
            refused=_("Конкурс уже объявлен."),
        ),
        Move(
            "decide",
            frozenset({_C.PUBLISHED}),
            _C.DECIDED,
            _("Утвердить решение комиссии"),
            refused=_("Решение по конкурсу принято: это уже не меняется."),
        ),
        Move(
            "publish_results",
            frozenset({_C.DECIDED}),
            _C.RESULTS,
            _("Опубликовать итоги"),
            refused=_("Итоги публикуют после решения комиссии."),
        ),
    ),
    model=Competition,
    public_names={_C.DECIDED: _("подводятся итоги")},
)


# A criterion's weight and highest score: the service (`criterion_save`), so the page, and the
# API's schema share them (issue 11: the page took a weight of 999.99, the API at most 100).
MAX_CRITERION_WEIGHT = Decimal(100)
MAX_CRITERION_SCORE = 100
# The same for a competition's whole-number terms (`competitions._limit_problems`).
COMPETITION_LIMITS = {
    "min_registered_months": 600,
    "experts_per_application": 10,
    "comment_below": 100,
    "lottery_winners": 1000,
}


class Criterion(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("№"), default=0)
    title = models.CharField(_("критерий"), max_length=300)
    description = models.TextField(_("что оценивается"), blank=True, max_length=SHORT)
    weight = models.DecimalField(_("вес"), max_digits=5, decimal_places=2, default=Decimal(1))
    max_score = models.PositiveSmallIntegerField(_("максимальный балл"), default=10)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("критерий оценки")
        verbose_name_plural = _("критерии оценки")

    def __str__(self) -> str:
        return self.title
