"""The shape of the civic forms; meaning (who, stages, limits) is the services'."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dobry.civic.models import (
    COMMENT_WORKFLOW,
    INITIATIVE_WORKFLOW,
    Comment,
    CommentReport,
    Initiative,
    TeamMember,
    TimelineEntry,
)
from dobry.core import form_fields
from dobry.core.models import District
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

SEARCH_LENGTH = 200


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=SEARCH_LENGTH)
    district = form_fields.ModelChoiceField(
        label=_("Район"), required=False, queryset=District.objects.all(), empty_label=_("любой")
    )
    area = forms.ChoiceField(label=_("Направление"), required=False)
    stage = forms.ChoiceField(label=_("Этап"), required=False)
    my_skills = forms.BooleanField(label=_("Нужны мои навыки"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("любое")), *Area.choices]  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("любой")), *Initiative.Status.choices]  # type: ignore[attr-defined]


class InitiativeForm(form_fields.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "problem",
            "idea",
            "district",
            "address",
            "area",
            "needed_skills",
            "needed_money",
            "needed_premises",
            "needed_materials",
            "group",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "idea": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        group.queryset = groups  # type: ignore[attr-defined]
        group.empty_label = _("от своего имени, как житель")  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("address", "area", "needed_skills", "needed_premises", "needed_materials"):
            data[name] = data.get(name) or ""
        return data


class InitiativeMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(INITIATIVE_WORKFLOW)
    note = forms.CharField(
        label=_("Запись в хронике"),
        required=False,
        max_length=TimelineEntry._meta.get_field("note").max_length,
    )


class TimelineForm(forms.Form):
    note = forms.CharField(
        label=_("Что получилось"),
        required=False,
        max_length=TimelineEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = form_fields.PictureField(label=_("Фото (JPEG или PNG)"), required=False)
    photo_alt = forms.CharField(
        label=_("Описание фото"),
        required=False,
        max_length=300,
        help_text=_("Что на фото — для тех, кто его не видит. Обязательно, если есть фото."),
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Ответ ресурсного центра"),
        max_length=Initiative._meta.get_field("response").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Публичный ответ: консультация, проектная группа, совет подать заявку на конкурс "
            "или начать сбор."
        ),
    )


class TeamForm(forms.Form):
    role = forms.CharField(
        label=_("Чем займусь в команде"),
        max_length=TeamMember._meta.get_field("role").max_length,
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Комментарий"),
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Что не так"),
        required=False,
        max_length=CommentReport._meta.get_field("reason").max_length,
    )


class CommentMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(COMMENT_WORKFLOW)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Что получилось"))
    pk = form_fields.IntegerField(label=_("Номер"), min_value=1, max_value=2**53)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


def group_choices(user: Any, initiative: Initiative | None = None) -> Any:
    """The organisations a person may put behind an initiative: those they edit, and the
    one already behind the initiative being edited (a coordinator editing it keeps it)."""
    from dobry.organizations.permissions import organizations_edited_by

    if not user.is_authenticated:
        return Organization.objects.none()
    edited = organizations_edited_by(user)
    if initiative is None or initiative.group_id is None:
        return edited
    return Organization.objects.filter(Q(pk__in=edited.values("pk")) | Q(pk=initiative.group_id))
