"""Forms of a finished project's public page: a rating, a comment, a report of abuse, a
moderator's button, the grantee's summary and a photo. They check shape; the services
(`services.outcomes`) check meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dobry.core import form_fields
from dobry.grants.models import (
    PROJECT_COMMENT_WORKFLOW,
    RATING_MAX,
    RATING_MIN,
    ProjectComment,
    ProjectCommentReport,
    ProjectPhoto,
    ProjectSummary,
)

STARS = [(score, str(score)) for score in range(RATING_MAX, RATING_MIN - 1, -1)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Ваша оценка, звёзд"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, сколько звёзд поставить.")},
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Комментарий"),
        max_length=ProjectComment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Что не так"),
        required=False,
        max_length=ProjectCommentReport._meta.get_field("reason").max_length,
    )


class CommentMoveForm(forms.Form):
    move = form_fields.MoveChoiceField(PROJECT_COMMENT_WORKFLOW)


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Итоги проекта"),
        help_text=_("Что сделано, для кого и что из этого вышло — для жителей, простыми словами."),
        max_length=ProjectSummary._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PhotoForm(forms.Form):
    photo = form_fields.PictureField(label=_("Фото"), help_text=_("PNG, JPEG или WebP."))
    alt = forms.CharField(
        label=_("Что на фото"),
        help_text=_("Для тех, кто его не видит."),
        max_length=ProjectPhoto._meta.get_field("alt").max_length,
    )
