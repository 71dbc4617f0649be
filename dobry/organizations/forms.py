from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.models import District
from dobry.organizations.areas import Area
from dobry.organizations.models import Invitation, Membership, Organization
from dobry.organizations.services import EDITABLE_FIELDS, IDENTITY_FIELDS

# Beside each identity field of a verified organisation (`services.organization_update`).
BACK_TO_REVIEW = _(
    "Изменение вернёт организацию на проверку: до решения координаторов её мероприятий не "
    "будет в общих списках, а новые мероприятия и заявки часов будут недоступны."
)


class OrganizationForm(form_fields.ModelForm):
    """Shape of the organisation card; the service checks meaning (and the logo content)."""

    areas = forms.MultipleChoiceField(
        label=_("Направления деятельности"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(label=_("Телефон"), max_length=32, required=False)
    logo = form_fields.PictureField(
        label=_("Логотип (PNG, JPEG или WebP, до 2 МБ)"), required=False
    )
    # Only on a verified organisation's card: its identity changed sends it back to review.
    confirm_review = forms.BooleanField(
        label=_(
            "Понимаю: после изменения названия, краткого названия, вида, правовой формы, ИНН, "
            "ОГРН или логотипа организация вернётся на проверку"
        ),
        required=False,
    )

    class Meta:
        model = Organization
        fields = [*EDITABLE_FIELDS]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["areas"] = self.instance.areas
        for name in ("inn", "ogrn"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        if self.instance.pk and self.instance.status == Organization.Status.VERIFIED:
            for name in (*IDENTITY_FIELDS, "logo"):
                self.fields[name].help_text = BACK_TO_REVIEW
        else:
            del self.fields["confirm_review"]

    def _post_clean(self) -> None:
        # Model validation happens in the service, which raises field errors we show.
        pass

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    def confirms_review(self) -> bool:
        return bool(self.cleaned_data.get("confirm_review"))


class OrganizationFilterForm(forms.Form):
    VERIFIED_CHOICES = [
        ("", _("Только проверенные")),
        ("all", _("Все, включая ожидающие проверки")),
    ]

    q = forms.CharField(label=_("Поиск"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("Все виды")), *Organization.Kind.choices], required=False
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
    verified = forms.ChoiceField(label=_("Проверка"), choices=VERIFIED_CHOICES, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Что нужно исправить"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InvitationForm(form_fields.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Роль"), choices=Membership.Role.choices)
