from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.models import District
from dobry.events.models import (
    MAX_SHIFT_CAPACITY,
    Event,
    EventMaterial,
    EventSeries,
    Registration,
    Shift,
)
from dobry.events.services.attendance import MARKS_REASON_LENGTH
from dobry.events.services.events import EVENT_FIELDS, SHIFT_FIELDS
from dobry.events.services.registrations import MAX_GROUP_SEATS
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering.models import Qualification


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(form_fields.ModelForm):
    areas = forms.MultipleChoiceField(
        label=_("Направления"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cover = form_fields.PictureField(
        label=_("Обложка (PNG, JPEG или WebP, до 2 МБ)"), required=False
    )

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["areas"] = [link.area for link in self.instance.area_links.all()]

    def _post_clean(self) -> None:
        pass  # the service validates the model

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}


class NewEventForm(EventForm):
    organization = form_fields.ModelChoiceField(
        label=_("Организатор"), queryset=Organization.objects.none()
    )

    field_order = ["organization"]

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ShiftForm(form_fields.ModelForm):
    class Meta:
        model = Shift
        fields = [*SHIFT_FIELDS, "qualifications"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "qualifications": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["qualifications"].queryset = Qualification.objects.all()  # type: ignore[attr-defined]
        self.fields["qualifications"].required = False
        # the browser's hint; the model's validator refuses (`events.models`)
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": MAX_SHIFT_CAPACITY})

    def _post_clean(self) -> None:
        pass

    def service_fields(self) -> dict[str, Any]:
        """The fields for the service. A time the page shows to the minute and that was not
        changed is left out: a start stored with seconds (sent by the API) came back
        without them and read as a move — «Смена не может начинаться в прошлом.» for a
        started shift whose start nobody touched."""
        untouched = {
            name
            for name in ("starts_at", "ends_at")
            if self.instance.pk
            and getattr(self.instance, name) is not None
            and getattr(self.instance, name).replace(second=0, microsecond=0)
            == self.cleaned_data[name]
        }
        return {name: self.cleaned_data[name] for name in SHIFT_FIELDS if name not in untouched}


class GroupSignupForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Кто идёт"),
        choices=[c for c in Registration.Group.choices if c[0] != Registration.Group.INDIVIDUAL],
    )
    seats = form_fields.IntegerField(
        label=_("Сколько человек, включая вас"), min_value=2, max_value=MAX_GROUP_SEATS
    )
    minors_in_group = form_fields.IntegerField(
        label=_("Из них младше 18 лет"), min_value=0, initial=0
    )
    group_name = forms.CharField(
        label=_("Название группы"),
        required=False,
        max_length=150,
        help_text=_("Например: 7 «Б» школы № 97"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class RepeatForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Повторять"), choices=EventSeries.Frequency.choices)
    count = form_fields.IntegerField(label=_("Сколько раз"), min_value=1, max_value=52, initial=4)


class AttendanceActionForm(forms.Form):
    """Which button of the check-in page was pressed: arrival or leaving."""

    action = forms.ChoiceField(
        label=_("Отметка"), choices=[("in", _("приход")), ("out", _("уход"))]
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Код участника"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Когда"),
        choices=[("upcoming", _("Предстоящие")), ("past", _("Прошедшие"))],
        required=False,
    )
    q = forms.CharField(label=_("Поиск"), required=False, max_length=100)
    date_from = form_fields.DateField(
        label=_("С"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = form_fields.DateField(
        label=_("По"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("Все виды")), *Event.Kind.choices], required=False
    )
    area = forms.ChoiceField(
        label=_("Направление"), choices=[("", _("Все направления")), *Area.choices], required=False
    )
    district = form_fields.ModelChoiceField(
        label=_("Район"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Все районы"),
    )
    organization = form_fields.ModelChoiceField(
        label=_("Организатор"),
        # the organisations whose events the list shows (`EventQuerySet.public`); chosen by
        # a link from the organisation's page, found by name through `q`: a select would
        # list every organisation (includes/chosen_filter.html)
        queryset=Organization.objects.verified(),
        required=False,
        widget=forms.HiddenInput,
    )
    free = forms.BooleanField(label=_("Только со свободными местами"), required=False)
    suits_me = forms.BooleanField(label=_("Подходит мне"), required=False)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Тема"), max_length=150)
    message = forms.CharField(
        label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), choices=EventMaterial.Kind.choices)
    title = forms.CharField(label=_("Название"), max_length=200)
    file = forms.FileField(label=_("Файл"), required=False)
    url = forms.URLField(label=_("Или ссылка"), required=False, assume_scheme="https")


class MarksForm(forms.Form):
    """The organiser's correction of one registration's arrival and leaving marks."""

    checked_in_at = form_fields.DateTimeField(label=_("Пришёл"), widget=DateTimeInput())
    checked_out_at = form_fields.DateTimeField(
        label=_("Ушёл"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Оставьте пустым, если человек ещё на смене."),
    )
    reason = forms.CharField(
        label=_("Почему исправляете"),
        max_length=MARKS_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
