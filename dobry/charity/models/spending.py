"""How an organisation spent the money it received: spending items, each with its date,
amount, budget purpose and — usually — its receipt (a cheque, an act, an invoice).

The item's figures are public with its campaign (anyone sees where the donations went);
its receipt is a private file (`core.files`) that anyone may read only once the
organisation publishes it, item by item (`receipt_published`): a receipt may carry what
should not be public (a supplier's bank details, a person's name), and the organisation
decides. Replacing the file takes the publication back."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dobry.charity.models.campaigns import MAX_GOAL, Campaign
from dobry.core.files import PrivateFileField
from dobry.core.models import TimeStampedModel
from dobry.organizations.models import Organization


class SpendingItem(TimeStampedModel):
    """One payment an organisation made: for a campaign, or for its work in general."""

    class Purpose(models.TextChoices):
        """Budget lines of a charitable organisation's report (ФЗ-135 ст. 16, 19): help
        given, what was bought or paid for it, and administrative costs apart."""

        AID = "aid", _("адресная помощь благополучателям")
        GOODS = "goods", _("товары и оборудование")
        SERVICES = "services", _("работы и услуги")
        EVENTS = "events", _("проведение мероприятий")
        STAFF = "staff", _("оплата труда")
        ADMIN = "admin", _("административные расходы")
        OTHER = "other", _("прочие расходы")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="spending",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("сбор"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spending",
    )
    spent_on = models.DateField(_("дата расхода"))
    amount = models.DecimalField(
        _("сумма, ₽"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_GOAL)],
    )
    purpose = models.CharField(
        _("статья расходов"), max_length=20, choices=Purpose.choices, default=Purpose.GOODS
    )
    description = models.CharField(
        _("что оплачено"),
        max_length=300,
        help_text=_("Например: вертикализатор для центра, счёт № 15 от поставщика."),
    )
    receipt = PrivateFileField(
        _("подтверждающий документ"),
        prefix="charity/receipts",
        name_field="receipt_name",
        blank=True,
    )
    receipt_name = models.CharField(_("имя файла"), max_length=200, blank=True, editable=False)
    receipt_published = models.BooleanField(_("документ опубликован"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("расход")
        verbose_name_plural = _("расходы")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive"),
            models.CheckConstraint(
                condition=Q(receipt_published=False) | ~Q(receipt=""),
                name="spending_published_receipt_exists",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.amount} {self.description}"[:120]
