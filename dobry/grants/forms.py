import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.forms import MarkedBoundField, require_later
from dobry.core.text_limits import SHORT, text_limit
from dobry.grants import content as application_content
from dobry.grants.models import (
    APPLICATION_WORKFLOW,
    SCREENING_MOVES,
    Application,
    CommissionMember,
    Competition,
    Criterion,
    Expert,
    Meeting,
    Review,
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
            "projects_from": DATE,
            "projects_until": DATE,
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


# Drafts are their applicants' own until submitted: the desk never lists them.
LISTED_STATUSES = [
    (value, label)
    for value, label in Application.Status.choices
    if value != Application.Status.DRAFT
]


class ApplicationFilterForm(forms.Form):
    """The competition desk's list of applications by status (drafts are never listed)."""

    status = forms.ChoiceField(
        label=_("Статус"),
        choices=[("", _("все")), *LISTED_STATUSES],
        required=False,
    )


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
        max_length=application_content.MAX_TEXT,
        label=_("Краткое описание"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    problem = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Проблема, которую решает проект"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    target_group = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Целевая группа"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    goals = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Цель проекта"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    tasks = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Задачи проекта"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    team = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Команда проекта"),
        help_text=_("Кто ведёт проект и какой у них опыт."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    partners = forms.CharField(
        max_length=application_content.MAX_TEXT,
        label=_("Партнёры"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    bound_field_class = MarkedBoundField

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in (Section.TEAM, Section.PARTNERS):
            if not competition.has_section(section):
                del self.fields[section]
        require_later(self, application_content.required_texts(competition))


def table_rows(
    data: Any, table: str, columns: tuple[str, ...], *, skip: int | None = None
) -> list[dict[str, str]]:
    """Rows of a table from posted inputs `<table>-<n>-<column>` in the order of n (a gap
    left by a removed row is fine); blank rows and the row `skip` (removed with its button)
    dropped."""
    pattern = re.compile(rf"^{re.escape(table)}-(\d{{1,3}})-")
    numbers = sorted({int(match[1]) for key in data if (match := pattern.match(key))})
    rows = []
    for number in numbers:  # past MAX_ROWS the service refuses the table, never drops rows
        if number == skip:
            continue
        row = {column: data.get(f"{table}-{number}-{column}", "") for column in columns}
        if any(str(value).strip() for value in row.values()):
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Column:
    """A column of an application's table as the form shows it."""

    name: str
    label: Any
    width: str
    kind: str = "text"  # text, date or number
    numbered: bool = False  # the label carries the row's number: «Мероприятие 2»
    required: bool = True  # for a submission (a draft may leave it empty)


@dataclass(frozen=True)
class Table:
    title: Any
    columns: tuple[Column, ...]


TABLES = {
    "calendar": Table(
        _("Календарный план"),
        (
            Column("title", _("Мероприятие"), "col-md-6", numbered=True),
            Column("starts_on", _("Начало"), "col-6 col-md-3", "date"),
            Column("ends_on", _("Окончание"), "col-6 col-md-3", "date"),
        ),
    ),
    "indicators": Table(
        _("Результаты и показатели"),
        (
            Column("name", _("Показатель"), "col-md-6", numbered=True),
            Column("unit", _("Единица"), "col-6 col-md-3"),
            Column("target", _("Целевое значение"), "col-6 col-md-3", "number"),
        ),
    ),
    "budget": Table(
        _("Бюджет"),
        (
            Column("item", _("Статья"), "col-md-4", numbered=True),
            Column("quantity", _("Кол-во"), "col-4 col-md-2", "number"),
            Column("unit_cost", _("Цена, ₽"), "col-4 col-md-3", "number"),
            Column("requested", _("Запрошено, ₽"), "col-4 col-md-3", "number"),
            Column(
                "cofinancing", _("Софинансирование, ₽"), "col-6 col-md-3", "number", required=False
            ),
            Column(
                "cofinancing_source",
                _("Источник софинансирования"),
                "col-6 col-md-5",
                required=False,
            ),
        ),
    ),
}


def _cells(
    table: str, index: int | str, values: dict, errors: dict, *, autofocus: bool = False
) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{table}-{index}-{column.name}",
            "label": column.label,
            "width": column.width,
            "numbered": column.numbered,
            "type": "date" if column.kind == "date" else "",
            "inputmode": "decimal" if column.kind == "number" else "",
            "required": column.required,
            "value": values.get(column.name, ""),
            "errors": errors.get(column.name, []),
            "autofocus": autofocus and position == 0,
        }
        for position, column in enumerate(TABLES[table].columns)
    ]


def row_errors(errors: dict[str, list[str]], table: str, number: int) -> dict[str, list[str]]:
    """The messages of one table row by column, from keys like `budget.2.requested`."""
    prefix = f"{table}.{number}."
    return {key[len(prefix) :]: value for key, value in errors.items() if key.startswith(prefix)}


def table_view(
    table: str, saved: list[dict], errors: dict[str, list[str]], *, added: bool = False
) -> dict[str, Any]:
    """One table of the form (templates/includes/rows.html): the saved rows, one empty row
    when there are none, one more when «Добавить строку» was pressed without JavaScript
    (its first field takes the focus)."""
    values = list(saved) + ([{}] if added or not saved else [])
    return {
        "prefix": table,
        "name": TABLES[table].title,
        "rows": [
            _cells(
                table,
                number,
                row,
                row_errors(errors, table, number),
                autofocus=added and number == len(values) - 1,
            )
            for number, row in enumerate(values)
        ],
        "empty": _cells(table, "__prefix__", {}, {}),
        "errors": errors.get(table, []),
        "totals": "budget-totals" if table == "budget" else "",
    }


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Что это за документ"), max_length=200)
    file = forms.FileField(label=_("Файл"))


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Решение"),
        # the decision is the status it leads to (`application_screen`)
        choices=[
            (move.target, move.label)
            for move in APPLICATION_WORKFLOW.moves
            if move.name in SCREENING_MOVES
        ],
    )
    reason = forms.ChoiceField(
        label=_("Причина"), choices=[("", "—"), *Application.Reason.choices], required=False
    )
    comment = forms.CharField(
        max_length=text_limit(Application, "screening_comment"),
        label=_("Пояснение"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    returned_until = form_fields.DateTimeField(
        label=_("Доработать до"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        required=False,
    )


class AllocationForm(forms.Form):
    """Which allocation button was pressed: a trial run or the final one."""

    final = form_fields.TypedChoiceField(
        label=_("Распределение"),
        choices=[("0", _("пробное")), ("1", _("итоговое"))],
        coerce=lambda value: value == "1",
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
        max_length=text_limit(Review, "conflict_reason"),
        label=_("В чём конфликт"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReviewForm(forms.Form):
    """A score and a comment per criterion, plus an overall comment."""

    comment = forms.CharField(
        max_length=text_limit(Review, "comment"),
        label=_("Общий комментарий"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
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
                max_length=SHORT,
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
    bound_field_class = MarkedBoundField

    held_at = form_fields.DateTimeField(
        label=_("Дата и время заседания"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    agenda = forms.CharField(
        max_length=text_limit(Meeting, "agenda"),
        label=_("Повестка"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    quorum = form_fields.IntegerField(label=_("Кворум, человек"), min_value=1)


class MemberForm(forms.Form):
    bound_field_class = MarkedBoundField

    name = forms.CharField(label=_("ФИО"), max_length=200, required=False)
    position = forms.CharField(label=_("Должность"), max_length=300, required=False)
    sector = forms.ChoiceField(label=_("Кого представляет"), choices=Expert.Sector.choices)
    role = forms.ChoiceField(label=_("Роль"), choices=CommissionMember.Role.choices)
    present = forms.BooleanField(label=_("Присутствует"), required=False, initial=True)


MemberFormSet = forms.formset_factory(MemberForm, extra=1, max_num=30, absolute_max=30)


class AmendmentForm(forms.Form):
    bound_field_class = MarkedBoundField

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


AmendmentFormSet = forms.formset_factory(AmendmentForm, extra=1, max_num=50, absolute_max=50)


class ProtocolForm(forms.Form):
    file = forms.FileField(label=_("Скан подписанного протокола"))


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отвода"),
        help_text=_("Например: выяснилось, что эксперт связан с заявителем."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewDueForm(forms.Form):
    """The day a replacement (or an overdue review) is due, after the review deadline
    (`grants.deadlines`): optional when an expert is assigned (a default applies)."""

    due_on = form_fields.DateField(label=_("Оценить до (включительно)"), widget=DATE)

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = required
