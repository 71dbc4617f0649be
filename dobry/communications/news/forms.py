"""The shape of news forms: the item, the feed's filters, the desk's tabs, the buttons.
Meaning (who may name which organisation, what the text may hold) is the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.communications.models import NEWS_WORKFLOW, NewsItem, NewsTag
from dobry.communications.models.news import MAX_TAGS, TAG_LENGTH
from dobry.communications.news.services import SUBJECT_KINDS
from dobry.core import form_fields, references
from dobry.core.references import Reference
from dobry.core.text_limits import text_limit

# «гранты, волонтёрам»: every tag, its comma and a space.
TAGS_LENGTH = MAX_TAGS * (TAG_LENGTH + 2)
SEARCH_LENGTH = 200


def subject_kind_choices() -> list[tuple[str, str]]:
    """The kinds an item may be about that the site has registered (events, competitions)."""
    registered = set(references.kinds())
    return [(name, references.kind_label(name)) for name in SUBJECT_KINDS if name in registered]


class NewsForm(form_fields.ModelForm):
    """A news item as its author writes it."""

    organization = form_fields.TypedChoiceField(
        label=_("Организация"), coerce=int, required=False, empty_value=None
    )
    tags = forms.CharField(
        label=_("Метки"),
        required=False,
        max_length=TAGS_LENGTH,
        help_text=_("Через запятую, не больше восьми: например, «гранты, волонтёрам»."),
    )
    subject_kind = forms.ChoiceField(label=_("О чём: вид"), required=False)
    subject_id = form_fields.IntegerField(
        label=_("О чём: номер"),
        required=False,
        min_value=1,
        help_text=_("Номер мероприятия или конкурса из адреса его страницы: /events/12/ — это 12."),
    )
    cover = form_fields.PictureField(
        label=_("Обложка (PNG, JPEG или WebP, до 2 МБ)"), required=False
    )
    remove_cover = forms.BooleanField(label=_("Убрать обложку"), required=False)

    class Meta:
        model = NewsItem
        fields = ["kind", "title", "lead", "body", "cover_alt", "publish_at"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(
        self,
        *args: Any,
        organizations: list[tuple[int, str]],
        organization_required: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.choices = [("", "—"), *organizations]  # type: ignore[attr-defined]
        organization.required = organization_required
        organization.help_text = (
            _("От имени какой организации новость.")
            if organization_required
            else _("Необязательно: о какой организации новость.")
        )
        self.fields["subject_kind"].choices = [("", "—"), *subject_kind_choices()]  # type: ignore[attr-defined]
        item = self.instance
        if item.pk:
            self.initial["organization"] = item.organization_pk
            self.initial["tags"] = ", ".join(tag.name for tag in item.tags.all())
            self.initial["subject_kind"] = item.subject_kind
            self.initial["subject_id"] = item.subject_pk
        else:
            del self.fields["remove_cover"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, pk = data.get("subject_kind") or "", data.get("subject_id")
        if kind and pk is None:
            self.add_error("subject_id", _("Укажите номер."))
        if pk is not None and not kind:
            self.add_error("subject_kind", _("Выберите, что это: мероприятие, конкурс или сбор."))
        return data

    def _post_clean(self) -> None:
        # Model validation happens in the service, which raises field errors we show.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind, pk = data.get("subject_kind") or "", data.get("subject_id")
        return {
            "kind": data["kind"],
            "title": data["title"],
            "lead": data["lead"],
            "body": data["body"],
            "cover_alt": data["cover_alt"],
            "publish_at": data["publish_at"],
            "organization": data.get("organization"),
            "subject": Reference(kind, pk) if kind and pk is not None else None,
            "tags": [word for word in data["tags"].split(",") if word.strip()],
        }


class NewsFilterForm(forms.Form):
    """The public feed's filters (in the query string: a wrong value is a 400)."""

    q = forms.CharField(label=_("Поиск"), required=False, max_length=SEARCH_LENGTH)
    kind = forms.ChoiceField(
        label=_("Вид"),
        required=False,
        choices=[("", _("Новости и анонсы")), *NewsItem.Kind.choices],
    )
    tag = forms.ChoiceField(label=_("Метка"), required=False)
    organization = form_fields.TypedChoiceField(
        label=_("Организация"),
        coerce=int,
        required=False,
        empty_value=None,
        # chosen by a link from the organisation's page: `organizations` is that one
        # publisher (`selectors.news_organization`), never a select of every publisher
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args: Any,
        tags: list[NewsTag],
        organizations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Все метки")), *((t.slug, t.name) for t in tags)]  # type: ignore[attr-defined]
        self.fields["organization"].choices = [("", _("Все организации")), *organizations]  # type: ignore[attr-defined]


class NewsDeskForm(forms.Form):
    """The desk's tab: one status, or all."""

    status = forms.ChoiceField(
        label=_("Статус"),
        required=False,
        choices=[("", _("Все")), *NewsItem.Status.choices],
    )


class NewsMoveForm(forms.Form):
    """A button on the item's page: a move of `NEWS_WORKFLOW`, and the reason a return
    needs (the service asks for it)."""

    decision = form_fields.MoveChoiceField(NEWS_WORKFLOW)
    reason = forms.CharField(
        label=_("Что исправить"),
        required=False,
        max_length=text_limit(NewsItem, "return_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
