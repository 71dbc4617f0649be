from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.opportunities.models import Opportunity
from dobry.opportunities.services.catalogue import FIELDS
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization, OrganizationQuerySet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=100)
    programme = forms.ChoiceField(
        label=_("Программа"),
        choices=[("", _("Все программы")), *Opportunity.Programme.choices],
        required=False,
    )
    area = forms.ChoiceField(
        label=_("Направление"), choices=[("", _("Все направления")), *Area.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Кто подаёт"),
        choices=[("", _("Все виды")), *Organization.Kind.choices],
        required=False,
    )
    amount = form_fields.DecimalField(
        label=_("Нужная сумма, ₽"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )


class SuitsForm(FilterForm):
    """The catalogue's filters and the organisation whose fit is shown (its members')."""

    organization = form_fields.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, organizations: OrganizationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        field.empty_label = _("Не подбирать")


class OpportunityForm(form_fields.ModelForm):
    areas = forms.MultipleChoiceField(
        label=_("Направления"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Кто может подать (виды организаций)"),
        help_text=_("Ничего не отмечено — любые."),
        choices=Organization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Opportunity
        fields = list(FIELDS)
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "documents": forms.Textarea(attrs={"rows": 3}),
            "tips": forms.Textarea(attrs={"rows": 3}),
        }


class FollowForm(forms.Form):
    organization = form_fields.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, organizations: OrganizationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        field.empty_label = None  # one's own organisations: the first is chosen already


class ImportActionForm(forms.Form):
    """The import page's buttons: check the table, or load its valid rows."""

    action = forms.ChoiceField(
        label=_("Действие"),
        choices=[("check", _("Проверить")), ("import", _("Загрузить"))],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Таблица конкурсов (CSV или XLSX)"),
        help_text=_(
            "Первая строка — заголовки: название, программа, организатор, приём до; "
            "по желанию — приём с, грант от, грант до, направления, кто может подать, "
            "срок регистрации, регион, ссылка, описание, документы, советы."
        ),
    )
