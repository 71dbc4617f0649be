"""The forms of a grantee's report: its fields as posted (rows of the calendar, indicators
and budget lines by their number), a file, staff's decision with a comment per section."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.core.request_values import MAX_ID
from dobry.events.models import Event
from dobry.grants.models import (
    REPORT_WORKFLOW,
    Agreement,
    Competition,
    GrantReport,
    ReportDue,
    ReportFile,
)
from dobry.grants.reporting import content as sections
from dobry.grants.services.reports import COMMENT_MAX
from dobry.helprequests.models import Programme


class ReportCountsForm(forms.Form):
    """The fixed fields of the report's form; the rows are read by `posted_data`."""

    participants = forms.CharField(label=_("Участники, человек"), max_length=12, required=False)
    recipients = forms.CharField(label=_("Благополучатели, человек"), max_length=12, required=False)
    publications = forms.CharField(
        label=_("Публикации и упоминания в СМИ"),
        help_text=_("По одной в строке: название, пробел и ссылка https://…"),
        max_length=sections.PUBLICATIONS_MAX * (sections.TITLE_MAX + sections.URL_MAX + 2),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _publications(text: str) -> list[dict[str, str]]:
    rows = []
    for line in text.splitlines():
        title, _space, url = line.strip().rpartition(" ")
        if url or title:
            rows.append({"title": title.strip(), "url": url.strip()})
    return rows


def posted_data(post: Mapping[str, Any], content: Mapping[str, Any]) -> dict[str, Any]:
    """The grantee's values from the report's form, in the shape `reporting.content.clean`
    reads (a missing or forged row is simply not filled)."""
    counts = ReportCountsForm(post)
    counts.is_valid()
    values = {name: counts.cleaned_data.get(name, "") for name in counts.fields}
    return {
        "activities": [
            {"done": post.get(f"activity-{n}-done") == "on", "note": post.get(f"activity-{n}-note")}
            for n in range(len(content.get("activities", [])))
        ],
        "indicators": [
            {"achieved": post.get(f"indicator-{n}-achieved")}
            for n in range(len(content.get("indicators", [])))
        ],
        "spending": [
            {
                "line": row["line"],
                "spent": post.get(f"line-{row['line']}-spent"),
                "note": post.get(f"line-{row['line']}-note"),
            }
            for row in content.get("spending", [])
        ],
        "publications": _publications(values["publications"] or ""),
        "participants": values["participants"] or None,
        "recipients": values["recipients"] or None,
    }


def publications_text(content: Mapping[str, Any]) -> str:
    return "\n".join(
        f"{row['title']} {row['url']}".strip() for row in content.get("publications", [])
    )


class SaveForm(forms.Form):
    """The report form's buttons: save the draft, or save and submit."""

    then = forms.ChoiceField(
        label=_("Действие"),
        choices=[("save", _("Сохранить черновик")), ("submit", _("Сохранить и сдать"))],
        required=False,
    )


class ReportFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Что прикладываете"), choices=ReportFile.Kind.choices)
    line = form_fields.IntegerField(
        label=_("Статья бюджета"), min_value=1, max_value=MAX_ID, required=False
    )
    file = forms.FileField(
        label=_("Файл"),
        help_text=_(
            "Чек, акт, договор — PDF, документ или картинка; фотография — PNG, JPEG или WebP."
        ),
    )


class ReportDecisionForm(forms.Form):
    """Staff's decision: return or accept, a comment per section, the final report's rating."""

    move = form_fields.MoveChoiceField(REPORT_WORKFLOW, names=("return", "accept"))
    rating = forms.ChoiceField(
        label=_("Оценка проекта"),
        choices=[("", _("— по итоговому отчёту —")), *GrantReport.Rating.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section, label in sections.SECTIONS.items():
            self.fields[f"comment_{section}"] = forms.CharField(
                label=label,
                max_length=COMMENT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[str, str]:
        return {
            section: self.cleaned_data.get(f"comment_{section}") or ""
            for section in sections.SECTIONS
        }


class ProjectLinksForm(forms.Form):
    """The grantee organisation's events and help programmes the project runs on."""

    events = form_fields.ModelMultipleChoiceField(
        label=_("Мероприятия проекта"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programmes = form_fields.ModelMultipleChoiceField(
        label=_("Программы помощи проекта"),
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = agreement.application.organization_id or 0
        fields = self.fields
        fields["events"].queryset = Event.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization
        ).order_by("-starts_at", "pk")
        fields["programmes"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            organization_id=organization
        ).order_by("name", "pk")
        self.initial = {
            "events": list(agreement.events.values_list("pk", flat=True)),
            "programmes": list(agreement.programmes.values_list("pk", flat=True)),
        }


QUEUE_STATE_CHOICES = [
    ("due", _("ждут сдачи")),
    ("late", _("просрочены")),
    ("submitted", _("на проверке")),
    ("returned", _("на доработке")),
    ("accepted", _("приняты")),
]
LATE_CHOICES = [("yes", _("с опозданием")), ("no", _("в срок"))]


class ReportQueueFilterForm(forms.Form):
    """The organisers' queue of reports by competition, state, kind and lateness (read with
    `form_values`: a value the form does not offer is a 400 naming it)."""

    competition = form_fields.ModelChoiceField(
        label=_("Конкурс"), queryset=Competition.objects.all(), required=False
    )
    state = forms.ChoiceField(
        label=_("Статус"), choices=[("", _("все")), *QUEUE_STATE_CHOICES], required=False
    )
    kind = forms.ChoiceField(
        label=_("Отчёт"), choices=[("", _("все")), *ReportDue.Kind.choices], required=False
    )
    late = forms.ChoiceField(
        label=_("Срок"), choices=[("", _("все")), *LATE_CHOICES], required=False
    )

    def __init__(self, *args: Any, competitions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if competitions is not None:
            self.fields["competition"].queryset = competitions  # type: ignore[attr-defined]

    def queue_filters(self) -> dict[str, Any]:
        """The selector's keyword filters from the cleaned values."""
        data = self.cleaned_data if self.is_bound else {}
        late = data.get("late") or ""
        return {
            "state": data.get("state") or "",
            "competition": data.get("competition"),
            "kind": data.get("kind") or "",
            "late": None if not late else late == "yes",
        }
