"""The forms of a grant after the award: the production calendar's transfers, signing,
tranches and amendments of an agreement."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.text_limits import MESSAGE, text_limit
from dobry.core.uploads import SCAN_ACCEPT
from dobry.grants.forms import DATE
from dobry.grants.models import (
    AMENDMENT_WORKFLOW,
    TRANCHE_WORKFLOW,
    Agreement,
    Amendment,
    Tranche,
    WorkCalendarDay,
)


class CalendarDayForm(forms.Form):
    """A day of the government's decree on transfers of days off."""

    day = form_fields.DateField(label=_("День"), widget=DATE)
    working = form_fields.TypedChoiceField(
        label=_("Что это за день"),
        choices=[("0", _("выходной (перенесён на этот день)")), ("1", _("рабочий день"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Основание"),
        help_text=_("Например: постановление Правительства РФ о переносе выходных дней."),
        max_length=text_limit(WorkCalendarDay, "note"),
        required=False,
    )


class SignForm(forms.Form):
    signed_on = form_fields.DateField(label=_("Дата подписания"), widget=DATE)
    file = forms.FileField(
        label=_("Скан подписанного соглашения"),
        help_text=_("PDF, JPEG или PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
    )


class ReasonForm(forms.Form):
    """A move that needs a reason: terminating an agreement, rejecting an amendment."""

    reason = forms.CharField(
        label=_("Причина"), max_length=MESSAGE, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrancheMoveForm(forms.Form):
    """A tranche's button: requested, or paid with the payment order."""

    move = form_fields.MoveChoiceField(TRANCHE_WORKFLOW)
    payment_order = forms.CharField(
        label=_("Номер платёжного поручения"),
        max_length=text_limit(Tranche, "payment_order"),
        required=False,
    )
    paid_on = form_fields.DateField(label=_("Дата перечисления"), widget=DATE, required=False)


class AmendmentDecisionForm(forms.Form):
    move = form_fields.MoveChoiceField(AMENDMENT_WORKFLOW)
    comment = forms.CharField(
        label=_("Комментарий"),
        help_text=_("Для отклонения обязателен."),
        max_length=MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AmendmentForm(forms.Form):
    """A proposed change: the kind, the reason, and for a budget change the new amount of
    each line (`line_<id>`), for dates the project's end and each unpaid tranche's day
    (`tranche_<id>`). The fields are the agreement's own."""

    kind = forms.ChoiceField(label=_("Что меняется"), choices=Amendment.Kind.choices)
    reason = forms.CharField(
        label=_("Обоснование"), max_length=MESSAGE, widget=forms.Textarea(attrs={"rows": 3})
    )
    ends_on = form_fields.DateField(label=_("Окончание проекта"), widget=DATE, required=False)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = agreement.ends_on
        self.line_names: dict[str, int] = {}
        self.tranche_names: dict[str, int] = {}
        for line in agreement.lines.all():
            name = f"line_{line.pk}"
            self.fields[name] = form_fields.DecimalField(
                label=_("%(item)s, ₽") % {"item": line.item},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=line.amount,
                required=False,
            )
            self.line_names[name] = line.pk
        for tranche in agreement.tranches.all():
            if tranche.status != Tranche.Status.PAID:
                name = f"tranche_{tranche.pk}"
                self.fields[name] = form_fields.DateField(
                    label=_("Транш № %(n)s: плановая дата") % {"n": tranche.position},
                    widget=DATE,
                    initial=tranche.planned_on,
                    required=False,
                )
                self.tranche_names[name] = tranche.pk

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as `amendment_propose` takes them."""
        data = self.cleaned_data
        if data["kind"] == Amendment.Kind.BUDGET:
            lines = {
                pk: data[name] for name, pk in self.line_names.items() if data.get(name) is not None
            }
            return {"kind": data["kind"], "reason": data["reason"], "lines": lines}
        tranches = {
            pk: data[name] for name, pk in self.tranche_names.items() if data.get(name) is not None
        }
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "ends_on": data.get("ends_on"),
            "tranches": tranches,
        }
