"""The shape of the programme's forms; meaning (who, places, limits) is the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.festivals.models import Programme, StandApplication, StandPlace
from dobry.organizations.models import Organization


class ProgrammeFilterForm(forms.Form):
    """The programme's filters: a track, a venue and a day of this programme."""

    track = form_fields.ModelChoiceField(
        label=_("Направление"), required=False, queryset=None, empty_label=_("любое")
    )
    venue = form_fields.ModelChoiceField(
        label=_("Площадка"), required=False, queryset=None, empty_label=_("любая")
    )
    day = forms.ChoiceField(label=_("День"), required=False)

    def __init__(
        self, *args: Any, programme: Programme, days: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = programme.tracks.all()  # type: ignore[attr-defined]
        self.fields["venue"].queryset = programme.venues.all()  # type: ignore[attr-defined]
        self.fields["day"].choices = [("", _("все дни")), *days]  # type: ignore[attr-defined]


class StandForm(forms.ModelForm):
    """An organisation's application for a stand."""

    organization = form_fields.ModelChoiceField(label=_("Организация"), queryset=None)

    class Meta:
        model = StandApplication
        fields = ["organization", "exhibit", "needs"]
        widgets = {"exhibit": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class StandDecisionForm(forms.Form):
    """The organisers' decision on a stand: a place to accept it on, or a reason."""

    action = forms.ChoiceField(
        choices=[("accept", _("Принять")), ("decline", _("Отклонить"))], widget=forms.HiddenInput
    )
    place = form_fields.ModelChoiceField(label=_("Место"), required=False, queryset=None)
    reason = forms.CharField(label=_("Причина отказа"), required=False, max_length=2000)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = StandPlace.objects.filter(  # type: ignore[attr-defined]
            venue__programme=programme
        ).select_related("venue")


def organization_choices(organizations: Any) -> Any:
    return Organization.objects.filter(pk__in=organizations.values("pk")).order_by("name")


class ChooseForm(forms.Form):
    """A session's button: add to «моё расписание», take out, register, give the place back."""

    action = forms.ChoiceField(
        choices=[
            ("select", _("В моё расписание")),
            ("unselect", _("Убрать из расписания")),
            ("register", _("Записаться")),
            ("unregister", _("Отменить запись")),
        ]
    )
    back = forms.ChoiceField(
        choices=[("", _("программа")), ("mine", _("моё расписание"))], required=False
    )


class ResolutionForm(forms.Form):
    """A section's resolution: its key points and the document."""

    summary = forms.CharField(
        label=_("Главное"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(label=_("Документ"), required=False)
