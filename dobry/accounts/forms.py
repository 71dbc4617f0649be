from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import ConsentDocument, User
from dobry.accounts.services import signup_complete
from dobry.core.client_ip import client_ip
from dobry.core.uploads import SCAN_ACCEPT
from dobry.core.validators import validate_person_name


class SignupForm(forms.Form):
    """Extra fields of allauth's signup: names and the consents, each its own checkbox."""

    first_name = forms.CharField(label=_("Имя"), max_length=150, validators=[validate_person_name])
    last_name = forms.CharField(
        label=_("Фамилия"), max_length=150, validators=[validate_person_name]
    )
    consent_personal_data = forms.BooleanField(
        label=_("Я даю согласие на обработку моих персональных данных"),
        error_messages={"required": _("Без согласия на обработку данных регистрация невозможна.")},
    )
    consent_terms = forms.BooleanField(
        label=_("Я принимаю правила пользования платформой"),
        error_messages={"required": _("Чтобы зарегистрироваться, примите правила.")},
    )
    consent_newsletter = forms.BooleanField(
        label=_("Хочу получать рассылку о добрых делах города (необязательно)"), required=False
    )

    FIELD_KIND = {
        "consent_personal_data": ConsentDocument.Kind.PERSONAL_DATA,
        "consent_terms": ConsentDocument.Kind.TERMS,
        "consent_newsletter": ConsentDocument.Kind.NEWSLETTER,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Ask for names first; allauth adds email and passwords to this form.
        self.field_order = ["first_name", "last_name", "email", "password1", "password2"]
        self.consent_documents = {
            field: ConsentDocument.current(kind) for field, kind in self.FIELD_KIND.items()
        }

    def signup(self, request: HttpRequest, user: User) -> None:
        """allauth's hook after it created the account: the form only hands its values to
        the service, which writes."""
        signup_complete(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            consents=[kind for field, kind in self.FIELD_KIND.items() if self.cleaned_data[field]],
            ip_address=client_ip(request),
        )


class ProfileForm(forms.Form):
    """The person's own name, phone and language: the shape of the User columns (a plain
    form, so checking it leaves the user untouched until `services.user_profile_update`)."""

    FIELDS = ("first_name", "last_name", "middle_name", "phone", "language")

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data, initial={name: getattr(user, name) for name in self.FIELDS})
        self.fields.update(forms.fields_for_model(User, fields=self.FIELDS))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Название токена"),
        max_length=100,
        help_text=_("Например: «выгрузка для отчёта»."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Чтобы подтвердить, введите слово УДАЛИТЬ"),
        max_length=20,
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() not in ("УДАЛИТЬ", "DELETE"):
            raise forms.ValidationError(_("Введите слово УДАЛИТЬ."))
        return value


class ConsentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Код из письма"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PaperConsentForm(forms.Form):
    """A coordinator attaches the scan of a consent the person signed on paper."""

    email = forms.EmailField(label=_("Электронная почта человека"))
    kind = forms.ChoiceField(
        label=_("Согласие"),
        choices=[
            (kind, label)
            for kind, label in ConsentDocument.Kind.choices
            if kind in ConsentDocument.WRITTEN
        ],
    )
    scan = forms.FileField(
        label=_("Скан подписанного бланка"),
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_("PDF, JPEG или PNG."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, erased_at__isnull=True).first()
        if user is None:
            raise forms.ValidationError(_("Пользователь с таким адресом не найден."))
        return user


class LanguageForm(forms.Form):
    """The header's language switch: one of the site's languages."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
