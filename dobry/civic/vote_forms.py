"""The shape of the voting forms; meaning (who may, the limits of a ballot) is the
services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.civic.models import VOTE_WORKFLOW, Vote, VoterMark
from dobry.core import form_fields


class BallotForm(forms.Form):
    """The options a voter marks; `check` (budget votes without JavaScript) shows what is
    left of the budget before casting."""

    ACTIONS: tuple[tuple[str, Any], ...] = (
        ("cast", _("Проголосовать")),
        ("check", _("Посчитать остаток")),
    )

    options = form_fields.ModelMultipleChoiceField(
        label=_("Ваш выбор"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    action = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, vote: Vote, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.ACTIONS  # type: ignore[attr-defined]
        self.fields["options"].queryset = vote.options.all()  # type: ignore[attr-defined]


class PaperBallotForm(BallotForm):
    """A paper ballot of a polling point: the voter the officer identified (by the email or
    the phone of their account) and the polling point."""

    ACTIONS = (("cast", _("Внести бюллетень")),)

    voter = forms.CharField(
        label=_("Житель: email или телефон учётной записи"),
        max_length=254,
        help_text=_("Проверьте документ жителя: бюллетень вносится от его имени."),
    )
    polling_point = forms.CharField(
        label=_("Участок"), max_length=VoterMark._meta.get_field("polling_point").max_length
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Код квитанции"), max_length=40, help_text=_("Например, ABCD-EFGH-JKMN.")
    )


class VoteMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(VOTE_WORKFLOW)


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Номер телефона"), max_length=30)


class PhoneCodeForm(forms.Form):
    code = forms.CharField(label=_("Код из СМС"), max_length=20)


class ResidentForm(forms.Form):
    ACTIONS = (("verify", _("Подтвердить")), ("unverify", _("Снять подтверждение")))

    email = forms.EmailField(label=_("Email жителя"))
    action = forms.ChoiceField(choices=ACTIONS)
