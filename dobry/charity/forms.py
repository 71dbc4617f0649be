"""The shape of the charity forms; meaning (links, dates, money rules) is the services'."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.charity import selectors
from dobry.charity.models import (
    CAMPAIGN_WORKFLOW,
    ENTRY_WORKFLOW,
    NEED_WORKFLOW,
    PLEDGE_WORKFLOW,
    STATEMENT_WORKFLOW,
    BankDetails,
    Campaign,
    Need,
    SpendingItem,
)
from dobry.charity.models.needs import MAX_QUANTITY
from dobry.charity.payment_qr import MAX_SUM_KOPECKS
from dobry.charity.selectors import catalogue_organizations, collecting_campaigns_of
from dobry.charity.statements import tables
from dobry.core import form_fields
from dobry.core.models import District
from dobry.core.text_limits import SHORT
from dobry.helprequests.models import Programme
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

SEARCH_LENGTH = 200
MAX_SUM = Decimal(MAX_SUM_KOPECKS) / 100
SHOW_CHOICES = [
    ("collecting", _("идёт сбор")),
    ("ending", _("скоро закончатся")),
    ("finished", _("завершённые")),
]


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=SEARCH_LENGTH)
    show = forms.ChoiceField(label=_("Показать"), required=False, choices=SHOW_CHOICES)
    area = forms.ChoiceField(label=_("Направление"), required=False)
    organization = form_fields.ModelChoiceField(
        label=_("Организация"),
        required=False,
        queryset=Organization.objects.none(),
        # chosen by a link from the organisation's page, found by name through `q`: a select
        # would list every organisation (includes/chosen_filter.html)
        widget=forms.HiddenInput,
    )
    district = form_fields.ModelChoiceField(
        label=_("Район"), required=False, queryset=District.objects.all()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("любое")), *Area.choices]  # type: ignore[attr-defined]
        self.fields["organization"].queryset = catalogue_organizations()  # type: ignore[attr-defined]


class SumForm(forms.Form):
    """The sum a donor chooses for the QR code (works without JavaScript: a GET form)."""

    sum = form_fields.DecimalField(
        label=_("Сумма, ₽"),
        required=False,
        min_value=Decimal("1"),
        max_value=MAX_SUM,
        decimal_places=2,
        max_digits=12,
        help_text=_("Можно не указывать: сумму введёте в приложении банка."),
    )


class BankDetailsForm(form_fields.ModelForm):
    class Meta:
        model = BankDetails
        fields = [
            "payee_name",
            "inn",
            "kpp",
            "account",
            "bank_name",
            "bic",
            "correspondent_account",
        ]


class CampaignForm(form_fields.ModelForm):
    cover = form_fields.PictureField(
        label=_("Обложка (PNG, JPEG или WebP, до 2 МБ)"), required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "title", "purpose", "story", "goal", "deadline", "area", "district",
            "programme", "event", "agreement", "cover_alt",
        ]  # fmt: skip
        widgets = {
            "story": forms.Textarea(attrs={"rows": 10}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(organization=organization)  # type: ignore[attr-defined]
        self.fields["event"].queryset = selectors.linkable_events(organization)  # type: ignore[attr-defined]
        agreement = self.fields["agreement"]
        agreement.queryset = selectors.linkable_agreements(organization)  # type: ignore[attr-defined]
        agreement.label_from_instance = selectors.agreement_label  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["story"] = data.get("story") or ""
        data["area"] = data.get("area") or ""
        data["cover_alt"] = data.get("cover_alt") or ""
        data["cover"] = data.get("cover") or None
        return data


class CampaignUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Что нового"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = form_fields.PictureField(label=_("Фото (необязательно)"), required=False)
    photo_alt = forms.CharField(label=_("Описание фото"), required=False, max_length=300)


class DonationForm(forms.Form):
    campaign = form_fields.ModelChoiceField(
        label=_("Сбор"),
        required=False,
        queryset=Campaign.objects.none(),
        empty_label=_("на уставную деятельность"),
    )
    amount = form_fields.DecimalField(
        label=_("Сумма, ₽"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    received_on = form_fields.DateField(
        label=_("Дата поступления"), widget=forms.DateInput(attrs={"type": "date"})
    )
    donor_name = forms.CharField(label=_("Жертвователь"), required=False, max_length=300)
    donor_contact = forms.CharField(
        label=_("Email или телефон жертвователя"),
        required=False,
        max_length=200,
        help_text=_(
            "Если у жертвователя есть учётная запись, пожертвование появится в его кабинете."
        ),
    )
    is_anonymous = forms.BooleanField(label=_("Не называть публично"), required=False, initial=True)
    note = forms.CharField(label=_("Примечание"), required=False, max_length=SHORT)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = collecting_campaigns_of(organization)  # type: ignore[attr-defined]


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл выписки"),
        help_text=_("Выписка из интернет-банка для 1С (kl_to_1c.txt) или таблица CSV/XLSX."),
    )


class MappingForm(forms.Form):
    """A table's columns: one choice per field."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", "—"),
            *((str(i), header or f"#{i + 1}") for i, header in enumerate(headers)),
        ]
        for name, label in tables.FIELDS.items():
            self.fields[name] = form_fields.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=name in tables.REQUIRED,
            )


class AssignForm(forms.Form):
    campaign = form_fields.ModelChoiceField(
        label=_("Сбор"),
        required=False,
        queryset=Campaign.objects.none(),
        empty_label=_("на уставную деятельность"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = collecting_campaigns_of(organization)  # type: ignore[attr-defined]


class CampaignMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(CAMPAIGN_WORKFLOW)


class StatementMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(STATEMENT_WORKFLOW)


class EntryMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(ENTRY_WORKFLOW)


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=SEARCH_LENGTH)
    kind = forms.ChoiceField(label=_("Что нужно"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("любое")), *Need.Kind.choices]  # type: ignore[attr-defined]


class NeedForm(form_fields.ModelForm):
    class Meta:
        model = Need
        fields = [
            "title",
            "kind",
            "description",
            "unit",
            "quantity",
            "unit_value",
            "deadline",
            "campaign",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = collecting_campaigns_of(organization)  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        return data


class PledgeForm(forms.Form):
    quantity = form_fields.IntegerField(
        label=_("Сколько принесёте"), min_value=1, max_value=MAX_QUANTITY
    )
    on_behalf = form_fields.ModelChoiceField(
        label=_("От организации"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("от себя"),
    )
    note = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=SHORT,
        help_text=_("Когда и как привезёте — организация увидит это вместе с вашим контактом."),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_behalf"].queryset = organizations  # type: ignore[attr-defined]


class NeedMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(NEED_WORKFLOW)


class PledgeMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(PLEDGE_WORKFLOW)


class SpendingForm(form_fields.ModelForm):
    """A spending item: its values and, optionally, its receipt (a new file replaces the
    old one)."""

    receipt = forms.FileField(
        label=_("Подтверждающий документ (PDF, Word, Excel, картинка; до 10 МБ)"),
        required=False,
        help_text=_(
            "Чек, акт или счёт. Документ виден только редакторам организации, пока вы его не "
            "опубликуете."
        ),
    )

    class Meta:
        model = SpendingItem
        fields = ["spent_on", "amount", "purpose", "description", "campaign"]
        widgets = {"spent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = self.fields["campaign"]
        campaign.queryset = collecting_campaigns_of(organization)  # type: ignore[attr-defined]
        campaign.empty_label = _("на уставную деятельность")  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["receipt"] = data.get("receipt") or None
        return data


class ReceiptPublishForm(forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("1", _("Опубликовать документ")), ("0", _("Скрыть документ"))],
        coerce=lambda value: value == "1",
    )
