"""Applications to a competition, the versions frozen at each submission and their
attachments; how organisers screen them (`APPLICATION_WORKFLOW`)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import MESSAGE
from dobry.core.workflow import Move, Workflow
from dobry.grants.models.competitions import Competition
from dobry.organizations.models import Organization


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


class ResidentsVoteScore(models.Model):
    """The points an application earned in a residents' vote that the competition's rules
    make one of its criteria (docs/grants.md «Народная поддержка»): written when the vote
    is closed — never while it runs — and added to the experts' score in the ranking. The
    source names the vote so that anyone can check the figures on its published tally."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("заявка"),
        on_delete=models.CASCADE,
        related_name="residents_vote",
    )
    votes = models.PositiveIntegerField(_("голосов"))
    ballots = models.PositiveIntegerField(_("бюллетеней"))
    share = models.DecimalField(_("доля голосов, %"), max_digits=5, decimal_places=1)
    points = models.DecimalField(_("баллы"), max_digits=10, decimal_places=4)
    max_points = models.DecimalField(_("наибольший балл"), max_digits=6, decimal_places=2)
    source = models.CharField(_("голосование"), max_length=300)
    source_url = models.CharField(_("адрес итогов"), max_length=200)
    counted_at = models.DateTimeField(_("итоги подведены"))

    class Meta:
        verbose_name = _("народная поддержка заявки")
        verbose_name_plural = _("народная поддержка заявок")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.points}"
