from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.grants.models import (
    Application,
    CommissionMember,
    Competition,
    Criterion,
    Expert,
    Section,
)
from dobry.grants.services.competitions import TERMS
from dobry.organizations.models import Organization

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompetitionForm(form_fields.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Кто может подать (виды организаций)"),
        choices=Organization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sections = forms.MultipleChoiceField(
        label=_("Разделы заявки"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rules_file = forms.FileField(
        label=_("Положение (документ)"),
        help_text=_("PDF или документ Word; можно не прикладывать, если положение — в тексте."),
        required=False,
    )

    class Meta:
        model = Competition
        fields = ["kind", *TERMS]
        widgets = {
            "applications_open": DATETIME,
            "applications_close": DATETIME,
            "review_deadline": DATETIME,
            "results_on": DATE,
            "rules": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]
        for name in ("applications_open", "applications_close", "review_deadline"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ManagerForm(forms.Form):
    email = forms.EmailField(label=_("Email организатора (учётная запись на портале)"))


class CriterionForm(form_fields.ModelForm):
    class Meta:
        model = Criterion
        fields = ["title", "description", "weight", "max_score"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ApplyForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("От имени организации"), queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations


class ApplicationForm(forms.Form):
    """The texts of an application; the tables (calendar, indicators, budget) are rows
    of inputs named `<table>-<n>-<column>`, read by `table_rows`."""

    title = forms.CharField(label=_("Название проекта"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Краткое описание"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problem = forms.CharField(
        label=_("Проблема, которую решает проект"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    target_group = forms.CharField(
        label=_("Целевая группа"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    goals = forms.CharField(
        label=_("Цель проекта"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tasks = forms.CharField(
        label=_("Задачи проекта"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    team = forms.CharField(
        label=_("Команда проекта"),
        help_text=_("Кто ведёт проект и какой у них опыт."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    partners = forms.CharField(
        label=_("Партнёры"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in (Section.TEAM, Section.PARTNERS):
            if not competition.has_section(section):
                del self.fields[section]


def table_rows(data: Any, table: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a table from posted inputs `<table>-<n>-<column>`; blank rows dropped."""
    rows = []
    for number in range(100):
        row = {column: data.get(f"{table}-{number}-{column}", "") for column in columns}
        if all(f"{table}-{number}-{column}" not in data for column in columns):
            break
        if any(str(value).strip() for value in row.values()):
            rows.append(row)
    return rows


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Что это за документ"), max_length=200)
    file = forms.FileField(label=_("Файл"))


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Решение"),
        choices=[
            (Application.Status.ADMITTED, _("допустить к экспертизе")),
            (Application.Status.RETURNED, _("вернуть на доработку")),
            (Application.Status.NOT_ADMITTED, _("не допускать")),
        ],
    )
    reason = forms.ChoiceField(
        label=_("Причина"), choices=[("", "—"), *Application.Reason.choices], required=False
    )
    comment = forms.CharField(
        label=_("Пояснение"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    returned_until = form_fields.DateTimeField(
        label=_("Доработать до"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        required=False,
    )


class ExpertForm(forms.Form):
    email = forms.EmailField(label=_("Email эксперта (учётная запись на портале)"))
    sector = forms.ChoiceField(label=_("Кого представляет"), choices=Expert.Sector.choices)


class ConflictForm(forms.Form):
    conflict = form_fields.TypedChoiceField(
        label=_("Конфликт интересов"),
        choices=[
            ("no", _("Конфликта интересов нет")),
            ("yes", _("Есть конфликт интересов")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("В чём конфликт"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReviewForm(forms.Form):
    """A score and a comment per criterion, plus an overall comment."""

    comment = forms.CharField(
        label=_("Общий комментарий"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = form_fields.TypedChoiceField(
                label=_("Балл"),
                choices=[("", "—")] + [(n, str(n)) for n in range(criterion.max_score + 1)],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Комментарий"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[str, Any]:
        return {str(c.pk): self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class MeetingForm(forms.Form):
    held_at = form_fields.DateTimeField(
        label=_("Дата и время заседания"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    agenda = forms.CharField(
        label=_("Повестка"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    quorum = form_fields.IntegerField(label=_("Кворум, человек"), min_value=1)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("ФИО"), max_length=200, required=False)
    position = forms.CharField(label=_("Должность"), max_length=300, required=False)
    sector = forms.ChoiceField(label=_("Кого представляет"), choices=Expert.Sector.choices)
    role = forms.ChoiceField(label=_("Роль"), choices=CommissionMember.Role.choices)
    present = forms.BooleanField(label=_("Присутствует"), required=False, initial=True)


MemberFormSet = forms.formset_factory(MemberForm, extra=5, max_num=30)


class AmendmentForm(forms.Form):
    application = form_fields.ModelChoiceField(
        label=_("Заявка"), queryset=Application.objects.none(), required=False
    )
    amount = form_fields.DecimalField(label=_("Сумма, ₽"), min_value=0, required=False)
    reason = forms.CharField(label=_("Обоснование"), max_length=2000, required=False)

    def __init__(self, *args: Any, applications: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ModelChoiceField)
        if applications is not None:
            field.queryset = applications


AmendmentFormSet = forms.formset_factory(AmendmentForm, extra=2, max_num=50)


class ProtocolForm(forms.Form):
    file = forms.FileField(label=_("Скан подписанного протокола"))


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отвода"),
        help_text=_("Например: выяснилось, что эксперт связан с заявителем."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
