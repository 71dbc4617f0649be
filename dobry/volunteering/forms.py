from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.models import District
from dobry.core.text_limits import text_limit
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering.models import HOURS_WORKFLOW, HoursEntry, VolunteerProfile
from dobry.volunteering.services.hours import (
    HOURS_DECIMAL_PLACES,
    MAX_HOURS_PER_ENTRY,
    MIN_HOURS_PER_ENTRY,
)

WEEKDAYS = [
    ("mon", _("пн")),
    ("tue", _("вт")),
    ("wed", _("ср")),
    ("thu", _("чт")),
    ("fri", _("пт")),
    ("sat", _("сб")),
    ("sun", _("вс")),
]
PARTS = [("morning", _("утро")), ("day", _("день")), ("evening", _("вечер"))]
# Lazy, like its parts: an f-string would fix the labels in Russian when the module loads.
AVAILABILITY_CHOICES = [
    (f"{d}-{p}", format_lazy("{}, {}", dl, pl)) for d, dl in WEEKDAYS for p, pl in PARTS
]


class VolunteerProfileForm(form_fields.ModelForm):
    interests = forms.MultipleChoiceField(
        label=_("Что мне интересно"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("Когда могу помогать"),
        choices=AVAILABILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    districts = form_fields.ModelMultipleChoiceField(
        label=_("Районы, где удобно помогать"),
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = VolunteerProfile
        fields = [
            "date_of_birth",
            "skills",
            "interests",
            "districts",
            "availability",
            "languages",
            "woman",
            "emergency_contact",
            "public_profile",
            "weekly_digest",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "skills": forms.Textarea(attrs={"rows": 2}),
        }

    accessibility_needs = forms.CharField(
        label=_("Что нужно для моего участия"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Например: нужен пандус, сопровождающий, крупный шрифт. Это сведения о здоровье: "
            "их принимают только с письменным согласием и видят только организаторы ваших "
            "смен."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accessibility_needs"].initial = self.instance.accessibility_needs or ""


class ClaimForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Организация, которой вы помогли"), queryset=Organization.objects.verified()
    )
    day = form_fields.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = form_fields.DecimalField(
        label=_("Часов"),
        min_value=MIN_HOURS_PER_ENTRY,
        max_value=MAX_HOURS_PER_ENTRY,
        decimal_places=HOURS_DECIMAL_PLACES,
    )
    area = forms.ChoiceField(
        label=_("Направление"), choices=[("", "—"), *Area.choices], required=False
    )
    description = forms.CharField(
        max_length=text_limit(HoursEntry, "description"),
        label=_("Что вы сделали"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    hours = form_fields.DecimalField(
        label=_("Часов"),
        min_value=MIN_HOURS_PER_ENTRY,
        max_value=MAX_HOURS_PER_ENTRY,
        decimal_places=HOURS_DECIMAL_PLACES,
        required=False,
    )
    reason = forms.CharField(
        label=_("Причина (если часы изменены или отклонены)"), required=False, max_length=2000
    )
    thanks = forms.CharField(label=_("Благодарность волонтёру"), required=False, max_length=2000)


class HoursMoveForm(forms.Form):
    """The decision button pressed on the hours queue: a move of `HOURS_WORKFLOW`."""

    # «Подтвердить» with other hours in the field sends «adjust»
    decision = form_fields.MoveChoiceField(HOURS_WORKFLOW, names=("confirm", "adjust", "decline"))


class ParentalConsentForm(forms.Form):
    email = forms.EmailField(label=_("Email волонтёра"))
    parent_name = forms.CharField(label=_("ФИО родителя (законного представителя)"), max_length=200)
    received = forms.BooleanField(
        label=_("Письменное согласие получено и хранится в ресурсном центре")
    )
