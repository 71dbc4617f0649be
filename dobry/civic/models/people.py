"""The people around an initiative: supporters (one support per account, held by the
database), the team with their roles, followers, comments and reports of abuse, and the
links to what came of the initiative in other apps.

A support taken back and a place in the team left are kept, marked `withdrawn_at`: the
person supported or worked in the team in its period, and indicator 3 of past periods
(`reports.indicators`) still counts them; what is current — the count on the page, the
threshold, the team shown, the rights of a team member — reads `.current()` rows only."""

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dobry.civic.models.initiatives import Initiative
from dobry.core.models import ModeratedComment, ModeratedCommentReport, TimeStampedModel
from dobry.core.moderation import comment_workflow
from dobry.core.references import ReferenceField

_Row = TypeVar("_Row", bound=models.Model)


class WithdrawableQuerySet(models.QuerySet[_Row]):
    def current(self) -> "WithdrawableQuerySet[_Row]":
        """Not taken back: supports that count now, the team as it is now."""
        return self.filter(withdrawn_at__isnull=True)


CURRENT = Q(withdrawn_at__isnull=True)


class Support(models.Model):
    """A resident's support of an initiative: one current support per account (a unique
    constraint on the rows not withdrawn); a support taken back stays as a record of the
    period it was given in."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель"),
        on_delete=models.CASCADE,
        related_name="initiative_supports",
    )
    created_at = models.DateTimeField(_("поддержал"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("поддержка отозвана"), null=True, blank=True)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("поддержка инициативы")
        verbose_name_plural = _("поддержки инициатив")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"], condition=CURRENT, name="one_support_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.user_id}"


class Follow(models.Model):
    """A resident who gets the initiative's updates through the notification hub."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель"),
        on_delete=models.CASCADE,
        related_name="initiative_follows",
    )
    created_at = models.DateTimeField(_("подписался"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("подписка на инициативу")
        verbose_name_plural = _("подписки на инициативы")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="one_follow_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.user_id}"


class TeamMember(TimeStampedModel):
    """A person in the initiative's team and what they do in it; one who left stays as a
    record of the period they joined in (`withdrawn_at`: when they left)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="initiative_teams",
    )
    role = models.CharField(
        _("роль в команде"),
        max_length=120,
        help_text=_("Например: делаю макет, договариваюсь с управляющей компанией."),
    )
    withdrawn_at = models.DateTimeField(_("вышел из команды"), null=True, blank=True)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("участник команды инициативы")
        verbose_name_plural = _("команды инициатив")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"], condition=CURRENT, name="one_team_place_per_account"
            )
        ]

    def __str__(self) -> str:
        return self.role


class Comment(ModeratedComment):
    """A comment on an initiative (`dobry.core.moderation`): the coordinators keep or hide
    what is reported."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiative_comments",
    )

    class Meta(ModeratedComment.Meta):
        verbose_name = _("комментарий к инициативе")
        verbose_name_plural = _("комментарии к инициативам")


class CommentReport(ModeratedCommentReport):
    """Someone's report that a comment is abusive: one per person and comment."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("комментарий"), on_delete=models.CASCADE, related_name="reports"
    )

    class Meta(ModeratedCommentReport.Meta):
        verbose_name = _("жалоба на комментарий")
        verbose_name_plural = _("жалобы на комментарии")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")
        ]


class InitiativeLink(models.Model):
    """What came of an initiative in another app: a project group, a grant application, an
    event, a campaign, news (`core.references`; readers see only what they may)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("инициатива"), on_delete=models.CASCADE, related_name="links"
    )
    target = ReferenceField(_("что получилось"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("добавил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("добавлено"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("связь инициативы")
        verbose_name_plural = _("связи инициатив")
        constraints = [
            ReferenceField.whole("target", constraint="initiative_link_target_whole"),
            models.UniqueConstraint(
                fields=["initiative", "target_kind", "target_pk"], name="one_link_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.target}"


COMMENT_WORKFLOW = comment_workflow(Comment)
