"""The forms of the mailings' pages: the same services check everything again."""

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from dobry.communications.mailings.compose import EVENTS_DAYS_MAX, TEMPLATES, Insert
from dobry.communications.mailings.contacts import FIELDS
from dobry.communications.models import Mailing, NewsItem, Segment
from dobry.core import form_fields
from dobry.core.models import District


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Тема"), max_length=200)
    body_text = forms.CharField(
        label=_("Текст письма"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=Mailing._meta.get_field("body_text").max_length,
    )
    body_html = forms.CharField(
        label=_("Оформленный текст (HTML, необязательно)"),
        help_text=_("Можно: абзацы, выделение, списки, ссылки, картинки. Остальное удаляется."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=Mailing._meta.get_field("body_html").max_length,
    )
    segment = form_fields.ModelChoiceField(label=_("Кому"), queryset=Segment.objects.all())
    news = form_fields.ModelChoiceField(
        label=_("Вставить новость"),
        help_text=_("Заголовок, анонс и ссылка добавятся в конец письма."),
        queryset=NewsItem.objects.published(),
        required=False,
    )
    events_days = form_fields.IntegerField(
        label=_("Вставить события ближайших дней"),
        help_text=_("Сколько дней вперёд; список добавится в конец письма."),
        min_value=1,
        max_value=EVENTS_DAYS_MAX,
        required=False,
    )

    def insert(self) -> Insert | None:
        """What was chosen to insert (after `is_valid`), None for nothing."""
        news, days = self.cleaned_data.pop("news", None), self.cleaned_data.pop("events_days", None)
        return Insert(news=news, events_days=days) if news or days else None


class TemplateForm(forms.Form):
    """The template a new mailing starts from (`?template=` of the new mailing's page)."""

    template = forms.ChoiceField(
        label=_("Начать с шаблона"),
        choices=[(key, template.label) for key, template in TEMPLATES.items()],
    )


class ScheduleForm(forms.Form):
    at = form_fields.DateTimeField(
        label=_("Когда отправить (время города)"),
        required=False,
        help_text=_("Пусто — сейчас."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _area_choices() -> list[tuple[str, Any]]:
    field = apps.get_model("organizations", "OrganizationArea")._meta.get_field("area")
    return list(field.choices or ())


def _kind_choices() -> list[tuple[str, Any]]:
    field = apps.get_model("organizations", "Organization")._meta.get_field("kind")
    return list(field.choices or ())


# lazy labels: each is worded in the language of the request that draws the form
MONTH_CHOICES = [
    ("", _("не важно")),
    ("1", _("за месяц")),
    ("3", _("за три месяца")),
    ("6", _("за полгода")),
    ("12", _("за год")),
    ("24", _("за два года")),
]


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=200)
    roles = forms.MultipleChoiceField(
        label=_("Роли"),
        choices=Segment.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organization_kinds = forms.MultipleChoiceField(
        label=_("Виды организаций"),
        choices=_kind_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label=_("Направления"),
        choices=_area_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = form_fields.ModelMultipleChoiceField(
        label=_("Районы"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active_months = form_fields.TypedChoiceField(
        label=_("Активны за последние"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Таблица CSV или XLSX"))
    source = forms.CharField(
        label=_("Источник"),
        max_length=200,
        required=False,
        help_text=_("Откуда список: например, «анкеты фестиваля 2026»."),
    )


class ImportStepForm(forms.Form):
    """Which button of the import was pressed — upload a file, check the mapping again, or
    import — and the uploaded file's key between the steps. Required: a POST without a
    step is a 400 naming it, never an import made by default."""

    step = forms.ChoiceField(
        label=_("Шаг импорта"),
        choices=[
            ("upload", _("загрузить")),
            ("check", _("проверить снова")),
            ("import", _("импортировать")),
        ],
    )
    token = forms.CharField(label=_("Загруженный файл"), max_length=64, required=False)


class MappingForm(forms.Form):
    """Which column holds which field (the preview's choice)."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("— нет —")), *((str(i), h or f"#{i + 1}") for i, h in enumerate(headers))]
        for name, label in FIELDS.items():
            self.fields[name] = form_fields.TypedChoiceField(
                label=label,
                choices=columns,
                coerce=int,
                empty_value=None,
                required=name == "email",
            )
