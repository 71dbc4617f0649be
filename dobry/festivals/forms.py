"""The shape of the programme's forms; meaning (who, places, limits) is the services'."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.events.forms import DateTimeInput
from dobry.festivals.models import (
    MAX_PLACE_NUMBER,
    Programme,
    Session,
    Speaker,
    StandApplication,
    StandPlace,
    Track,
    Venue,
)
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


# --- the organisers' pages that build the programme ----------------------------------------


class _PartForm(form_fields.ModelForm):
    """A part of the programme the organisers build: `values()` are the service's."""

    class Meta:
        fields: list[str] = []

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class _PositionedForm(_PartForm):
    """A track or venue: its position in the lists (empty — 0, first)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].validators.append(MaxValueValidator(1000))

    def clean_position(self) -> int:
        return self.cleaned_data["position"] or 0


class TrackForm(_PositionedForm):
    """A track (at the Civic Forum, a section)."""

    class Meta:
        model = Track
        fields = ["title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"position": _("Меньшее число — выше в списке.")}


class VenueForm(_PositionedForm):
    """A venue: a hall or a park zone (where stands stand)."""

    class Meta:
        model = Venue
        fields = ["title", "kind", "description", "position"]
        help_texts = {"position": _("Меньшее число — выше в списке.")}


class PlacesForm(forms.Form):
    """Numbered stand places «from … to …» of a zone."""

    first = form_fields.IntegerField(label=_("С номера"), min_value=1, max_value=MAX_PLACE_NUMBER)
    last = form_fields.IntegerField(label=_("По номер"), min_value=1, max_value=MAX_PLACE_NUMBER)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first is not None and last is not None and last < first:
            self.add_error("last", _("Последний номер не может быть меньше первого."))
        return data


class SessionForm(_PartForm):
    """A session: its time on the city's clock, venue, track, places by registration."""

    class Meta:
        model = Session
        fields = ["title", "description", "starts_at", "ends_at", "venue", "track", "capacity"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = programme.venues.all()  # type: ignore[attr-defined]
        self.fields["track"].queryset = programme.tracks.all()  # type: ignore[attr-defined]
        self.fields["track"].empty_label = _("без направления")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", _("Окончание должно быть позже начала."))
        return data

    def _post_clean(self) -> None:
        """The model's checks are the service's (it names the field that fails)."""


class SpeakerForm(form_fields.ModelForm):
    """A speaker or moderator of a session."""

    class Meta:
        model = Speaker
        fields = ["name", "role", "about"]


class SessionStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("cancel", _("Отменить сессию")), ("restore", _("Вернуть в программу"))]
    )


class AttendanceForm(forms.Form):
    action = forms.ChoiceField(choices=[("present", _("Пришёл")), ("absent", _("Снять отметку"))])
