"""In-kind needs and pledges: an organisation asks for goods, services, premises or
transport in quantities; residents and businesses pledge part of a need; the organisation
confirms what it received. What is still needed never goes below zero: a pledge is taken
under the need's row lock (`core.locking`), like a place on a shift."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.charity.models.campaigns import Campaign
from dobry.core.models import TimeStampedModel
from dobry.core.search import SearchableModel
from dobry.core.text_limits import LONG, SHORT
from dobry.core.workflow import Move, Workflow
from dobry.organizations.models import Organization

# The most one need may ask for, in its units: more than any city need, well inside a column.
MAX_QUANTITY = 100_000
# The largest value a received pledge may carry (`Pledge.value`: 14 digits, 2 decimals): a
# need's whole estimate — per unit × quantity — must fit it (`needs.need_save`).
MAX_ESTIMATE = Decimal("999999999999.99")


class NeedQuerySet(models.QuerySet["Need"]):
    def public(self) -> "NeedQuerySet":
        return self.filter(organization__status=Organization.Status.VERIFIED).exclude(
            status=Need.Status.DRAFT
        )


class Need(SearchableModel, TimeStampedModel):
    """What an organisation needs in kind, by a deadline (the city's local date)."""

    SEARCH_FIELDS = ("title", "description")

    class Kind(models.TextChoices):
        GOODS = "goods", _("вещи")
        SERVICES = "services", _("услуги")
        PREMISES = "premises", _("помещение")
        TRANSPORT = "transport", _("транспорт")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        OPEN = "open", _("нужна помощь")
        CLOSED = "closed", _("закрыта")

    organization = models.ForeignKey(
        Organization, verbose_name=_("организация"), on_delete=models.PROTECT, related_name="needs"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("сбор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    title = models.CharField(_("что нужно"), max_length=200)
    description = models.TextField(_("подробности"), blank=True, max_length=LONG)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.GOODS)
    unit = models.CharField(
        _("единица"), max_length=20, help_text=_("Например: шт., кг, часов, поездок.")
    )
    quantity = models.PositiveIntegerField(
        _("сколько нужно"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit_value = models.DecimalField(
        _("оценка за единицу, ₽"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Для отчёта о полученной помощи вещами; можно не указывать."),
    )
    deadline = models.DateField(_("нужно до"))
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("нужда")
        verbose_name_plural = _("нужды")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="need_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("charity:need", args=[self.pk])


class Pledge(TimeStampedModel):
    """A part of a need someone promised to bring; received when the organisation says so."""

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("обещано")
        RECEIVED = "received", _("получено")
        CANCELLED = "cancelled", _("отменено")

    need = models.ForeignKey(
        Need, verbose_name=_("нужда"), on_delete=models.PROTECT, related_name="pledges"
    )
    pledger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто обещал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    on_behalf = models.ForeignKey(
        Organization,
        verbose_name=_("от организации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Если помогает организация или предприятие, от имени которого вы пишете."),
    )
    quantity = models.PositiveIntegerField(
        _("сколько"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    note = models.CharField(_("комментарий"), max_length=SHORT, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PLEDGED
    )
    received_on = models.DateField(_("получено"), null=True, blank=True)
    value = models.DecimalField(
        _("оценка, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("обещание помощи")
        verbose_name_plural = _("обещания помощи")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="pledge_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.need} × {self.quantity}"


_N = Need.Status
NEED_WORKFLOW = Workflow(
    Need.Status,
    (
        Move("open", frozenset({_N.DRAFT, _N.CLOSED}), _N.OPEN, _("Опубликовать")),
        Move("close", frozenset({_N.OPEN}), _N.CLOSED, _("Закрыть")),
    ),
    public_names={_N.OPEN: _("нужна помощь"), _N.CLOSED: _("закрыта")},
    model=Need,
)
_P = Pledge.Status
PLEDGE_WORKFLOW = Workflow(
    Pledge.Status,
    (
        Move("receive", frozenset({_P.PLEDGED}), _P.RECEIVED, _("Получено")),
        Move("cancel", frozenset({_P.PLEDGED}), _P.CANCELLED, _("Отменить")),
    ),
    model=Pledge,
)
