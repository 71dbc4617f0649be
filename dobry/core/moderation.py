"""Comments that residents write and moderators keep or hide: one workflow and one set
of services for every app that has them (initiatives in `civic`, finished grant projects
in `grants`).

A comment is shown at once. Anyone else signed in may report it as abusive (one report
per person and comment); the first report puts it in the moderators' queue (`reported`),
where it stays visible until a moderator keeps it (its reports are cleared) or hides it;
a hidden comment may be restored. Who may comment, report and moderate is each app's own
permissions module, handed in as a `Moderation`; so are the audit codes, which stay the
app's own literal strings (`CommentAudit`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.models import CommentStatus, ModeratedComment, ModeratedCommentReport
from dobry.core.permissions import Actor, Decision, require
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.workflow import Move, Workflow, workflow_of

_S = CommentStatus


def comment_workflow(model: type[ModeratedComment]) -> Workflow:
    """The moves of a moderated comment, bound to its concrete model."""
    return Workflow(
        CommentStatus,
        (
            Move(
                "report",
                frozenset({_S.PUBLISHED}),
                _S.REPORTED,
                gettext_lazy("Пожаловаться"),
                button=False,
            ),
            Move("keep", frozenset({_S.REPORTED}), _S.PUBLISHED, gettext_lazy("Оставить")),
            Move("hide", frozenset({_S.PUBLISHED, _S.REPORTED}), _S.HIDDEN, gettext_lazy("Скрыть")),
            Move("restore", frozenset({_S.HIDDEN}), _S.PUBLISHED, gettext_lazy("Вернуть")),
        ),
        model=model,
    )


@dataclass(frozen=True)
class CommentAudit:
    """The audit codes an app logs for its comments (each registered in its
    `audit_actions.py`; the audit sweep reads them from here)."""

    add: str
    report: str
    keep: str
    hide: str
    restore: str

    def code(self, move: str) -> str:
        return {"keep": self.keep, "hide": self.hide, "restore": self.restore}[move]


@dataclass(frozen=True)
class Moderation:
    """One app's moderated comments: its model (its reports and workflow are found
    from it), the field naming what a comment is about (`initiative`, `agreement`), its
    permission functions and its audit codes. `on_reported` is called inside the report's transaction when a comment
    first enters the queue (to tell the moderators)."""

    comment: type[ModeratedComment]
    subject: str
    audit: CommentAudit
    can_report: Callable[[Actor, Any], Decision]
    can_move: Callable[[Actor, Any, Move], Decision]
    on_reported: Callable[[Any], None] | None = None

    @property
    def report(self) -> type[ModeratedCommentReport]:
        """The comment's reports (its `reports` relation)."""
        reports = cast(Any, self.comment)._meta.get_field("reports")
        return reports.related_model

    @property
    def workflow(self) -> Workflow:
        return workflow_of(self.comment)


def reported_comments(model: type[ModeratedComment], subject: str) -> QuerySet[Any]:
    """Reported comments, the longest waiting first, with what they are about, their
    authors and reports (the moderators' desk; a fixed number of queries)."""
    return (
        model.objects.filter(status=CommentStatus.REPORTED)  # type: ignore[attr-defined]
        .select_related(subject, "author")
        .prefetch_related(Prefetch("reports"))
        .order_by("updated_at", "pk")
    )


def comment_add(
    *, moderation: Moderation, actor: Any, subject: Any, text: str, allowed: Decision
) -> Any:
    """A comment on `subject`, shown at once; `allowed` is the app's decision whether
    `actor` may comment there."""
    require(allowed)
    require_within_limits({"text": (text, text_limit(moderation.comment, "text"))})
    if not text.strip():
        message = _("Напишите комментарий.")
        raise DomainError(message, field_errors={"text": [message]})
    with transaction.atomic():
        comment = moderation.comment.objects.create(  # type: ignore[attr-defined]
            **{moderation.subject: subject}, author=actor, text=text.strip()
        )
        log_action(actor=actor, action=moderation.audit.add, obj=comment)
    return comment


def comment_report(*, moderation: Moderation, actor: Any, comment: Any, reason: str = "") -> Any:
    """Report a comment as abusive (one report per person and comment); the first report
    puts it in the moderators' queue and calls `on_reported`."""
    require_within_limits({"reason": (reason, text_limit(moderation.report, "reason"))})
    refusal = _("Вы уже пожаловались на этот комментарий.")
    try:
        with locked(moderation.comment.objects.all(), comment.pk) as fresh:  # type: ignore[attr-defined]
            require(moderation.can_report(actor, fresh))
            if fresh.reports.filter(reporter_id=actor.pk).exists():
                raise InvalidTransition(refusal)
            report = moderation.report.objects.create(  # type: ignore[attr-defined]
                comment=fresh, reporter=actor, reason=reason.strip()
            )
            if fresh.status == CommentStatus.PUBLISHED:
                fresh.status = CommentStatus.REPORTED
                fresh.save(update_fields=["status", "updated_at"])
                if moderation.on_reported is not None:
                    moderation.on_reported(fresh)
            log_action(actor=actor, action=moderation.audit.report, obj=fresh)
    except IntegrityError:
        raise InvalidTransition(refusal) from None
    return report


def comment_move(*, moderation: Moderation, actor: Any, comment: Any, name: str) -> Any:
    """A moderator keeps, hides or restores a comment; keeping clears its reports."""
    with locked(moderation.comment.objects.all(), comment.pk) as fresh:  # type: ignore[attr-defined]
        # What the comment is about, as the caller loaded it (its permission reads it).
        setattr(fresh, moderation.subject, getattr(comment, moderation.subject))
        move = moderation.workflow.check_for(actor, fresh, name, moderation.can_move)
        if move.name == "report":
            raise DomainError(_("Неизвестное действие."))
        fresh.status = move.target
        fresh.save(update_fields=["status", "updated_at"])
        if move.name == "keep":
            fresh.reports.all().delete()
        log_action(actor=actor, action=moderation.audit.code(move.name), obj=fresh)
    return fresh


__all__ = [
    "CommentAudit",
    "Moderation",
    "comment_add",
    "comment_move",
    "comment_report",
    "comment_workflow",
    "reported_comments",
]
