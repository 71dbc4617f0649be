"""The people around an initiative: supporters (one support per account, held by the
database), the team with their roles, followers, comments and reports of abuse, and the
links to what came of the initiative in other apps."""

from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dobry.civic.models.initiatives import Initiative
from dobry.core.models import TimeStampedModel
from dobry.core.references import ReferenceField
from dobry.core.text_limits import SHORT
from dobry.core.workflow import Move, Workflow


class Support(models.Model):
    """A resident's support of an initiative: one per account (a unique constraint)."""

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

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("поддержка инициативы")
        verbose_name_plural = _("поддержки инициатив")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="one_support_per_account")
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
    """A person in the initiative's team and what they do in it."""

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

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("участник команды инициативы")
        verbose_name_plural = _("команды инициатив")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"], name="one_team_place_per_account"
            )
        ]

    def __str__(self) -> str:
        return self.role


class Comment(TimeStampedModel):
    """A comment on an initiative: shown at once; a report of abuse puts it in the
    coordinators' queue, who keep or hide it."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("опубликован")
        REPORTED = "reported", _("есть жалоба")
        HIDDEN = "hidden", _("скрыт модератором")

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
    text = models.TextField(_("комментарий"), max_length=SHORT)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("комментарий к инициативе")
        verbose_name_plural = _("комментарии к инициативам")

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)


class CommentReport(models.Model):
    """Someone's report that a comment is abusive: one per person and comment."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("комментарий"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пожаловался"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("что не так"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("время"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("жалоба на комментарий")
        verbose_name_plural = _("жалобы на комментарии")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {Truncator(self.reason).chars(40)}"


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


_C = Comment.Status
COMMENT_WORKFLOW = Workflow(
    Comment.Status,
    (
        Move("report", frozenset({_C.PUBLISHED}), _C.REPORTED, _("Пожаловаться"), button=False),
        Move("keep", frozenset({_C.REPORTED}), _C.PUBLISHED, _("Оставить")),
        Move("hide", frozenset({_C.PUBLISHED, _C.REPORTED}), _C.HIDDEN, _("Скрыть")),
        Move("restore", frozenset({_C.HIDDEN}), _C.PUBLISHED, _("Вернуть")),
    ),
    model=Comment,
)
