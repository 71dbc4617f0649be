"""City initiatives: a resident's or an initiative group's idea for the city, the stages it
goes through on its way to being done, and the public timeline of those stages.

Supports, the team, comments and follows live in `civic.models.people`."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_today
from dobry.core.models import District, TimeStampedModel
from dobry.core.search import SearchableModel, search_words
from dobry.core.subqueries import related_count
from dobry.core.text_limits import MESSAGE, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

# The most money an initiative may say it needs, roubles.
MAX_MONEY = Decimal("100000000")


def initiative_photo_path(instance: models.Model, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"initiatives/{secrets.token_hex(8)}.{extension}"


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def search(self, text: str) -> "InitiativeQuerySet":
        return search_words(self, text)

    def with_counts(self) -> "InitiativeQuerySet":
        """Each initiative with `support_count` and `team_count`, as they are now
        (supports taken back and places left are not counted)."""
        from dobry.civic.models.people import Support, TeamMember  # they point at Initiative

        return self.annotate(
            support_count=related_count(
                Support.objects.filter(withdrawn_at__isnull=True), initiative="pk"
            ),
            team_count=related_count(
                TeamMember.objects.filter(withdrawn_at__isnull=True), initiative="pk"
            ),
        )

    def awaiting_response(self) -> "InitiativeQuerySet":
        """Over the support threshold, the resource centre not yet answered."""
        return self.filter(threshold_reached_at__isnull=False, responded_at__isnull=True)

    def response_overdue(self) -> "InitiativeQuerySet":
        """Awaiting the resource centre's answer past its day (the city's local date)."""
        return self.awaiting_response().filter(response_due__lt=local_today())


class Initiative(SearchableModel, TimeStampedModel):
    """A problem of the city and an idea how to solve it, with what it needs."""

    SEARCH_FIELDS = ("title", "problem", "idea", "address")

    class Status(models.TextChoices):
        IDEA = "idea", _("идея")
        GATHERING = "gathering", _("сбор поддержки")
        RESOURCE_CENTRE = "resource_centre", _("в ресурсном центре")
        IN_PROGRESS = "in_progress", _("воплощается")
        DONE = "done", _("сделано")

    title = models.CharField(_("название"), max_length=200)
    problem = models.TextField(_("проблема"), max_length=MESSAGE)
    idea = models.TextField(_("идея: как решить"), max_length=MESSAGE)
    district = models.ForeignKey(
        District, verbose_name=_("район"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("адрес или место"), max_length=300, blank=True)
    area = models.CharField(_("направление"), max_length=30, choices=Area.choices, blank=True)
    needed_skills = models.CharField(
        _("нужны люди с навыками"),
        max_length=500,
        blank=True,
        help_text=_("Через запятую: столяр, фотограф, юрист…"),
    )
    needed_money = models.DecimalField(
        _("нужно денег, ₽"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_MONEY)],
    )
    needed_premises = models.CharField(_("нужно помещение"), max_length=300, blank=True)
    needed_materials = models.CharField(_("нужны материалы"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("инициативная группа"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        help_text=_("Если за инициативой стоит инициативная группа или организация."),
    )
    status = models.CharField(_("этап"), max_length=20, choices=Status.choices, default=Status.IDEA)
    # The support threshold: the moment it was reached (once), the city's local date by
    # which the resource centre answers, and its public answer.
    threshold_reached_at = models.DateTimeField(_("набрана поддержка"), null=True, blank=True)
    response_due = models.DateField(_("ответить до"), null=True, blank=True)
    response = models.TextField(_("ответ ресурсного центра"), max_length=MESSAGE, blank=True)
    responded_at = models.DateTimeField(_("ответ дан"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The coordinators' reminders of the answer, each claimed once (`remind_responses`).
    response_reminded_at = models.DateTimeField(
        _("напомнили об ответе"), null=True, blank=True, editable=False
    )
    response_overdue_noted_at = models.DateTimeField(
        _("сообщили о просрочке ответа"), null=True, blank=True, editable=False
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # the list's order, read from the index instead of sorting every initiative
        indexes = [models.Index(fields=["-created_at", "-id"], name="initiative_newest_first")]
        verbose_name = _("инициатива")
        verbose_name_plural = _("инициативы")
        constraints = [
            models.CheckConstraint(
                condition=Q(needed_money__isnull=True) | Q(needed_money__gt=0),
                name="initiative_money_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("civic:initiative", args=[self.pk])

    @property
    def skills(self) -> list[str]:
        return skill_words(self.needed_skills)

    @property
    def response_overdue(self) -> bool:
        """Over the threshold, unanswered, and its day (the city's local date) passed."""
        return (
            self.threshold_reached_at is not None
            and self.responded_at is None
            and self.response_due is not None
            and self.response_due < local_today()
        )


def skill_words(text: str) -> list[str]:
    """The skills of a comma-separated list, lower case, without blanks or repeats."""
    words = (word.strip().lower() for word in text.replace(";", ",").split(","))
    return list(dict.fromkeys(word for word in words if word))


class TimelineEntry(TimeStampedModel):
    """One line of an initiative's public timeline: a move to a stage (`moved_from` set),
    or a result with an optional photo."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="timeline"
    )
    stage = models.CharField(_("этап"), max_length=20, choices=Initiative.Status.choices)
    moved_from = models.CharField(
        _("с этапа"), max_length=20, choices=Initiative.Status.choices, blank=True
    )
    note = models.TextField(_("что произошло"), max_length=SHORT, blank=True)
    photo = models.ImageField(_("фото"), upload_to=initiative_photo_path, blank=True)
    photo_alt = models.CharField(
        _("описание фото"),
        max_length=300,
        blank=True,
        help_text=_("Что на фото — для тех, кто его не видит. Обязательно, если есть фото."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("запись хроники инициативы")
        verbose_name_plural = _("хроника инициатив")
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="timeline_photo_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.stage}"

    @property
    def is_move(self) -> bool:
        return bool(self.moved_from)


_S = Initiative.Status
INITIATIVE_WORKFLOW = Workflow(
    Initiative.Status,
    (
        Move("gather", frozenset({_S.IDEA}), _S.GATHERING, _("Начать сбор поддержки")),
        Move(
            "to_centre",
            frozenset({_S.IDEA, _S.GATHERING}),
            _S.RESOURCE_CENTRE,
            _("Взять в ресурсный центр"),
        ),
        Move(
            "start",
            frozenset({_S.GATHERING, _S.RESOURCE_CENTRE}),
            _S.IN_PROGRESS,
            _("Начать воплощение"),
        ),
        Move("finish", frozenset({_S.IN_PROGRESS}), _S.DONE, _("Отметить: сделано")),
        Move("reopen", frozenset({_S.DONE}), _S.IN_PROGRESS, _("Вернуть в работу")),
    ),
    model=Initiative,
)
