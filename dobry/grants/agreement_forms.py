"""The forms of a grant after the award: the production calendar's transfers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.text_limits import text_limit
from dobry.grants.forms import DATE
from dobry.grants.models import WorkCalendarDay


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
