from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields, references
from dobry.core.references import Reference
from dobry.core.request_values import MAX_ID
from dobry.core.text_limits import text_limit
from dobry.core.validators import validate_fact_date
from dobry.organizations.models import Organization
from dobry.resources.models import (
    BOOKING_WORKFLOW,
    Consultation,
    ConsultationMessage,
    Decision,
    Giver,
    LibraryCategory,
    LibraryItem,
    Meeting,
    ProjectGroup,
    RoomBooking,
    SupportKind,
    SupportRecord,
)
from dobry.resources.models.rooms import MAX_ATTENDEES


class AskForm(forms.Form):
    topic = forms.ChoiceField(label=_("Тема"), choices=Consultation.Topic.choices)
    subject = forms.CharField(label=_("Коротко о вопросе"), max_length=200)
    text = forms.CharField(
        max_length=text_limit(ConsultationMessage, "text"),
        label=_("Ваш вопрос"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    organization = form_fields.ModelChoiceField(
        label=_("От имени организации (необязательно)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    attachment = forms.FileField(
        label=_("Файл (PDF, Word, Excel, картинка; до 10 МБ)"), required=False
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        max_length=text_limit(ConsultationMessage, "text"),
        label=_("Сообщение"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(label=_("Файл"), required=False)


class CloseForm(forms.Form):
    summary = forms.CharField(
        max_length=text_limit(Consultation, "summary"),
        label=_("Итог консультации"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    rating = form_fields.TypedChoiceField(
        label=_("Насколько помог ответ"),
        coerce=int,
        choices=[(5, _("5 — очень помог")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — не помог"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Отзыв (необязательно)"), required=False, max_length=2000)


class RecordForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.listed()
    )
    topic = forms.ChoiceField(label=_("Тема"), choices=Consultation.Topic.choices)
    channel = forms.ChoiceField(
        label=_("Как проходила"),
        choices=[c for c in Consultation.Channel.choices if c[0] != Consultation.Channel.ONLINE],
    )
    subject = forms.CharField(label=_("Вопрос"), max_length=200)
    summary = forms.CharField(
        max_length=text_limit(Consultation, "summary"),
        label=_("Итог"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsultationQueueFilterForm(forms.Form):
    """The consultants' queue tabs: open questions, all of them, or those of one status."""

    OPEN, ALL = "open", "all"
    status = forms.ChoiceField(
        label=_("Статус"),
        choices=[
            ("", _("открытые")),
            (OPEN, _("открытые")),
            (ALL, _("все")),
            *Consultation.Status.choices,
        ],
        required=False,
    )


class SupportFilterForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Организация"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("Все"),
    )
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("Все виды")), *SupportKind.choices], required=False
    )
    date_from = form_fields.DateField(
        label=_("С"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = form_fields.DateField(
        label=_("По"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SupportRecordForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Организация или группа"), queryset=Organization.objects.all()
    )
    kind = forms.ChoiceField(label=_("Вид поддержки"), choices=SupportKind.choices)
    day = form_fields.DateField(
        label=_("Дата"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_fact_date],  # support given is a fact: not a day to come
    )
    description = forms.CharField(
        max_length=text_limit(SupportRecord, "description"),
        label=_("Что именно"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    giver = forms.ChoiceField(label=_("Кто оказал"), choices=Giver.choices)
    giver_name = forms.CharField(
        label=_("Подразделение или организация"), required=False, max_length=200
    )
    value_rub = form_fields.DecimalField(
        label=_("Стоимость, руб."), required=False, min_value=0, decimal_places=2
    )
    source_kind = forms.ChoiceField(label=_("Источник: вид записи"), required=False)
    source_id = form_fields.IntegerField(
        label=_("Источник: номер записи"), required=False, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the kinds `dobry.site` registered (known only once the apps are ready)
        self.fields["source_kind"].choices = [("", "—"), *references.kind_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The two source fields become one `source` reference (both or neither)."""
        data = super().clean() or {}
        kind, pk = data.pop("source_kind", ""), data.pop("source_id", None)
        if kind and pk is None:
            self.add_error("source_id", _("Укажите номер записи-источника."))
        elif pk is not None and not kind:
            self.add_error("source_kind", _("Выберите, что это за запись."))
        data["source"] = Reference(kind, pk) if kind and pk is not None else None
        return data


class BookingForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Для организации"), queryset=Organization.objects.none()
    )
    day = form_fields.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    start = form_fields.TimeField(label=_("С"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = form_fields.TimeField(label=_("До"), widget=forms.TimeInput(attrs={"type": "time"}))
    purpose = forms.CharField(label=_("Цель"), max_length=300)
    attendees = form_fields.IntegerField(
        label=_("Участников"), min_value=1, max_value=MAX_ATTENDEES, initial=10
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class BookingMoveForm(forms.Form):
    """The staff's button on a room booking: a move of `BOOKING_WORKFLOW`, and the reason
    a refusal needs (the service asks for it)."""

    decision = form_fields.MoveChoiceField(BOOKING_WORKFLOW)
    reason = forms.CharField(
        label=_("Причина отказа"), required=False, max_length=text_limit(RoomBooking, "reason")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Причина"), max_length=2000)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("Все виды")), *LibraryItem.Kind.choices], required=False
    )
    category = form_fields.ModelChoiceField(
        label=_("Раздел"),
        queryset=LibraryCategory.objects.all(),
        required=False,
        empty_label=_("Все разделы"),
    )


class LibraryItemForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=250)
    kind = forms.ChoiceField(label=_("Вид"), choices=LibraryItem.Kind.choices)
    category = form_fields.ModelChoiceField(
        label=_("Раздел"), queryset=LibraryCategory.objects.all(), required=False
    )
    tags = forms.CharField(label=_("Метки (через запятую)"), max_length=300, required=False)
    description = forms.CharField(
        max_length=text_limit(LibraryItem, "description"),
        label=_("Описание"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    body = forms.CharField(
        max_length=text_limit(LibraryItem, "body"),
        label=_("Текст"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    url = forms.URLField(label=_("Ссылка"), required=False, assume_scheme="https")
    members_only = forms.BooleanField(label=_("Только для участников организаций"), required=False)
    file = forms.FileField(label=_("Файл"), required=False)


class FaqForm(forms.Form):
    """The edit step before a consultation becomes a public question and answer."""

    title = forms.CharField(label=_("Вопрос"), max_length=text_limit(LibraryItem, "title"))
    body = forms.CharField(
        max_length=text_limit(LibraryItem, "body"),
        label=_("Ответ"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class LibraryFileForm(forms.Form):
    file = forms.FileField(label=_("Новая версия файла"))
    note = forms.CharField(label=_("Что изменилось"), max_length=300, required=False)


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=200)
    topic = forms.CharField(
        max_length=text_limit(ProjectGroup, "topic"),
        label=_("Тема и цель"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class GroupMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email участника"))
    organization = form_fields.ModelChoiceField(
        label=_("От организации"), queryset=Organization.objects.all(), required=False
    )


class MeetingForm(forms.Form):
    starts_at = form_fields.DateTimeField(
        label=_("Когда"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Где"), max_length=200, required=False)
    agenda = forms.CharField(
        max_length=text_limit(Meeting, "agenda"),
        label=_("Повестка"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        max_length=text_limit(Meeting, "minutes"),
        label=_("Протокол встречи"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        max_length=text_limit(Decision, "text"),
        label=_("Решение"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    task = forms.CharField(label=_("Задача (необязательно)"), max_length=300, required=False)
    owner = form_fields.ModelChoiceField(
        label=_("Ответственный"), queryset=Organization.objects.none(), required=False
    )
    due_on = form_fields.DateField(
        label=_("Срок"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
