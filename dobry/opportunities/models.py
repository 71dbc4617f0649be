"""External grant calls (Фонд президентских грантов, the krai's contests, corporate
contests, foundations) kept by the resource centre, and the organisations that follow
them. Dates are the city's local dates: a call closes on the 15th in the city's day."""

from collections.abc import Collection
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_today
from dobry.core.models import TimeStampedModel
from dobry.core.search import SearchableModel, search_words
from dobry.core.text_limits import LONG, MESSAGE, SHORT
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def published(self) -> "OpportunityQuerySet":
        """Every call staff have not withdrawn: current and past."""
        return self.filter(withdrawn=False)

    def current(self) -> "OpportunityQuerySet":
        """Calls whose deadline has not passed in the city's today."""
        return self.published().filter(closes_on__gte=local_today())

    def past(self) -> "OpportunityQuerySet":
        """The archive: calls whose deadline has passed, and those staff withdrew."""
        return self.filter(Q(closes_on__lt=local_today()) | Q(withdrawn=True))

    def search(self, text: str) -> "OpportunityQuerySet":
        return search_words(self, text)


class Opportunity(SearchableModel, TimeStampedModel):
    """One call of an external grant programme, as the resource centre describes it."""

    SEARCH_FIELDS = ("title", "organiser", "summary", "region")

    class Programme(models.TextChoices):
        PRESIDENTIAL = "presidential", _("Фонд президентских грантов")
        REGIONAL = "regional", _("Конкурсы края")
        CORPORATE = "corporate", _("Корпоративные конкурсы")
        FOUNDATION = "foundation", _("Благотворительные фонды")
        OTHER = "other", _("Другие программы")

    title = models.CharField(_("название конкурса"), max_length=300)
    programme = models.CharField(_("программа"), max_length=20, choices=Programme.choices)
    organiser = models.CharField(_("организатор"), max_length=300)
    summary = models.TextField(_("о конкурсе"), blank=True, max_length=LONG)
    areas = models.JSONField(_("направления"), default=list, blank=True)
    eligible_kinds = models.JSONField(_("кто может подать"), default=list, blank=True)
    min_registered_months = models.PositiveSmallIntegerField(
        _("зарегистрирована не менее, месяцев"), default=0
    )
    region = models.CharField(
        _("регион заявителя"),
        max_length=200,
        blank=True,
        help_text=_("Пусто — заявители из любого региона."),
    )
    min_amount = models.DecimalField(
        _("грант от, ₽"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    max_amount = models.DecimalField(
        _("грант до, ₽"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    opens_on = models.DateField(_("приём заявок с"), null=True, blank=True)
    closes_on = models.DateField(_("приём заявок до"))
    url = models.URLField(_("сайт конкурса"), max_length=500, blank=True)
    documents = models.TextField(_("документы"), blank=True, max_length=SHORT)
    tips = models.TextField(_("советы ресурсного центра"), blank=True, max_length=MESSAGE)
    withdrawn = models.BooleanField(_("в архиве"), default=False)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "pk"]
        verbose_name = _("внешний грантовый конкурс")
        verbose_name_plural = _("внешние грантовые конкурсы")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(min_amount__lte=models.F("max_amount")),
                name="opportunity_amounts_in_order",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(opens_on__lte=models.F("closes_on")),
                name="opportunity_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """The order of the amounts and of the dates is said at their fields, in words, by
        the catalogue's service (`services.catalogue._problems`) — for the page's form too;
        the check constraints stay the database's guard. Validated here, their raw
        «Нарушено ограничение "opportunity_amounts_in_order"» was the only error the form
        showed, above it."""

    @property
    def is_open(self) -> bool:
        today = local_today()
        started = self.opens_on is None or self.opens_on <= today
        return not self.withdrawn and started and self.closes_on >= today

    @property
    def is_past(self) -> bool:
        return self.withdrawn or self.closes_on < local_today()

    def area_labels(self) -> list[str]:
        return [str(Area(area).label) for area in self.areas if area in Area.values]

    def kind_labels(self) -> list[str]:
        return [
            str(Organization.Kind(kind).label)
            for kind in self.eligible_kinds
            if kind in Organization.Kind.values
        ]


class Follow(models.Model):
    """An organisation follows a call: its owners and editors are reminded 14 and 3 days
    before the deadline (each reminder claimed once by its column)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="follows")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="followed_opportunities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_early_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_late_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["opportunity__closes_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organization"], name="unique_opportunity_follow"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.opportunity}"
