"""The public side of a finished grant project (issue 15, «public evaluation»): the
grantee's summary of results with described photos, residents' ratings (one per account,
held by the database) and their comments, moderated by the competition's organisers.

A project is finished when its agreement is closed or its final report accepted
(`permissions.is_finished`). Comments and their reports follow the shape of the civic
app's initiative comments (published → reported → kept or hidden → restored)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dobry.core.models import ModeratedComment, ModeratedCommentReport, TimeStampedModel
from dobry.core.moderation import comment_workflow
from dobry.core.text_limits import MESSAGE
from dobry.grants.models.agreements import Agreement

# Stars, as residents know them from maps and shops: 1 (bad) … 5 (excellent).
RATING_MIN, RATING_MAX = 1, 5


def outcome_photo_path(instance: models.Model, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"grants/outcomes/{secrets.token_hex(8)}.{extension}"


class ProjectRating(TimeStampedModel):
    """A resident's public rating of a finished project, 1–5 stars: one per account and
    project (a unique constraint); a second rating changes the first."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="ratings"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель"),
        on_delete=models.CASCADE,
        related_name="grant_project_ratings",
    )
    score = models.PositiveSmallIntegerField(_("оценка, звёзд"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("оценка проекта жителем")
        verbose_name_plural = _("оценки проектов жителями")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "author"], name="one_project_rating_per_account"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=RATING_MIN) & Q(score__lte=RATING_MAX),
                name="project_rating_in_stars",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.score}"


class ProjectComment(ModeratedComment):
    """A comment on a finished project (`dobry.core.moderation`): the competition's
    organisers keep or hide what is reported."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_project_comments",
    )

    class Meta(ModeratedComment.Meta):
        verbose_name = _("комментарий к проекту")
        verbose_name_plural = _("комментарии к проектам")


class ProjectCommentReport(ModeratedCommentReport):
    """Someone's report that a comment on a project is abusive: one per person and
    comment."""

    comment = models.ForeignKey(
        ProjectComment,
        verbose_name=_("комментарий"),
        on_delete=models.CASCADE,
        related_name="reports",
    )

    class Meta(ModeratedCommentReport.Meta):
        verbose_name = _("жалоба на комментарий к проекту")
        verbose_name_plural = _("жалобы на комментарии к проектам")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_project_comment_report_per_person"
            )
        ]


class ProjectSummary(TimeStampedModel):
    """The grantee's public summary of results: what was done and what came of it, in the
    organisation's words. Written with the final report or after it; shown once the
    project is finished."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="summary"
    )
    text = models.TextField(_("итоги проекта"), max_length=MESSAGE)

    class Meta:
        verbose_name = _("итоги проекта для жителей")
        verbose_name_plural = _("итоги проектов для жителей")

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)


class ProjectPhoto(models.Model):
    """A photo of the project's results, published by the grantee with a description for
    those who do not see it (the grantee holds the people's consent to publish it)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("проект"), on_delete=models.CASCADE, related_name="photos"
    )
    photo = models.ImageField(_("фото"), upload_to=outcome_photo_path)
    alt = models.CharField(
        _("описание фото"),
        max_length=300,
        help_text=_("Что на фото — для тех, кто его не видит."),
    )
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("фото итогов проекта")
        verbose_name_plural = _("фото итогов проектов")
        constraints = [models.CheckConstraint(condition=~Q(alt=""), name="project_photo_has_alt")]

    def __str__(self) -> str:
        return self.alt


PROJECT_COMMENT_WORKFLOW = comment_workflow(ProjectComment)

__all__ = [
    "PROJECT_COMMENT_WORKFLOW",
    "RATING_MAX",
    "RATING_MIN",
    "ProjectComment",
    "ProjectCommentReport",
    "ProjectPhoto",
    "ProjectRating",
    "ProjectSummary",
]
