from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.models import District
from dobry.core.text_limits import text_limit
from dobry.core.uploads import SCAN_ACCEPT
from dobry.core.workflow import Move
from dobry.helprequests import selectors
from dobry.helprequests.models import (
    OFFER_WORKFLOW,
    Category,
    Funding,
    HealthInfo,
    HelpReport,
    HelpRequest,
    Programme,
)
from dobry.helprequests.services.submission import EDITABLE
from dobry.organizations.models import Organization
from dobry.volunteering.services.hours import (
    HOURS_DECIMAL_PLACES,
    MAX_HOURS_PER_ENTRY,
    MIN_HOURS_PER_ENTRY,
)


class HelpRequestForm(form_fields.ModelForm):
    health_info = forms.CharField(
        max_length=text_limit(HealthInfo, "text"),
        label=_("Сведения о здоровье или инвалидности (необязательно)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Например: плохо видит, передвигается на коляске. Эти сведения зашифрованы."),
    )
    # The explicit consent to processing the health information of this request (152-ФЗ
    # art. 9 part 1: specific and informed), under the text shown above it; required by the
    # service whenever health information is given (`services._health_consent_method`).
    health_consent = forms.BooleanField(
        label=_(
            "Даю согласие на обработку сведений о здоровье, указанных в этой просьбе, "
            "на условиях согласия выше"
        ),
        required=False,
    )
    # Asking for someone else, their health information is theirs (152-ФЗ: they are the data
    # subject): the requester confirms the right to pass it on, required by the service then.
    health_on_behalf = forms.BooleanField(
        label=_(
            "Если прошу за другого человека: я его законный представитель или он согласен "
            "на передачу сведений о его здоровье"
        ),
        required=False,
    )
    # For a coordinator registering a request for a resident, instead of the checkboxes:
    # the form the person helped signed.
    consent_scan = forms.FileField(
        label=_("Скан согласия, подписанного получателем помощи"),
        required=False,
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text=_(
            "Нужен, если вы заполнили сведения о здоровье: PDF, JPEG или PNG. "
            "Скачать скан смогут только координаторы."
        ),
    )
    recipient_phone = forms.CharField(label=_("Телефон"), max_length=32, required=False)

    class Meta:
        model = HelpRequest
        fields = [*EDITABLE]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 3}),
            "wanted_from": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "wanted_to": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args: Any, coordinator: bool = False, **kwargs: Any) -> None:
        """A coordinator registers requests for residents: the written consent to health data
        is their signed paper form, whose scan is attached; a resident gives their own."""
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()  # type: ignore[attr-defined]
        for name in ("health_consent", "health_on_behalf") if coordinator else ("consent_scan",):
            del self.fields[name]
        if coordinator and not self.instance.pk:
            # The staff form registers requests for residents: «для себя» left by mistake
            # would make the request the coordinator's own, erased with their account.
            self.initial["relation"] = HelpRequest.Relation.PHONE_CALL

    def _post_clean(self) -> None:
        pass  # the service validates the model (and the public summary)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE}


class HelpRequestEditForm(HelpRequestForm):
    """The coordinator corrects what was learnt on the call back. Health information is
    not edited here: it is given only by the person, with their separate consent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("health_info", "health_consent", "health_on_behalf", "consent_scan"):
            self.fields.pop(name, None)


class TransitionForm(forms.Form):
    """Only the moves the workflow allows from the request's present status (its
    transition table), so the select never offers a status that would be refused — nor
    the present one, which used to show first and revert the request when sent."""

    to = forms.ChoiceField(label=_("Новый статус"), choices=())
    reason = forms.CharField(label=_("Причина или комментарий"), required=False, max_length=2000)

    def __init__(
        self, *args: Any, help_request: HelpRequest, moves: list[Move], **kwargs: Any
    ) -> None:
        """`moves`: those `permissions.moves_by_hand` allows this person now."""
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (move.name, move.label) for move in moves
        ]


class PriorityForm(forms.Form):
    priority = form_fields.TypedChoiceField(
        label=_("Срочность"), coerce=int, choices=HelpRequest.Priority.choices
    )


class RouteForm(forms.Form):
    programme = form_fields.ModelChoiceField(
        label=_("Передать в программу"), queryset=Programme.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # today's programmes, not those of the day the module was imported
        self.fields["programme"].queryset = selectors.routable_programmes()  # type: ignore[attr-defined]


class OfferAnswerForm(forms.Form):
    """The volunteer's button on an offer: a move of `OFFER_WORKFLOW` (accept, decline)."""

    answer = form_fields.MoveChoiceField(OFFER_WORKFLOW)


class OfferForm(forms.Form):
    emails = forms.CharField(
        label=_("Или предложить по email (через запятую)"), max_length=2000, required=False
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        max_length=text_limit(HelpReport, "text"),
        label=_("Что сделано"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours = form_fields.DecimalField(
        label=_("Сколько часов"),
        min_value=MIN_HOURS_PER_ENTRY,
        max_value=MAX_HOURS_PER_ENTRY,
        decimal_places=HOURS_DECIMAL_PLACES,
    )
    day = form_fields.DateField(
        label=_("Когда помогали"),
        required=False,
        help_text=_("Если не сегодня."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class FeedbackForm(forms.Form):
    rating = form_fields.TypedChoiceField(
        label=_("Как вам помогли"),
        coerce=int,
        choices=[(5, _("5 — отлично")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — плохо"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(label=_("Отзыв (необязательно)"), required=False, max_length=2000)


class PublicFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Чем помочь"), choices=[("", _("Всё")), *Category.choices], required=False
    )
    district = form_fields.ModelChoiceField(
        label=_("Район"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Все районы"),
    )
    my_districts = forms.BooleanField(label=_("Только в моих районах"), required=False)


class QueueFilterForm(forms.Form):
    """The coordinators' queue tabs: the open requests, or those of one status."""

    OPEN = "open"
    status = forms.ChoiceField(
        label=_("Статус"),
        choices=[("", _("открытые")), (OPEN, _("открытые")), *HelpRequest.Status.choices],
        required=False,
    )


class ProgrammeFilterForm(forms.Form):
    """The public catalogue of programmes (`selectors.filtered_programmes`)."""

    category = forms.ChoiceField(
        label=_("Чем помочь"), choices=[("", _("Всё")), *Category.choices], required=False
    )
    district = form_fields.ModelChoiceField(
        label=_("Район"), queryset=District.objects.all(), required=False
    )
    organization = form_fields.ModelChoiceField(
        label=_("Организация"), queryset=Organization.objects.all(), required=False
    )


class ProgrammeForm(form_fields.ModelForm):
    funding = forms.MultipleChoiceField(
        label=_("Источники финансирования"),
        choices=Funding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    districts = form_fields.ModelMultipleChoiceField(
        label=_("Районы"),
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "organization",
            "name",
            "category",
            "target_group",
            "description",
            "starts_on",
            "ends_on",
            "capacity",
            "funding",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["districts"] = list(self.instance.districts.all())

    def _post_clean(self) -> None:
        pass


class ProgrammeRecordForm(forms.Form):
    month = form_fields.DateField(
        label=_("Месяц"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Например, 2025-03."),
    )
    people = form_fields.IntegerField(
        label=_("Получили помощь в этом месяце, человек"),
        min_value=0,
        max_value=1_000_000,
        help_text=_(
            "Каждый человек — один раз за месяц. Не считайте тех, кто получил помощь по "
            "просьбе на платформе: они уже посчитаны."
        ),
    )
    first_time = form_fields.IntegerField(
        label=_("Из них впервые в этой программе"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("Так постоянные получатели за год считаются один раз."),
    )
    note = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
