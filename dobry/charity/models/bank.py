"""An organisation's bank details: where donations go. Validated when entered (the control
keys of the accounts against the БИК, `core.validators`), so the payment QR code built from
them (`charity.payment_qr`) always leads to a real account."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dobry.charity.payment_qr import MAX_LENGTHS, Payee
from dobry.core.models import TimeStampedModel
from dobry.core.validators import (
    is_valid_correspondent_account,
    is_valid_settlement_account,
    validate_bic,
    validate_inn,
    validate_kpp,
)
from dobry.organizations.models import Organization


class BankDetails(TimeStampedModel):
    """The payee of an organisation's payment QR codes (ГОСТ Р 56042-2014 required details
    plus ИНН and КПП)."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="bank_details",
    )
    payee_name = models.CharField(
        _("получатель"),
        max_length=MAX_LENGTHS["Name"],
        help_text=_("Полное наименование, как в договоре с банком."),
    )
    account = models.CharField(_("расчётный счёт"), max_length=20)
    bank_name = models.CharField(_("банк"), max_length=MAX_LENGTHS["BankName"])
    bic = models.CharField(_("БИК"), max_length=9, validators=[validate_bic])
    correspondent_account = models.CharField(_("корреспондентский счёт"), max_length=20)
    inn = models.CharField(_("ИНН"), max_length=12, validators=[validate_inn])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[validate_kpp])

    class Meta:
        verbose_name = _("банковские реквизиты")
        verbose_name_plural = _("банковские реквизиты")

    def __str__(self) -> str:
        return f"{self.payee_name}, {self.bank_name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        bic_ok = len(self.bic) == 9
        if bic_ok and not is_valid_settlement_account(self.account, self.bic):
            errors["account"] = _(
                "Номер счёта не сходится с БИК: проверьте 20 цифр счёта и БИК банка."
            )
        if bic_ok and not is_valid_correspondent_account(self.correspondent_account, self.bic):
            errors["correspondent_account"] = _(
                "Корреспондентский счёт не сходится с БИК: он начинается с 30101 и "
                "кончается тремя последними цифрами БИК."
            )
        if errors:
            raise ValidationError(errors)

    def payee(self) -> Payee:
        return Payee(
            name=self.payee_name,
            account=self.account,
            bank_name=self.bank_name,
            bic=self.bic,
            correspondent_account=self.correspondent_account,
            inn=self.inn,
            kpp=self.kpp,
        )
