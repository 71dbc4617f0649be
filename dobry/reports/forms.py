from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.reports.models import Indicator, ReachFigure
from dobry.reports.periods import FIRST_REPORT_YEAR, LAST_YEAR, last_full_year

KIND_CHOICES = [
    ("year", _("год")),
    ("quarter", _("квартал")),
    ("month", _("месяц")),
    ("custom", _("свой период")),
]


class PeriodForm(forms.Form):
    """The period picker; the values are read by `periods.from_query`."""

    kind = forms.ChoiceField(label=_("Период"), choices=KIND_CHOICES, required=False)
    year = form_fields.IntegerField(
        label=_("Год"), min_value=FIRST_REPORT_YEAR, max_value=LAST_YEAR, required=False
    )
    quarter = forms.ChoiceField(
        label=_("Квартал"), choices=[(n, str(n)) for n in range(1, 5)], required=False
    )
    month = forms.ChoiceField(
        label=_("Месяц"), choices=[(n, f"{n:02d}") for n in range(1, 13)], required=False
    )
    from_ = form_fields.DateField(
        label=_("С"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    to = form_fields.DateField(
        label=_("По"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = self.fields.pop("from_")
        self.fields["year"].initial = last_full_year()


class TargetsForm(forms.Form):
    def __init__(self, *args: Any, targets: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in Indicator:
            self.fields[indicator.value] = form_fields.DecimalField(
                label=indicator.label,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=targets.get(indicator.value),
            )


class InfrastructureMarkForm(forms.Form):
    """The button «учесть» / «учитывается» of the infrastructure list: the value to set."""

    value = form_fields.TypedChoiceField(
        label=_("Учитывать в показателе 1"),
        choices=[("1", _("учитывать")), ("0", _("не учитывать"))],
        coerce=lambda value: value == "1",
    )


class ReachForm(form_fields.ModelForm):
    class Meta:
        model = ReachFigure
        fields = ["date", "channel", "title", "source", "people"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
