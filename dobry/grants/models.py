"""Municipal grant competitions: the call, applications and their frozen versions, the
expert pool, reviews, allocation runs, the commission's meeting and its decision.

The rules that turn reviews into scores, a ranking and awards are in `rules.py`; this
module only stores what those rules read and what they decided."""

import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_date, local_time
from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import DOCUMENT, MESSAGE, SHORT
from dobry.core.validators import validate_person_name
from dobry.core.workflow import Move, Workflow
from dobry.grants.rules import Rule
from dobry.organizations.models import Organization


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


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> "ApplicationQuerySet":
        return self.exclude(status__in=(Application.Status.DRAFT, Application.Status.WITHDRAWN))

    def admitted(self) -> "ApplicationQuerySet":
        return self.filter(status=Application.Status.ADMITTED)

    def of(self, user: object) -> "ApplicationQuerySet":
        """Applications the user made, or made by an organisation they lead or edit."""
        return self.filter(
            Q(applicant=user)
            | Q(
                organization__memberships__user=user,
                organization__memberships__role__in=("owner", "editor"),
            )
        ).distinct()


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("подана")
        WITHDRAWN = "withdrawn", _("отозвана")
        RETURNED = "returned", _("возвращена на доработку")
        ADMITTED = "admitted", _("допущена")
        NOT_ADMITTED = "not_admitted", _("не допущена")

    EDITABLE = (Status.DRAFT, Status.WITHDRAWN, Status.RETURNED)

    class Result(models.TextChoices):
        """What the commission's decision made of an admitted application."""

        WINNER = "winner", _("победитель")
        RESERVE = "reserve", _("в резерве")
        NOT_SUPPORTED = "not_supported", _("не поддержана")

    class Reason(models.TextChoices):
        DOCUMENTS = "documents", _("не хватает документов или сведений")
        APPLICANT = "applicant", _("заявитель не соответствует условиям")
        SCOPE = "scope", _("проект не соответствует направлениям конкурса")
        BUDGET = "budget", _("бюджет вне пределов или не обоснован")
        DUPLICATE = "duplicate", _("повторная заявка")
        LATE = "late", _("доработка не представлена в срок")
        OTHER = "other", _("другое")

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заявитель"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="grant_applications",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(_("регистрационный номер"), max_length=30, blank=True)
    title = models.CharField(_("название проекта"), max_length=300, blank=True)
    content = models.JSONField(_("содержание"), default=dict, blank=True)
    requested_amount = models.DecimalField(
        _("запрошено, ₽"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    submitted_at = models.DateTimeField(_("подана"), null=True, blank=True)
    screening_reason = models.CharField(
        _("причина"), max_length=20, choices=Reason.choices, blank=True
    )
    screening_comment = models.TextField(_("комментарий"), blank=True, max_length=MESSAGE)
    returned_until = models.DateTimeField(_("доработать до"), null=True, blank=True)
    was_returned = models.BooleanField(_("уже возвращалась"), default=False)
    score = models.DecimalField(_("балл"), max_digits=10, decimal_places=4, null=True, blank=True)
    awarded_amount = models.DecimalField(
        _("грант, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    award_tier = models.CharField(_("основание"), max_length=20, blank=True)
    result = models.CharField(_("итог"), max_length=20, choices=Result.choices, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["competition", "number", "id"]
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "number"],
                condition=~Q(number=""),
                name="unique_application_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('черновик')} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])

    @property
    def applicant_name(self) -> str:
        if self.organization_id:
            return str(self.organization)
        return self.applicant.display_name if self.applicant else ""


_A = Application.Status
# The applicant submits a draft (again after withdrawing it, or after a return for
# correction) and withdraws it before the call closes; the organisers screen a submitted
# application: admitted, returned for correction (once) or not admitted — a returned one
# not corrected in time, or an admitted one found ineligible, is not admitted either.
APPLICATION_WORKFLOW = Workflow(
    Application.Status,
    (
        Move(
            "submit",
            frozenset({_A.DRAFT, _A.WITHDRAWN, _A.RETURNED}),
            _A.SUBMITTED,
            _("Подать заявку"),
        ),
        Move("withdraw", frozenset({_A.SUBMITTED}), _A.WITHDRAWN, _("Отозвать заявку")),
        Move("admit", frozenset({_A.SUBMITTED}), _A.ADMITTED, _("допустить к экспертизе")),
        Move("return", frozenset({_A.SUBMITTED}), _A.RETURNED, _("вернуть на доработку")),
        Move(
            "not_admit",
            frozenset({_A.SUBMITTED, _A.RETURNED, _A.ADMITTED}),
            _A.NOT_ADMITTED,
            _("не допускать"),
        ),
    ),
    model=Application,
)
SCREENING_MOVES = ("admit", "return", "not_admit")


class ApplicationVersion(models.Model):
    """What the applicant submitted, frozen: experts and the protocol read this."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    content = models.JSONField(default=dict)
    requested_amount = models.DecimalField(max_digits=14, decimal_places=2)
    attachments = models.JSONField(default=list)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.version}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("что это"), max_length=200)
    file = PrivateFileField(_("файл"), prefix="grants/applications", name_field="original_name")
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("приложение к заявке")
        verbose_name_plural = _("приложения к заявке")

    def __str__(self) -> str:
        return self.title


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


class AllocationRun(models.Model):
    """One run of the allocation rule over the ranking: trial runs for discussion, the
    final one for the commission. The result is stored as computed, with the lottery's
    seed, so it can be checked later."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="allocation_runs"
    )
    final = models.BooleanField(_("итоговое"), default=False)
    rule = models.CharField(max_length=20)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("распределение")
        verbose_name_plural = _("распределения")

    def __str__(self) -> str:
        return f"{self.competition} {local_time(self.created_at):%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """The commission's meeting that decides the awards."""

    class Decision(models.TextChoices):
        ADOPTED = "adopted", _("распределение утверждено")
        AMENDED = "amended", _("распределение утверждено с изменениями")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("дата и время"))
    place = models.CharField(_("место"), max_length=300, blank=True)
    agenda = models.TextField(_("повестка"), blank=True, max_length=MESSAGE)
    quorum = models.PositiveSmallIntegerField(_("кворум, человек"))
    allocation = models.ForeignKey(
        AllocationRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("решение"), max_length=20, choices=Decision.choices, blank=True)
    amendments = models.JSONField(_("изменения"), default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_protocol = PrivateFileField(
        _("подписанный протокол"),
        prefix="grants/protocols",
        name_field="signed_protocol_name",
        blank=True,
    )
    signed_protocol_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("заседание комиссии")
        verbose_name_plural = _("заседания комиссии")

    def __str__(self) -> str:
        return f"{self.competition}: {local_date(self.held_at):%d.%m.%Y}"


class CommissionMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("председатель")
        SECRETARY = "secretary", _("секретарь")
        MEMBER = "member", _("член комиссии")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("ФИО"), max_length=200, validators=[validate_person_name])
    position = models.CharField(_("должность"), max_length=300, blank=True)
    sector = models.CharField(_("кого представляет"), max_length=20, choices=Expert.Sector.choices)
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(_("присутствует"), default=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("член комиссии")
        verbose_name_plural = _("члены комиссии")

    def __str__(self) -> str:
        return self.name
