"""The shape of the voting forms; meaning (who may, the limits of a ballot) is the
services'."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.civic.models import VOTE_WORKFLOW, Initiative, Vote, VoteOption, VoterMark
from dobry.civic.models.votes import MAX_CHOICES, MAX_CRITERION_POINTS, MAX_VOTE_BUDGET
from dobry.core import form_fields
from dobry.core.text_limits import text_limit
from dobry.grants.models import Application, Competition


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


MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _description(model: type[Vote | VoteOption], label: Any, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=text_limit(model, "description"),
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _amount(
    label: Any, *, most: Decimal = MAX_VOTE_BUDGET, digits: int = 14, help_text: Any = ""
) -> form_fields.DecimalField:
    """A positive sum with kopecks (a budget, a cost) or points, up to `most`."""
    return form_fields.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01"),
        max_value=most,
        max_digits=digits,
        decimal_places=2,
        help_text=help_text,
    )


class VoteRulesForm(forms.Form):
    """A vote's rules as a coordinator changes them before voting opens (the kind and the
    competition are chosen once, on creation: `VoteCreateForm`). Its cleaned data are the
    services' arguments (`vote_update`, `vote_create`)."""

    title = forms.CharField(label=_("Название"), max_length=text_limit(Vote, "title"))
    description = _description(Vote, _("О чём голосование"), rows=3)
    max_choices = form_fields.IntegerField(
        label=_("Сколько вариантов можно выбрать (K)"),
        required=False,
        min_value=1,
        max_value=MAX_CHOICES,
        help_text=_("Для голосования «выбрать до K вариантов»."),
    )
    budget = _amount(
        _("Бюджет, ₽"), help_text=_("Для голосования «выбрать проекты в пределах бюджета».")
    )
    opens_at = form_fields.DateTimeField(label=_("Голосование с (время города)"), widget=MOMENT)
    closes_at = form_fields.DateTimeField(label=_("Голосование до (время города)"), widget=MOMENT)
    use = forms.ChoiceField(
        label=_("Итоги голосования"),
        choices=Vote.Use.choices,
        initial=Vote.Use.AWARD,
        help_text=_(
            "Критерием конкурса итоги становятся по его положению: доля голосов даёт "
            "баллы в рейтинге заявок."
        ),
    )
    criterion_points = _amount(
        _("Наибольший балл критерия «Народная поддержка»"),
        most=MAX_CRITERION_POINTS,
        digits=6,
        help_text=_(
            "Из положения конкурса, если итоги — критерий: заявка получает этот балл × долю "
            "бюллетеней, в которых её выбрали."
        ),
    )

    @classmethod
    def of(cls, vote: Vote) -> "VoteRulesForm":
        """The form showing `vote`'s rules as they are."""
        initial = {name: getattr(vote, name) for name in cls.base_fields}
        initial["criterion_points"] = vote.criterion_points or None
        return cls(initial=initial)

    def clean_max_choices(self) -> int:
        return self.cleaned_data["max_choices"] or 1

    def clean_criterion_points(self) -> Decimal:
        return self.cleaned_data["criterion_points"] or Decimal(0)


class VoteCreateForm(VoteRulesForm):
    kind = forms.ChoiceField(label=_("Способ"), choices=Vote.Kind.choices, widget=forms.RadioSelect)
    competition = form_fields.ModelChoiceField(
        label=_("Конкурс"),
        queryset=Competition.objects.none(),
        required=False,
        empty_label=_("— нет: голосование об инициативах —"),
        help_text=_("Допущенные заявки конкурса станут вариантами."),
    )

    field_order = ["title", "description", "kind", "max_choices", "budget", "competition"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competition"].queryset = Competition.objects.exclude(  # type: ignore[attr-defined]
            status=Competition.Status.DRAFT
        ).order_by("-pk")


class OptionForm(forms.Form):
    """An option added by hand: a named project, an initiative, or an admitted application
    of the vote's competition. Its cleaned data are `option_add`'s arguments. Its inputs'
    ids are its own (`option_title`): the preparation page also holds the rules' form,
    whose title and description had the same ids, so the label «Название варианта» pointed
    at the vote's title."""

    title = forms.CharField(
        label=_("Название варианта"),
        required=False,
        max_length=text_limit(VoteOption, "title"),
        help_text=_("Пусто — название инициативы или заявки."),
    )
    description = _description(VoteOption, _("Описание"), rows=2)
    cost = _amount(_("Стоимость, ₽"))
    initiative = form_fields.ModelChoiceField(
        label=_("Инициатива"), queryset=Initiative.objects.none(), required=False
    )
    application = form_fields.ModelChoiceField(
        label=_("Заявка конкурса"), queryset=Application.objects.none(), required=False
    )

    def __init__(self, *args: Any, vote: Vote, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "option_%s")
        super().__init__(*args, **kwargs)
        # the ids of what is already an option, never NULL: «NOT IN» a list holding a NULL
        # is never true, and one option named by hand emptied both lists
        taken = vote.options.filter(initiative__isnull=False).values("initiative_id")
        self.fields["initiative"].queryset = (  # type: ignore[attr-defined]
            Initiative.objects.exclude(pk__in=taken).order_by("title", "pk")
        )
        if vote.competition_id is None:
            del self.fields["application"]
        else:
            self.fields["application"].queryset = (  # type: ignore[attr-defined]
                Application.objects.filter(competition_id=vote.competition_id)
                .admitted()
                .exclude(
                    pk__in=vote.options.filter(application__isnull=False).values("application_id")
                )
                .order_by("number", "pk")
            )
        if not vote.is_budget:
            del self.fields["cost"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("initiative") and data.get("application"):
            raise forms.ValidationError(_("Выберите инициативу или заявку, не обе."))
        return data


class OfficerForm(forms.Form):
    """Its inputs' ids are its own (`officer_email`), apart from the page's other forms."""

    email = forms.EmailField(label=_("Email члена счётной комиссии"))
    # which button was pressed: a missing or forged value is refused, never read as «add»
    action = forms.ChoiceField(
        label=_("Действие"), choices=[("add", _("добавить")), ("remove", _("снять"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "officer_%s")
        super().__init__(*args, **kwargs)
